"""Filters and facets: what /recherche/ and section pages let readers narrow by.

Every filter is a parameter of the URL (`?q=dsr&kind=dsr&region=OCC`), so a
filtered list is shareable, bookmarkable and needs no JavaScript. Each facet
counts the resources it would give with the other filters kept and its own
filter lifted, so readers see what switching value would give.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count

from sommaire.catalog.models import Placement


@dataclass(frozen=True)
class Facet:
    name: str  # the URL parameter
    label: str
    field: str  # Resource field; "" for sections, which go through placements
    key: str  # the identifying column of the related row
    title: str  # its label column

    def filter(self, resources, value: str):
        if not self.field:
            placed = Placement.objects.filter(section__slug=value).values("resource_id")
            return resources.filter(pk__in=placed)
        return resources.filter(**{f"{self.field}__{self.key}": value})

    def counts(self, resources) -> list[tuple[str, str, int]]:
        """(value, label, count) of every value present, in the vocabulary's order."""
        if not self.field:
            rows = (
                Placement.objects.filter(resource__in=resources)
                .values_list("section__slug", "section__title", "section__order")
                .annotate(n=Count("resource_id", distinct=True))
                .order_by("section__order", "section__slug")
            )
            return [(slug, title, n) for slug, title, _order, n in rows]
        prefix = self.field
        rows = (
            resources.exclude(**{f"{prefix}__isnull": True})
            .values_list(f"{prefix}__{self.key}", f"{prefix}__{self.title}", f"{prefix}__order")
            .annotate(n=Count("pk"))
            .order_by(f"{prefix}__order", f"{prefix}__{self.key}")
        )
        return [(value, label, n) for value, label, _order, n in rows]


FACETS = (
    Facet("section", "Rubrique", "", "slug", "title"),
    Facet("kind", "Type de document", "kind", "slug", "label"),
    Facet("publisher", "Éditeur", "publisher", "slug", "short_name"),
    Facet("format", "Format", "format", "slug", "label"),
    Facet("profile", "Profil logiciel", "profile", "slug", "label"),
    Facet("wave", "Vague", "wave", "slug", "label"),
    Facet("region", "Région", "region", "code", "name"),
)
BY_NAME = {facet.name: facet for facet in FACETS}


@dataclass
class Choice:
    value: str
    label: str
    count: int
    selected: bool
    url: str


@dataclass
class FacetCounts:
    facet: Facet
    choices: list[Choice] = field(default_factory=list)
    clear_url: str = ""

    def selected(self) -> Choice | None:
        return next((c for c in self.choices if c.selected), None)


@dataclass
class Filters:
    """The filters of a request, and the URLs that change them."""

    values: dict[str, str]
    keep: dict[str, str] = field(default_factory=dict)  # other parameters: q, original

    @classmethod
    def from_query(cls, params, keep=("q", "original")) -> "Filters":
        values = {f.name: params.get(f.name, "").strip() for f in FACETS}
        kept = {name: params.get(name, "").strip() for name in keep}
        return cls(
            {k: v for k, v in values.items() if v and len(v) <= 100},
            {k: v for k, v in kept.items() if v},
        )

    def __bool__(self) -> bool:
        return bool(self.values)

    def apply(self, resources, lifting: str = ""):
        for name, value in self.values.items():
            if name != lifting:
                resources = BY_NAME[name].filter(resources, value)
        return resources

    def url(self, **changes) -> str:
        """A query string with some filters changed ("" lifts one); the page restarts at 1."""
        params = {**self.keep, **self.values, **changes}
        return "?" + urlencode({k: v for k, v in params.items() if v})

    def facets(self, resources) -> list[FacetCounts]:
        """Each facet with counts; facets with nothing to choose are left out."""
        found = []
        for facet in FACETS:
            selected = self.values.get(facet.name, "")
            counts = FacetCounts(facet, clear_url=self.url(**{facet.name: ""}))
            for value, label, count in facet.counts(self.apply(resources, lifting=facet.name)):
                url = self.url(**{facet.name: value})
                counts.choices.append(Choice(value, label, count, value == selected, url))
            if selected and counts.selected() is None:
                # A filter that matches nothing (an old link) still shows, to be lifted.
                counts.choices.append(Choice(selected, selected, 0, True, self.url()))
            if len(counts.choices) > 1 or selected:
                found.append(counts)
        return found


# Enough resources for filters to help; below that, a page is read at a glance.
SECTION_FILTERS_FROM = 8


def filter_placements(placements: list, params) -> tuple[list, list[FacetCounts]]:
    """A section page's placements narrowed by the request's filters, and its facets.

    Counted in memory from the placements the page already loaded with their
    vocabularies: filters cost the page no query. The section facet is left
    out (the page is the section). With too few resources to need filters,
    the placements come back as they are, with no facets.
    """
    if len({p.resource_id for p in placements}) < SECTION_FILTERS_FROM:
        return placements, []
    filters = Filters.from_query(params, keep=())
    filters.values.pop("section", None)
    # On a section page `?region=` is the reader's pick (sommaire.regions): the
    # placements already are the national ones plus that region's, so no facet.
    filters.values.pop("region", None)
    facets = [f for f in FACETS if f.field and f.name != "region"]

    def value(placement, facet: Facet):
        related = getattr(placement.resource, facet.field)
        return getattr(related, facet.key) if related is not None else None

    def kept(placement, lifting: str = "") -> bool:
        return all(
            value(placement, BY_NAME[name]) == wanted
            for name, wanted in filters.values.items()
            if name != lifting
        )

    found = []
    for facet in facets:
        selected = filters.values.get(facet.name, "")
        counts = FacetCounts(facet, clear_url=filters.url(**{facet.name: ""}))
        seen: dict[str, list] = {}
        for placement in placements:
            related = getattr(placement.resource, facet.field)
            if related is None or not kept(placement, lifting=facet.name):
                continue
            key = getattr(related, facet.key)
            entry = seen.setdefault(key, [related.order, getattr(related, facet.title), 0])
            entry[2] += 1
        for key, (_order, label, n) in sorted(seen.items(), key=lambda kv: (kv[1][0], kv[0])):
            url = filters.url(**{facet.name: key})
            counts.choices.append(Choice(key, label, n, key == selected, url))
        if selected and counts.selected() is None:
            counts.choices.append(Choice(selected, selected, 0, True, filters.url()))
        if len(counts.choices) > 1 or selected:
            found.append(counts)
    if filters:
        placements = [p for p in placements if kept(p)]
    return placements, found
