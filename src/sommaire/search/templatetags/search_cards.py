"""`{% load search_cards %}{% result_card result %}`: one result of /recherche/ (search.cards)."""

from django import template

from sommaire.search import cards

register = template.Library()


@register.simple_tag(takes_context=True)
def result_card(context, result):
    return cards.render(result, context.get("request"))
