"""The ranking rules, checked to the exact order of results.

The suite runs on SQLite and on PostgreSQL (DATABASE_URL): each expectation
below is the same for both, so both engines must give the same first results
for the same catalog.
"""

import pytest

from sommaire.catalog.models import GlossaryTerm, Resource
from sommaire.search import services
from sommaire.search.models import Synonym
from tests.search.factories import resource


def keys(text: str, limit: int = 10) -> list[str]:
    return [hit.resource.key for hit in services.describe(services.search(text, limit).hits)]


@pytest.fixture
def catalog(segur):
    resource("Zorglub : le guide", key="title")
    resource("Note de cadrage", "Une note qui parle du zorglub en passant.", key="description")
    resource(
        "Zorglub : la foire aux questions",
        "Tout sur le zorglub, le zorglub et encore le zorglub.",
        key="title-and-description",
    )
    resource(
        "Guide du zorglub, ancienne version",
        status=Resource.Status.ARCHIVED,
        key="archived",
    )


def test_title_ranks_above_description_and_active_above_archived(catalog):
    assert keys("zorglub") == ["title-and-description", "title", "description", "archived"]


def test_accents_case_and_plurals_do_not_change_the_order(catalog):
    assert keys("ZORGLÜBS") == keys("zorglub")


def test_an_exact_document_code_ranks_its_resource_first(segur):
    resource(
        "Note sur le DSR ZRG XYZ Va1, avec le DSR et le ZRG et le XYZ",
        "DSR ZRG XYZ Va1 DSR ZRG XYZ Va1",
        key="mentions-the-parts",
    )
    resource(
        "DSR — XYZ, vague 1",
        url="https://example.org/documents/DSR-ZRG-XYZ-Va1.pdf",
        key="the-document",
    )

    assert keys("DSR-ZRG-XYZ-Va1") == ["the-document", "mentions-the-parts"]
    assert keys("dsr-zrg-xyz-va1")[0] == "the-document"


def test_an_acronym_ranks_its_own_resources_before_those_of_its_expansion(segur):
    GlossaryTerm.objects.create(term="ZRG", expansion="Zone de Régulation Galactique")
    resource("Guide de la zone de régulation galactique", key="expansion")
    resource("Référentiel ZRG", key="acronym")

    assert keys("ZRG") == ["acronym", "expansion"]
    assert keys("zone de regulation galactique") == ["expansion", "acronym"]


def test_a_synonym_finds_the_other_word_after_the_word_itself(catalog):
    Synonym.objects.create(words=["krypton", "zorglub"])
    resource("Krypton pour les nuls", key="krypton")

    found = keys("krypton")

    assert found[0] == "krypton"
    assert set(found[1:]) == {"title", "description", "title-and-description", "archived"}


def test_an_equivalent_in_the_title_ranks_above_the_word_in_the_description(segur):
    Synonym.objects.create(words=["krypton", "zorglub"])
    resource("Note de cadrage", "Le zorglub. " * 12, key="description")
    resource("Krypton : le guide", key="equivalent-in-title")

    assert keys("zorglub") == ["equivalent-in-title", "description"]


def test_a_typo_is_corrected_then_ranked_the_same(catalog):
    assert keys("zorgulb") == keys("zorglub")


def test_filters_keep_the_order(catalog):
    restrict = Resource.objects.exclude(key="title")

    hits = services.search("zorglub", restrict=restrict).hits

    assert [h.resource_id for h in hits] == [
        Resource.objects.get(key=k).pk for k in ("title-and-description", "description", "archived")
    ]


def test_pages_follow_one_another(catalog):
    first = services.search("zorglub", limit=2).hits
    second = services.search("zorglub", limit=2, offset=2).hits

    assert [h.resource_id for h in first + second] == [
        h.resource_id for h in services.search("zorglub", limit=4).hits
    ]
