"""Small factories: resources placed in a Ségur section, made of words no pack uses.

Tests add them to the Ségur catalog of the session (rolled back after each
test), with made-up words (zorglub, krypton) so that only they can match.
"""

from itertools import count

from sommaire.catalog.models import Format, Kind, Placement, Publisher, Resource, Section

_numbers = count(1)


def resource(
    title: str,
    description: str = "",
    *,
    url: str = "",
    status: str = Resource.Status.ACTIVE,
    section: str = "hopital",
    group: str = "",
    kind: str = "guide",
    fmt: str = "pdf",
    key: str = "",
) -> Resource:
    number = next(_numbers)
    item = Resource.objects.create(
        key=key or f"essai-{number}",
        title=title,
        url=url or f"https://example.org/essai/document-{number}",
        kind=Kind.objects.get(slug=kind),
        format=Format.objects.get(slug=fmt),
        publisher=Publisher.objects.get(slug="ans"),
        description=description,
        status=status,
    )
    Placement.objects.create(
        resource=item, section=Section.objects.get(slug=section), group=group, order=900 + number
    )
    return item
