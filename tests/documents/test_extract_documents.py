"""`sommaire extract-documents [--url URL ...] [--format json]`: documents into passages."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from sommaire.catalog.models import CatalogEvent
from sommaire.documents.models import DocumentState, Passage
from tests.documents import files
from tests.documents.conftest import by_key, extract
from tests.public.html import page


def test_it_extracts_every_document_of_the_catalog_into_passages(published):
    guide = published("guide.pdf", files.pdf(["Zorglub au début.", "Krypton page deux."]), "Guide")
    rem = published("REM-DPI.xlsx", files.rem(), "REM DPI")
    slides = published("webinaire.pptx", files.pptx_file(["Titre\nCorps"]), "Webinaire")

    rows = by_key(extract())

    assert {key: row["status"] for key, row in rows.items()} == {
        guide.key: "extracted",
        rem.key: "extracted",
        slides.key: "extracted",
    }
    assert rows[guide.key] | {"url": "", "key": ""} == {
        "url": "",
        "key": "",
        "status": "extracted",
        "format": "pdf",
        "passages": 2,
        "units": 2,
        "reason": "",
    }
    pages = Passage.objects.filter(resource=guide).values_list("page", "text")
    assert list(pages) == [(1, "Zorglub au début."), (2, "Krypton page deux.")]
    row = Passage.objects.get(resource=rem, identifier="EX_3.1-1040")
    assert (row.sheet, row.row, row.fields["Scénario de conformité"]) == ("Exigences", 5, "SC-04")


def test_a_second_run_sends_conditional_requests_and_changes_nothing(published, site):
    guide = published("guide.pdf", files.pdf(["Zorglub."]), "Guide")
    extract()
    before = list(Passage.objects.filter(resource=guide).values_list("id", "text"))

    rows = extract()

    assert [row["status"] for row in rows] == ["not_modified"]
    assert rows[0]["passages"] == 1
    assert site.requests("/docs/guide.pdf") == [200, 304]
    assert list(Passage.objects.filter(resource=guide).values_list("id", "text")) == before


def test_the_same_bytes_without_validators_are_unchanged(published, site):
    guide = published("guide.pdf", files.pdf(["Zorglub."]), "Guide")
    site.pages["/docs/guide.pdf"].conditional = False
    extract()

    rows = extract()

    assert [row["status"] for row in rows] == ["unchanged"]
    assert DocumentState.objects.get(resource=guide).passage_count == 1


def test_a_changed_document_is_extracted_again_and_shown_as_updated(published, site, client):
    guide = published("guide.pdf", files.pdf(["Ancien calendrier zorglub."]), "Guide zorglub")
    extract()
    site.set("/docs/guide.pdf", files.pdf(["Nouveau calendrier krypton."]))

    rows = extract()

    assert rows[0]["status"] == "extracted"
    assert list(Passage.objects.filter(resource=guide).values_list("text", flat=True)) == [
        "Nouveau calendrier krypton."
    ]
    event = CatalogEvent.objects.get(resource=guide)
    assert event.kind == CatalogEvent.Kind.UPDATED
    news = page(client, "/nouveautes/")
    item = next(
        li
        for li in news.find_all("li", class_="sommaire-news__item")
        if "Guide zorglub" in li.text()
    )
    assert "mise à jour" in item.text()


def test_the_first_extraction_is_no_news(published):
    published("guide.pdf", files.pdf(["Zorglub."]), "Guide")

    extract()

    assert not CatalogEvent.objects.exists()


def test_new_bytes_with_the_same_text_are_no_news(published, site):
    published("guide.pdf", files.pdf(["Zorglub."]), "Guide")
    extract()
    # Same text, other bytes: a new title in the PDF's metadata.
    site.set("/docs/guide.pdf", files.pdf(["Zorglub."]) + b"\n%% resaved\n")

    rows = extract()

    assert rows[0]["status"] == "unchanged"
    assert not CatalogEvent.objects.exists()


@pytest.mark.parametrize(
    "name, data, reason",
    [
        (
            "chiffre.pdf",
            files.pdf(["Confidentiel"], password="secret"),
            "PDF protégé par un mot de passe",
        ),
        (
            "chiffre.docx",
            files.encrypted_office(),
            "document Word protégé par un mot de passe",
        ),
        ("chiffre.xlsx", files.encrypted_office(), "classeur protégé par un mot de passe"),
        (
            "chiffre.pptx",
            files.encrypted_office(),
            "présentation protégée par un mot de passe",
        ),
        ("tronque.xlsx", files.truncated(files.rem()), "fichier endommagé"),
        (
            "connexion.pdf",
            b"<!doctype html><html><body>Se connecter</body></html>",
            "page web reçue",
        ),
    ],
    ids=[
        "encrypted-pdf",
        "encrypted-docx",
        "encrypted-xlsx",
        "encrypted-pptx",
        "corrupt",
        "login-page",
    ],
)
def test_an_unreadable_file_is_recorded_with_its_reason_and_the_run_goes_on(
    published, name, data, reason
):
    bad = published(name, data, "Mauvais")
    good = published("bon.pdf", files.pdf(["Zorglub."]), "Bon")

    rows = by_key(extract())

    assert rows[bad.key]["status"] == "error"
    assert reason in rows[bad.key]["reason"]
    assert rows[good.key]["status"] == "extracted"
    state = DocumentState.objects.get(resource=bad)
    assert (state.status, reason in state.reason) == ("error", True)


def test_an_oversize_file_is_not_read_past_the_cap(published, settings):
    settings.DOCUMENTS_MAX_BYTES = 2048
    data = files.pdf([f"Page {n} " + "zorglub " * 100 for n in range(8)])
    big = published("gros.pdf", data, "Gros")

    rows = extract()

    assert len(data) > 2048
    assert rows[0]["status"] == "error"
    assert "trop volumineux : plus de 2 Ko" in rows[0]["reason"]
    assert not Passage.objects.filter(resource=big).exists()


def test_a_missing_or_broken_document_keeps_its_last_passages(published, site):
    guide = published("guide.pdf", files.pdf(["Zorglub."]), "Guide")
    extract()
    site.set("/docs/guide.pdf", files.truncated(files.pdf(["Autre"])))
    extract()
    del site.pages["/docs/guide.pdf"]

    rows = extract()

    assert rows[0] | {"url": "", "key": ""} == {
        "url": "",
        "key": "",
        "status": "error",
        "format": "",
        "passages": 0,
        "units": 0,
        "reason": "le serveur a répondu HTTP 404",
    }
    assert list(Passage.objects.filter(resource=guide).values_list("text", flat=True)) == [
        "Zorglub."
    ]


def test_a_document_back_after_an_error_is_read_again_and_unchanged(published, site):
    guide = published("guide.pdf", files.pdf(["Zorglub."]), "Guide")
    extract()
    data = site.pages["/docs/guide.pdf"].body
    del site.pages["/docs/guide.pdf"]
    extract()
    site.set("/docs/guide.pdf", data)

    rows = extract()

    assert (rows[0]["status"], rows[0]["reason"]) == ("unchanged", "")
    state = DocumentState.objects.get(resource=guide)
    assert (state.status, state.reason) == ("extracted", "")


def test_url_extracts_only_that_document(published, site):
    published("a.pdf", files.pdf(["Zorglub."]), "A")
    b = published("b.pdf", files.pdf(["Krypton."]), "B")

    rows = extract("--url", b.url)

    assert [row["key"] for row in rows] == [b.key]
    assert site.requests("/docs/a.pdf") == []


def test_an_unknown_url_is_refused(published):
    with pytest.raises(CommandError, match="not in the catalog"):
        extract("--url", "http://127.0.0.1:9/absent.pdf")


def test_a_document_another_run_holds_is_skipped(published, site):
    guide = published("guide.pdf", files.pdf(["Zorglub."]), "Guide")
    DocumentState.objects.create(resource=guide).claim(timedelta(minutes=5))

    rows = extract()

    assert [(row["status"], row["reason"]) for row in rows] == [
        ("skipped", "lu par une autre exécution")
    ]
    assert site.requests("/docs/guide.pdf") == []


def test_text_output_has_a_line_per_document_and_a_summary(published):
    published("guide.pdf", files.pdf(["Zorglub."]), "Guide")
    published("chiffre.pdf", files.pdf(["x"], password="secret"), "Chiffré")
    out = StringIO()

    call_command("extract-documents", stdout=out)

    lines = out.getvalue().splitlines()
    assert any(line.startswith("extracted") and "1 passage(s)" in line for line in lines)
    assert any(line.startswith("error") and "mot de passe" in line for line in lines)
    assert lines[-1] == "1 error, 1 extracted"
