"""`{% load kept %}{% kept "menu" nav_sections current_root %}…{% endkept %}`

A piece of the page frame (the head's links, the brand, the main menu, the
footer, the scripts) comes out the same on every page that gives it the same
values, until the catalog changes; rendering it on every request was a third
of an uncached search page's rendering. A kept piece is rendered once per
process, catalog generation (`search.services.per_generation`) and values of
the variables the tag names (a section counts by its id) and served from
memory after that.

Only a piece that depends on nothing else may be kept: nothing of the request
(the reader's region, the path, a CSRF token), the user or the clock. Inside a
transaction the catalog may hold what others cannot see yet: nothing is kept.
"""

from django import template
from django.db import connection, models

from sommaire.search import services

register = template.Library()

# Pieces kept per process at most: a few per page kind, one menu per section.
KEPT = 2000


class Unkeyable(Exception):
    pass


def _key(value):
    if value is None or isinstance(value, str | int | bool):
        return value
    if isinstance(value, models.Model):
        return (value._meta.label, value.pk)
    if isinstance(value, list | tuple):
        return tuple(_key(item) for item in value)
    raise Unkeyable(type(value).__name__)


class KeptNode(template.Node):
    def __init__(self, name: str, variables: list, nodelist):
        self.name, self.variables, self.nodelist = name, variables, nodelist

    def render(self, context) -> str:
        request = context.get("request")
        if request is None or connection.in_atomic_block:
            return self.nodelist.render(context)
        try:
            key = (self.name, tuple(_key(v.resolve(context)) for v in self.variables))
        except Unkeyable:
            return self.nodelist.render(context)
        pieces = services.per_generation("frame pieces", dict)
        html = pieces.get(key)
        if html is None:
            html = self.nodelist.render(context)
            if len(pieces) >= KEPT:
                pieces.clear()
            pieces[key] = html
        return html


@register.tag
def kept(parser, token):
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][-1] != bits[1][0]:
        raise template.TemplateSyntaxError('{% kept "name" [variable ...] %} needs a quoted name')
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    variables = [parser.compile_filter(bit) for bit in bits[2:]]
    return KeptNode(bits[1][1:-1], variables, nodelist)
