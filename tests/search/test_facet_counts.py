"""Facet counts: `listing.count` against counting by hand.

Over every match of a query, the /recherche/ page counts the resources the
filters keep, and for each facet the resources each value would give with
the other filters kept and its own lifted (see `sommaire.search.listing`).
These tests count the same in Python, resource by resource, for several
queries and filters, on the Ségur catalog and made-up resources that cover
the awkward cases: archived resources (counted, as in the results), a
resource placed in two sections, resources with no profile, wave or region.
"""

from collections import Counter

import pytest

from sommaire.catalog.models import Placement, Region, Resource, Section, SoftwareProfile, Wave
from sommaire.search import listing, services
from sommaire.search.listing import BY_NAME, FACETS, Filters, count, count_in_memory
from tests.search.factories import resource

QUERIES = ["zorglub", "zorglub krypton", "certificats", "dsr", "ins", "pharmacie"]
FILTERS = [
    {},
    {"kind": "guide"},
    {"section": "hopital"},
    {"region": "OCC"},
    {"kind": "guide", "section": "officine"},
    {"section": "hopital", "region": "OCC", "format": "pdf"},
    {"profile": "dpi", "wave": "vague-1"},
    {"publisher": "ans", "kind": "faq"},
    {"kind": "nothing-of-the-kind"},
]


def values_of(item: Resource, name: str) -> list[tuple[str, str, int]]:
    """(key, label, order) of every value `item` has for the facet `name`."""
    facet = BY_NAME[name]
    if not facet.field:
        return [(p.section.slug, p.section.title, p.section.order) for p in item.placements.all()]
    related = getattr(item, facet.field)
    if related is None:
        return []
    return [(getattr(related, facet.key), getattr(related, facet.title), related.order)]


def kept(item: Resource, filters: dict, lifting: str = "") -> bool:
    return all(
        any(key == wanted for key, _label, _order in values_of(item, name))
        for name, wanted in filters.items()
        if name != lifting
    )


def by_hand(resources, filters: dict) -> tuple[int, int, dict]:
    items = list(resources.described().prefetch_related("placements__section"))
    counted = {}
    for facet in FACETS:
        seen = Counter(
            value
            for item in items
            if kept(item, filters, lifting=facet.name)
            for value in values_of(item, facet.name)
        )
        in_order = sorted(seen.items(), key=lambda pair: (pair[0][2], pair[0][0]))
        if in_order:
            counted[facet.name] = [(key, label, n) for (key, label, _order), n in in_order]
    return len(items), sum(1 for item in items if kept(item, filters)), counted


@pytest.fixture
def zorglubs(segur):
    """Made-up resources spread over the facets' values, some regional, some archived."""
    occitanie, bretagne = Region.objects.get(code="OCC"), Region.objects.get(code="BRE")
    dpi, lgo = SoftwareProfile.objects.get(slug="dpi"), SoftwareProfile.objects.get(slug="lgo")
    first_wave = Wave.objects.get(slug="vague-1")
    spread = [
        ("guide", "pdf", "hopital", occitanie, dpi, first_wave, "active"),
        ("guide", "pdf", "hopital", None, dpi, None, "active"),
        ("guide", "xlsx", "officine", occitanie, lgo, first_wave, "active"),
        ("guide", "pdf", "officine", bretagne, None, None, "archived"),
        ("faq", "page-web", "hopital", occitanie, None, None, "active"),
        ("faq", "pdf", "ins", None, dpi, first_wave, "archived"),
        ("dsr", "pdf", "hopital", None, dpi, first_wave, "active"),
        ("dsr", "xlsx", "officine", bretagne, lgo, None, "active"),
        ("fiche-pratique", "pdf", "mssante", occitanie, None, None, "active"),
    ]
    for n, (kind, fmt, section, region, profile, wave, status) in enumerate(spread):
        words = "Zorglub krypton" if n % 2 else "Zorglub"
        item = resource(f"{words} {n}", kind=kind, fmt=fmt, section=section, status=status)
        item.region, item.profile, item.wave = region, profile, wave
        item.save()
    twice = resource("Zorglub krypton, dans deux rubriques", kind="guide", section="hopital")
    Placement.objects.create(resource=twice, section=Section.objects.get(slug="officine"))


@pytest.mark.parametrize("text", QUERIES)
def test_the_counts_are_those_of_a_count_by_hand(zorglubs, text):
    matches = services.matching(services.analyse(text))
    assert matches.exists()

    for filters in FILTERS:
        assert count(matches, filters) == by_hand(matches, filters), filters


@pytest.mark.parametrize("text", QUERIES)
def test_counting_in_memory_gives_the_counts_of_the_database(zorglubs, text):
    query = services.analyse(text)
    matches = services.matching(query)

    for filters in FILTERS:
        assert count_in_memory(services.matching_ids(query), filters) == count(matches, filters)


def test_a_resource_unknown_to_the_memory_is_counted_by_the_database(zorglubs, monkeypatch):
    query = services.analyse("zorglub")
    ids = services.matching_ids(query)
    monkeypatch.setattr(
        services, "per_generation", lambda name, read: {} if name == "facet index" else read()
    )

    assert count_in_memory(ids, {}) is None
    assert Filters({}).tally_matches(query).matches == 10


def test_a_large_catalog_counts_in_the_database(zorglubs, monkeypatch):
    query = services.analyse("zorglub")
    monkeypatch.setattr(services, "SMALL_CATALOG", 100)
    monkeypatch.setattr(listing, "count_in_memory", None)  # not called

    tally = Filters({"kind": "guide"}).tally_matches(query)

    assert (tally.matches, tally.total) == (10, 5)


def test_archived_matches_and_a_second_placement_are_counted(zorglubs):
    matches = services.matching(services.analyse("zorglub"))

    found, total, counted = count(matches, {"section": "officine"})

    assert (found, total) == (10, 4)
    assert dict((key, n) for key, _label, n in counted["section"])["hopital"] == 5
    assert Resource.objects.filter(pk__in=matches, status="archived").count() == 2


def test_a_filter_that_matches_nothing_still_shows_to_be_lifted(zorglubs):
    tally = Filters({"kind": "nothing-of-the-kind"}).tally(
        services.matching(services.analyse("zorglub"))
    )

    assert (tally.matches, tally.total) == (10, 0)
    kinds = next(counts for counts in tally.facets if counts.facet.name == "kind")
    assert kinds.selected().count == 0 and kinds.clear_url == "?"
    assert [c.value for c in kinds.choices[:-1]] == ["fiche-pratique", "dsr", "guide", "faq"]


def test_no_resources_count_nothing(segur):
    assert count(Resource.objects.none(), {"kind": "guide"}) == (0, 0, {})
    assert count_in_memory([], {"kind": "guide"}) == count_in_memory([], {}) == (0, 0, {})


def test_the_counts_take_two_statements_whatever_the_filters(zorglubs, django_assert_num_queries):
    matches = services.matching(services.analyse("zorglub"))

    with django_assert_num_queries(2):  # the matches read once, then the vocabularies
        count(matches, {"kind": "guide", "section": "hopital", "region": "OCC"})
