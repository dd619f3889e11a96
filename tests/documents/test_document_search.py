"""Searching inside documents: the resource first, its best passages beneath, with their place."""

import json
from io import StringIO

from django.core.management import call_command

from sommaire.search import services
from tests.documents import files
from tests.documents.conftest import extract
from tests.public.html import page
from tests.search.factories import resource

APPEL = [
    "Appel à financement du couloir hospitalier.",
    "Le dossier complet est déposé avant le 31 mars 2027 sur la plateforme zorglub.",
    "Les montants forfaitaires sont versés en deux fois.",
]


def search_json(*words: str) -> list[dict]:
    out = StringIO()
    call_command("search", *words, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_a_word_only_in_a_document_finds_it_with_the_page_where_it_is(published):
    appel = published("af-hop.pdf", files.pdf(APPEL), "Appel à financement Hôpital")
    extract()

    results = search_json("zorglub")

    assert results[0]["key"] == appel.key
    assert results[0]["passages"] == [
        {
            "page": 2,
            "place": "p. 2",
            "url": appel.url + "#page=2",
            "snippet": APPEL[1],
        }
    ]


def test_a_requirement_code_lands_on_its_row_first(published):
    rem = published("REM-HOP-DPI.xlsx", files.rem(), "REM Hôpital DPI")
    other = files.xlsx(
        {"Exigences": [["Identifiant", "Exigence"], ["EX_3.1-1041", "Voir aussi EX_3.1-1040."]]}
    )
    published("REM-AUTRE.xlsx", other, "REM autre")
    published("note.pdf", files.pdf(["Cette note cite l'exigence EX_3.1-1040."]), "Note")
    extract()

    results = search_json("EX_3.1-1040")

    assert results[0]["key"] == rem.key
    first = results[0]["passages"][0]
    assert (first["sheet"], first["row"], first["place"]) == (
        "Exigences",
        5,
        "onglet Exigences, ligne 5",
    )
    assert first["snippet"].startswith(
        "Identifiant : EX_3.1-1040 · Exigence : Le logiciel alimente"
    )
    assert len(results) == 3  # the others cite it: found, after


def test_the_row_of_a_code_comes_before_rows_that_cite_it(published):
    rows = [["Identifiant", "Exigence"]]
    rows += [[f"EX_1.0-{n:04d}", "Comme EX_3.1-1040, le logiciel trace."] for n in range(5)]
    rows += [["EX_3.1-1040", "Le logiciel alimente le DMP."]]
    rem = published("REM.xlsx", files.xlsx({"Exigences": rows}), "REM")
    extract()

    first = search_json("EX_3.1-1040")[0]

    assert first["key"] == rem.key
    assert [p["row"] for p in first["passages"]] == [7, 2, 3]
    assert first["passages"][0]["snippet"].startswith("Identifiant : EX_3.1-1040")


def test_passages_say_their_slide_or_heading(published):
    slides = published(
        "webinaire.pptx",
        files.pptx_file(["Accueil\nBienvenue", "Calendrier\nDépôt zorglub"]),
        "Webinaire",
    )
    guide = published(
        "guide.docx",
        files.docx_file(
            [("h1", "Démarches"), ("h2", "Dépôt"), ("p", "Le dépôt se fait sur zorglub.")]
        ),
        "Guide des démarches",
    )
    extract()

    found = {row["key"]: row["passages"] for row in search_json("zorglub")}

    assert found[slides.key][0] | {"snippet": ""} == {
        "slide": 2,
        "place": "diapositive 2",
        "url": slides.url,
        "snippet": "",
    }
    assert found[guide.key][0]["heading"] == "Démarches › Dépôt"


def test_a_resource_found_by_its_title_comes_before_one_found_in_a_document(published):
    published("appel.pdf", files.pdf(["Le calendrier krypton est publié."]), "Appel à financement")
    titled = resource("Calendrier krypton", "Les dates du programme.")
    extract()

    results = search_json("krypton")

    assert [row["key"] for row in results][0] == titled.key
    assert len(results) == 2


def test_words_may_be_in_the_title_and_in_the_document(published):
    appel = published(
        "appel.pdf", files.pdf(["Montant krypton par établissement."]), "Appel zorglub"
    )
    extract()

    assert [row["key"] for row in search_json("zorglub", "krypton")] == [appel.key]


def test_passages_with_every_word_come_first(published):
    appel = published(
        "appel.pdf",
        files.pdf(["Zorglub seul ici. Zorglub encore.", "Zorglub et krypton ensemble."]),
        "Appel",
    )
    extract()

    results = search_json("zorglub", "krypton")

    assert results[0]["key"] == appel.key
    assert [p["page"] for p in results[0]["passages"]] == [2, 1]


def test_a_document_extracted_again_is_found_by_its_new_words_only(published, site):
    published("appel.pdf", files.pdf(["Ancien texte zorglub."]), "Appel")
    extract()
    site.set("/docs/appel.pdf", files.pdf(["Nouveau texte krypton."]))
    extract()

    assert search_json("zorglub") == []
    assert [p["snippet"] for p in search_json("krypton")[0]["passages"]] == [
        "Nouveau texte krypton."
    ]


def test_the_search_page_shows_passages_with_place_link_and_marked_words(published, client):
    appel = published("af-hop.pdf", files.pdf(APPEL), "Appel à financement Hôpital")
    extract()

    document = page(client, "/recherche/?q=zorglub")

    result = document.find("li", class_="sommaire-search-result")
    assert result.get("data-key") == appel.key
    passage = result.find("li", class_="sommaire-search-result__passage")
    link = passage.find("a")
    assert link.get("href") == appel.url + "#page=2"
    assert link.text().startswith("p. 2")
    assert [m.text() for m in passage.find_all("mark")] == ["zorglub"]


def test_passage_text_is_escaped_before_it_is_marked(published, client):
    published(
        "hostile.csv",
        files.csv_file([["Titre", "Texte"], ["<script>x</script>", "zorglub <b>"]]),
        "Hostile",
    )
    extract()

    html = client.get("/recherche/?q=zorglub").content.decode()

    assert "<script>x</script>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html


def test_best_passages_read_only_the_documents_shown(published, django_assert_max_num_queries):
    for n in range(5):
        published(f"doc-{n}.pdf", files.pdf([f"Zorglub numéro {n}."]), f"Document {n}")
    extract()
    results = services.search("zorglub", limit=2)
    hits = services.describe(results.hits)

    # The documents with text, one per hit shown, the candidates' words, the passages.
    with django_assert_max_num_queries(5):
        services.attach_passages(hits, results.query)

    assert all(len(hit.passages) == 1 for hit in hits)
