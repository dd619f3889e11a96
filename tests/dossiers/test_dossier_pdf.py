"""/dossiers/<slug>.pdf: the dossier as a tagged PDF, read as a reader's software does."""

import pytest

from sommaire.catalog.models import Resource
from sommaire.dossiers.services import ItemInput
from tests.dossiers.factories import compose, new_version
from tests.edition.pdfs import Pdf

pytestmark = pytest.mark.django_db
HOSTILE = '#import "x": * $a$ *b* _c_ @d <e> ] [ // f #{1 + 1}'


def pdf_of(client, dossier) -> Pdf:
    answer = client.get(dossier.get_pdf_url())
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    return Pdf(answer.content)


def test_it_holds_the_title_the_audience_and_each_item_in_order(client, nadia):
    pdf = pdf_of(client, compose(nadia))
    text = pdf.full_text()
    places = [
        text.index(words)
        for words in (
            "Préparer sa demande SONS DUI",
            "Pour un EHPAD qui prépare sa demande SONS DUI",
            "Financement",
            "Appel à financement — DUI",
            "Le texte de l’appel, à lire en premier.",
            Resource.objects.get(key="ms-dui-rem-va1").title,
        )
    ]
    assert places == sorted(places)


def test_each_resource_is_a_link_and_each_heading_a_bookmark(client, nadia):
    dossier = compose(nadia)
    pdf = pdf_of(client, dossier)
    uris = {link.uri for link in pdf.links}
    assert {
        r.url for r in Resource.objects.filter(key__in=["ms-dui-af-va1", "ms-dui-rem-va1"])
    } <= uris
    assert "http://127.0.0.1:8000/dossiers/ehpad-sons-dui/" in uris
    assert [b.title for b in pdf.bookmarks] == [
        "Préparer sa demande SONS DUI",
        "Financement",
        "Sigles",  # the glossary terms the notes and descriptions use
    ]


def test_it_is_tagged_pdf_ua_with_the_dossier_as_title_in_french(client, nadia):
    pdf = pdf_of(client, compose(nadia))
    root = pdf.root
    assert root["/Lang"] == "fr-FR"
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert pdf.reader.metadata.title == "Préparer sa demande SONS DUI"
    assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data()


def test_it_says_when_a_document_has_a_new_version(client, nadia):
    dossier = compose(nadia)
    new = new_version(Resource.objects.get(key="ms-dui-rem-va1"), "REM DUI, vague 2")
    pdf = pdf_of(client, dossier)
    assert "Une nouvelle version existe : REM DUI, vague 2" in pdf.full_text()
    assert new.url in {link.uri for link in pdf.links}


def test_editor_text_is_printed_as_written_never_run_as_typst(client, nadia):
    items = [
        ItemInput(heading=f"Partie {HOSTILE}"),
        ItemInput(resource="ms-dui-af-va1", note=HOSTILE),
    ]
    pdf = pdf_of(client, compose(nadia, title=f"Titre {HOSTILE}", items=items))
    text = pdf.full_text().replace(" ", "")
    for printed in (f"Titre {HOSTILE}", f"Partie {HOSTILE}", HOSTILE):
        assert printed.replace(" ", "") in text


def test_a_second_download_of_an_unchanged_dossier_is_a_304(client, nadia):
    dossier = compose(nadia)
    etag = client.get(dossier.get_pdf_url())["ETag"]
    assert client.get(dossier.get_pdf_url(), headers={"If-None-Match": etag}).status_code == 304
