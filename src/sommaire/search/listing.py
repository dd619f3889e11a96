"""Filters and facets: what /recherche/ and section pages let readers narrow by.

Every filter is a parameter of the URL (`?q=dsr&kind=dsr&region=OCC`), so a
filtered list is shareable, bookmarkable and needs no JavaScript. Each facet
counts the resources it would give with the other filters kept and its own
filter lifted, so readers see what switching value would give. On
/recherche/ the total and every facet are counted with one reading of the
matches: in memory from the matching ids on a catalog of up to
`services.SMALL_CATALOG` resources (`count_in_memory`), by the database
beyond (`count`); section pages count in memory (`filter_placements`).
"""

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from urllib.parse import quote_plus

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, Q

from sommaire.catalog.models import Placement, Resource, Section
from sommaire.search import backends, services


@dataclass(frozen=True)
class Facet:
    name: str  # the URL parameter
    label: str
    field: str  # Resource field; "" for sections, which go through placements
    key: str  # the identifying column of the related row
    title: str  # its label column

    def condition(self, value: str) -> Q:
        """The resources that have `value`, as a condition on Resource."""
        if not self.field:
            placed = Placement.objects.filter(section__slug=value).values("resource_id")
            return Q(pk__in=placed)
        return Q(**{f"{self.field}__{self.key}": value})

    def filter(self, resources, value: str):
        return resources.filter(self.condition(value))

    def vocabulary(self):
        """The model of the facet's values: Section, or the one `field` points to."""
        return Resource._meta.get_field(self.field).related_model if self.field else Section


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
_quoted = lru_cache(maxsize=10_000)(quote_plus)


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

    def narrows(self, total: int) -> bool:
        """Worth showing: a filter in use, two values to choose from, or one value
        that only some of the `total` resources have (vague 1 beside unwaved texts)."""
        if self.selected() is not None or len(self.choices) > 1:
            return True
        return bool(self.choices) and self.choices[0].count < total


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

    def apply(self, resources):
        for name, value in self.values.items():
            resources = BY_NAME[name].filter(resources, value)
        return resources

    def url(self, **changes) -> str:
        """A query string with some filters changed ("" lifts one); the page restarts at 1.

        As urlencode writes it, from quoted pieces remembered: a page writes a
        URL per facet value, each of the same few words.
        """
        params = {**self.keep, **self.values, **changes}
        return "?" + "&".join(f"{_quoted(k)}={_quoted(v)}" for k, v in params.items() if v)

    def tally(self, resources) -> "Tally":
        """How many `resources` there are, how many the filters keep, and the facets
        with their counts (those with nothing to choose left out)."""
        return self._tally(*count(resources, self.values))

    def tally_matches(self, query, relaxed: bool = False) -> "Tally":
        """`tally` of the resources that match `query` (`services.matching`),
        counted in memory on a small catalog."""
        if services.is_small_catalog():
            counted = count_in_memory(services.matching_ids(query, relaxed), self.values)
            if counted is not None:
                return self._tally(*counted)
        return self.tally(services.matching(query, relaxed))

    def _tally(self, matches: int, total: int, counted: dict[str, list]) -> "Tally":
        found = Tally(matches, total)
        for facet in FACETS:
            selected = self.values.get(facet.name, "")
            counts = FacetCounts(facet, clear_url=self.url(**{facet.name: ""}))
            for value, label, n in counted.get(facet.name, []):
                url = self.url(**{facet.name: value})
                counts.choices.append(Choice(value, label, n, value == selected, url))
            if selected and counts.selected() is None:
                # A filter that matches nothing (an old link) still shows, to be lifted.
                counts.choices.append(Choice(selected, selected, 0, True, self.url()))
            if counts.narrows(total):
                found.facets.append(counts)
        return found


@dataclass
class Tally:
    """What a list of resources holds for its page: all, those the filters keep, the facets."""

    matches: int
    total: int
    facets: list[FacetCounts] = field(default_factory=list)


def count(resources, values: dict[str, str]) -> tuple[int, int, dict[str, list]]:
    """Count `resources` for a page filtered by `values`.

    Returns how many there are, how many the filters keep, and per facet the
    (value, label, count) of every value present, in the vocabulary's order,
    each facet counted with the other filters kept and its own lifted.

    Why raw SQL, and counts finished in Python: a queryset per count re-ran
    the full-text match and read every matching resource again, eight times
    per page (up to a second for a common word at 100,000 resources). Here
    one statement reads the resources once into a materialised table, with
    their facet columns and, per filter in use, whether they pass it, and
    gives back the two totals and, per facet, the ids of the values the
    resources have, gathered into one string that Python counts. A GROUP BY
    per facet would sort every match again: seven sorts, which cost SQLite
    as much as reading the resources (bench/README.md). A second statement
    reads the vocabularies (a hundred rows), in their order, once per catalog
    generation and process.
    """
    flags = {
        f"filter_{name}": ExpressionWrapper(BY_NAME[name].condition(value), BooleanField())
        for name, value in values.items()
    }
    columns = {f.name: Resource._meta.get_field(f.field).attname for f in FACETS if f.field}
    rows = resources.order_by().annotate(**flags).values_list("pk", *columns.values(), *flags)
    try:
        sql, params = rows.query.sql_with_params()
    except EmptyResultSet:
        return 0, 0, {}
    with connection.cursor() as cursor:
        cursor.execute(_counting(sql, list(flags), columns), params)
        matches, total, *id_lists = cursor.fetchone()
    present = [Counter(ids.split(",")) if ids else Counter() for ids in id_lists]
    return matches, total, _in_order(present, str)


def _in_order(present: list[Counter], key=int) -> dict[str, list]:
    """Per facet, (value, label, count) of the value ids `present` counts (their
    `key`), in the vocabulary's order."""
    vocabularies = services.per_generation("facet vocabularies", _read_vocabularies)
    counted = {}
    for index, pk, value, label, _order in vocabularies:
        if n := present[index].get(key(pk)):
            counted.setdefault(FACETS[index].name, []).append((value, label, n))
    return counted


def count_in_memory(ids: list[int], values: dict[str, str]) -> tuple[int, int, dict] | None:
    """`count` of the resources `ids`, from the facet values of every resource
    kept per catalog generation: no statement per page. None when a resource
    is unknown to them (created since they were read): count in the database.
    """
    facet_values = services.per_generation("facet index", _read_facet_index)
    try:
        rows = [facet_values[pk] for pk in ids]
    except KeyError:
        return None
    if not values:
        # No filter: every resource counts for every facet, one facet at a time.
        columns = zip(*rows, strict=True) if rows else ((),) * len(FACETS)
        return len(rows), len(rows), _in_order([Counter(chain(*column)) for column in columns])
    known = services.per_generation("facet values by key", _read_value_ids)
    wanted = {FACETS.index(BY_NAME[name]): known.get((name, v)) for name, v in values.items()}
    present = [Counter() for _ in FACETS]
    total = 0
    for row in rows:
        failed = [facet for facet, pk in wanted.items() if pk not in row[facet]]
        if not failed:
            total += 1
            for counter, ids_of_facet in zip(present, row, strict=True):
                counter.update(ids_of_facet)
        elif len(failed) == 1:
            # Counted for the one facet whose own filter it fails: lifting it keeps it.
            present[failed[0]].update(row[failed[0]])
    return len(rows), total, _in_order(present)


def _read_facet_index() -> dict[int, tuple[tuple[int, ...], ...]]:
    """Per resource id, the ids of its values for each facet of FACETS."""
    sections: dict[int, list[int]] = {}
    for resource_id, section_id in Placement.objects.values_list("resource_id", "section_id"):
        sections.setdefault(resource_id, []).append(section_id)
    columns = [Resource._meta.get_field(f.field).attname for f in FACETS if f.field]
    index = {}
    for pk, *related in Resource.objects.values_list("pk", *columns).iterator(chunk_size=2000):
        values = iter(related)
        index[pk] = tuple(
            tuple(sections.get(pk, ())) if not facet.field else _present(next(values))
            for facet in FACETS
        )
    return index


def _present(pk: int | None) -> tuple[int, ...]:
    return () if pk is None else (pk,)


def _read_value_ids() -> dict[tuple[str, str], int]:
    """The id of every facet value by (facet name, value key): what filters name."""
    vocabularies = services.per_generation("facet vocabularies", _read_vocabularies)
    return {(FACETS[index].name, key): pk for index, pk, key, _label, _order in vocabularies}


def _counting(rows: str, flags: list[str], columns: dict[str, str]) -> str:
    """The statement of `count`, over the resources `rows` selects, materialised as m.

    One row: how many resources, how many every flag keeps, then for each
    facet of FACETS the ids of the values of the resources its count keeps.
    """
    quote = connection.ops.quote_name
    id_list = backends.current().id_list

    def kept(lifting: str = "") -> str:
        return " AND ".join(f"m.{quote(f)}" for f in flags if f != f"filter_{lifting}")

    placement = Placement._meta
    resource_id = quote(placement.get_field("resource").column)
    section_id = quote(placement.get_field("section").column)
    lists = []
    for facet in FACETS:
        condition = kept(lifting=facet.name)
        if facet.field:
            column = f"m.{quote(columns[facet.name])}"
            lists.append(
                id_list(f"CASE WHEN {condition} THEN {column} END" if condition else column)
            )
        else:
            # One id per resource and section: a resource is placed once per section at
            # most (one_placement_per_section).
            placed = (
                f"SELECT {id_list(f'p.{section_id}')} FROM m JOIN {quote(placement.db_table)} p"
                f" ON p.{resource_id} = m.{quote('pk')}"
            )
            lists.append(f"({placed} WHERE {condition})" if condition else f"({placed})")
    every = kept()
    total = f"COUNT(CASE WHEN {every} THEN 1 END)" if every else "COUNT(*)"
    return f"WITH m AS MATERIALIZED ({rows}) SELECT COUNT(*), {total}, {', '.join(lists)} FROM m"


def _read_vocabularies() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(_vocabularies())
        return cursor.fetchall()


def _vocabularies() -> str:
    """Every value of every facet, (index in FACETS, id, key, label, order), in order."""
    quote = connection.ops.quote_name
    values = []
    for index, facet in enumerate(FACETS):
        meta = facet.vocabulary()._meta
        key, title, order = (
            quote(meta.get_field(name).column) for name in (facet.key, facet.title, "order")
        )
        values.append(
            f"SELECT {index}, {quote(meta.pk.column)}, {key}, {title}, {order}"
            f" FROM {quote(meta.db_table)}"
        )
    return f"{' UNION ALL '.join(values)} ORDER BY 1, 5, 3"


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
    total = len({p.resource_id for p in placements if kept(p)})
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
        if counts.narrows(total):
            found.append(counts)
    if filters:
        placements = [p for p in placements if kept(p)]
    return placements, found
