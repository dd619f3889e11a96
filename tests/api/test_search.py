"""GET /api/v1/search: the engine of /recherche/, its filters and facets, as JSON."""

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from sommaire.catalog.models import Region
from sommaire.search import page as search_page
from sommaire.search import services
from tests.documents import files
from tests.documents.conftest import extract
from tests.search.factories import resource


@pytest.fixture(autouse=True)
def fresh_search_state():
    services.forget()
    yield
    services.forget()


def search(client, **params) -> dict:
    response = client.get("/api/v1/search", params)
    assert response.status_code == 200, response.content
    return response.json()


def the_page(**params):
    """What /recherche/ builds for the same parameters."""
    query = QueryDict(mutable=True)
    query.update(params)
    return search_page.build(query)


def test_it_finds_what_the_search_page_finds_in_the_same_order(segur, client):
    found = search(client, q="certificats", limit=20)

    expected = the_page(q="certificats")
    assert found["count"] == expected.total > 0
    assert [hit["key"] for hit in found["items"]] == [r.resource.key for r in expected.results]


def test_a_hit_has_url_title_section_score_and_snippet(segur, client):
    zorglub = resource(
        "Guide du zorglub", "Comment brancher le zorglub au DPI.", section="officine"
    )

    hit = search(client, q="zorglub")["items"][0]

    assert hit["key"] == zorglub.key and hit["url"] == zorglub.url
    assert hit["title"] == "Guide du zorglub" and hit["section"] == "officine"
    assert hit["score"] > 0 and hit["status"] == "active"
    assert hit["snippet"] == "Comment brancher le <mark>zorglub</mark> au DPI."
    assert hit["page_url"].endswith(f"/ressource/{zorglub.key}/")


def test_text_is_escaped_before_it_is_marked(segur, client):
    resource("Zorglub", "<script>alert(1)</script> zorglub & cie")

    hit = search(client, q="zorglub")["items"][0]

    assert hit["snippet"] == "&lt;script&gt;alert(1)&lt;/script&gt; <mark>zorglub</mark> &amp; cie"


@pytest.mark.parametrize("name, value", [("kind", "faq"), ("section", "officine")])
def test_filters_and_facets_are_those_of_the_search_page(segur, client, name, value):
    found = search(client, q="certificats", **{name: value})

    expected = the_page(q="certificats", **{name: value})
    assert found["count"] == expected.total
    assert [
        (f["name"], [(c["value"], c["count"], c["selected"]) for c in f["choices"]])
        for f in found["facets"]
    ] == [
        (f.facet.name, [(c.value, c.count, c.selected) for c in f.choices]) for f in expected.facets
    ]
    assert any(
        f["name"] == name and any(c["selected"] for c in f["choices"]) for f in found["facets"]
    )


def test_a_region_filter_keeps_that_regions_resources(segur, client):
    occitan = resource("Zorglub en Occitanie")
    occitan.region = Region.objects.get(code="OCC")
    occitan.save()
    resource("Zorglub national")

    found = search(client, q="zorglub", region="OCC")

    assert [hit["key"] for hit in found["items"]] == [occitan.key]


def test_results_come_in_pages(segur, client):
    for number in range(7):
        resource(f"Zorglub numéro {number}")

    first = search(client, q="zorglub", limit=5)
    second = search(client, q="zorglub", limit=5, offset=5)

    assert first["count"] == second["count"] == 7
    assert len(first["items"]) == 5 and len(second["items"]) == 2
    assert first["next"].endswith("/api/v1/search?q=zorglub&limit=5&offset=5")
    assert not {h["key"] for h in first["items"]} & {h["key"] for h in second["items"]}


def test_a_misspelt_word_is_corrected_unless_asked_not_to(segur, client):
    corrected = search(client, q="oficine")
    as_typed = search(client, q="oficine", original="true")

    assert corrected["corrected"] is True and corrected["query"] == "officine"
    assert corrected["count"] > 0
    assert as_typed["corrected"] is False and as_typed["count"] == 0


def test_when_no_resource_has_every_word_it_says_so(segur, client):
    resource("Zorglub")

    found = search(client, q="zorglub krypton")

    assert found["relaxed"] is True and found["count"] == 1


def test_an_empty_query_is_a_422(segur, client):
    response = client.get("/api/v1/search", {"q": ""})

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "q"]


def test_a_query_of_punctuation_finds_nothing_rather_than_fails(segur, client):
    found = search(client, q="« ! »")

    assert found["count"] == 0 and found["items"] == []


def test_a_word_in_a_document_comes_with_its_passage(published, client):
    lines = ["Appel à financement.", "Déposer le dossier sur la plateforme zorglub."]
    appel = published("appel.pdf", files.pdf(lines), "Appel à financement")
    extract()

    hit = search(client, q="zorglub")["items"][0]

    assert hit["key"] == appel.key
    assert hit["passages"] == [
        {
            "place": "p. 2",
            "url": appel.url + "#page=2",
            "snippet": "Déposer le dossier sur la plateforme <mark>zorglub</mark>.",
        }
    ]


@pytest.mark.parametrize("params", [{"q": "certificats"}, {"q": "pharmacie", "kind": "faq"}])
def test_it_reads_the_matches_no_more_often_than_the_search_page(segur, client, params):
    def over_matches(captured) -> int:
        # Every statement that reads the index: counting, ranking, words left out.
        return sum("search_" in q["sql"] for q in captured.captured_queries)

    search(client, **params)  # warm: glossary, synonyms, vocabulary
    the_page(**params)
    with CaptureQueriesContext(connection) as api:
        search(client, **params)
    with CaptureQueriesContext(connection) as page:
        the_page(**params)

    assert over_matches(api) == over_matches(page) > 0
