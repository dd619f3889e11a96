"""The result cards of /recherche/, rendered once per resource and catalog generation.

A card shows its resource (title, link and the health of that link, badges,
section), all of which move the catalog generation when they change, and
the query only in three places: the marked title, the marked snippet and
the passages of the document. Rendering twenty cards through the template
was a third of the page's time; now each card is rendered once with a
marker in those three places, cut at the markers and kept for the
generation, and a page joins the pieces with what its query marks.

The query's pieces are escaped before they are marked (search.highlight)
and go where the template puts them, in element text, never in an
attribute. A resource whose own text holds a marker is rendered whole.
"""

import re
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from sommaire.search import services

TEMPLATE = "search/includes/result.html"
PASSAGES_TEMPLATE = "search/includes/passages.html"
# NUL characters: no text of the catalog is expected to hold them, and if one
# does, the card is cut in the wrong number of places and rendered whole.
MARKER = re.compile("\x00(title|snippet|passages)\x00")
KEPT = 5000


@dataclass
class Card:
    """What result.html shows of a result besides its resource."""

    title: str
    snippet: str
    passages: str
    placement: object


def render(result, request) -> SafeString:
    """The HTML of one result (a search.page.Result) of a page."""
    values = {
        "title": result.title,
        "snippet": result.snippet,
        "passages": _passages(result, request),
    }
    cards = services.per_generation("result cards", dict)
    pieces = cards.get(result.resource.pk)
    if pieces is None:
        pieces = _pieces(result, request)
        if pieces is None:
            return _render(result, request, Card(**values, placement=result.hit.placement))
        if len(cards) >= KEPT:
            cards.clear()
        cards[result.resource.pk] = pieces
    # Even pieces are the card's own HTML, odd ones name a query's piece.
    return mark_safe(  # noqa: S308 - the card and the query's pieces are escaped
        "".join(piece if i % 2 == 0 else values[piece] for i, piece in enumerate(pieces))
    )


def _pieces(result, request) -> list[str] | None:
    """The card of `result`'s resource cut at the markers, or None when its own
    text holds one."""
    resource = result.resource
    markers = ["title", "snippet", "passages"] if resource.description else ["title", "passages"]

    def marker(name: str) -> str:
        return mark_safe(f"\x00{name}\x00") if name in markers else ""  # noqa: S308 - no text

    card = Card(marker("title"), marker("snippet"), marker("passages"), result.hit.placement)
    pieces = MARKER.split(_render(result, request, card))
    return pieces if pieces[1::2] == markers else None


def _render(result, request, card: Card) -> str:
    return render_to_string(TEMPLATE, {"resource": result.resource, "card": card}, request)


def _passages(result, request) -> str:
    if not result.excerpts:
        return ""
    return render_to_string(PASSAGES_TEMPLATE, {"result": result}, request)
