"""`{% load search_tags %}`: the pieces of search pages written in Python for speed.

`{% result_card result %}` is one result of /recherche/ (search.cards).
`{% facet_choices counts %}` is the list items of a facet's values: about
thirty per results page, each with four variables, were a quarter of the
page's template time through the template engine; format_html escapes
every value as the template did.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from sommaire.search import cards

register = template.Library()

CHOICE = (
    '<li><a class="fr-link fr-link--sm sommaire-facet__choice" href="{}" data-value="{}">'
    '{} <span class="sommaire-facet__count">({})</span></a></li>'
)
SELECTED = (
    '<li><a class="fr-link fr-link--sm sommaire-facet__choice" href="{}" aria-current="true"'
    ' data-value="{}"><strong>{}</strong> <span class="sommaire-facet__count">({})</span>'
    "</a></li>"
)


@register.simple_tag(takes_context=True)
def result_card(context, result):
    return cards.render(result, context.get("request"))


@register.simple_tag
def facet_choices(counts):
    """The <li> of each value of `counts` (a search.listing.FacetCounts)."""
    items = (
        format_html(SELECTED if c.selected else CHOICE, c.url, c.value, c.label, c.count)
        for c in counts.choices
    )
    return mark_safe("\n".join(items))  # noqa: S308 - format_html escaped every value
