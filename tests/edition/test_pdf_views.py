"""/sommaire.pdf, /<section>.pdf, /region/<code>.pdf and /editions/<number>.pdf."""

import pytest

from sommaire.catalog.models import Resource
from sommaire.edition import build
from sommaire.edition.models import BuiltPdf
from tests.edition.pdfs import Pdf


@pytest.fixture
def counted_builds(monkeypatch):
    """Count the layouts the views ask for."""
    calls = []
    real = build.build_pdf

    def counting(scope, now=None):
        calls.append(scope.key)
        return real(scope, now=now)

    monkeypatch.setattr(build, "build_pdf", counting)
    return calls


def test_the_whole_sommaire_is_served_as_an_inline_pdf(segur, client):
    response = client.get("/sommaire.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="sommaire.pdf"'
    assert "Glossaire" in [b.title for b in Pdf(response.content).bookmarks]


def test_it_is_built_once_then_served_from_the_cache(segur, client, counted_builds):
    first = client.get("/sommaire.pdf")
    second = client.get("/sommaire.pdf")

    assert counted_builds == ["sommaire"]
    assert first.content == second.content
    assert BuiltPdf.objects.filter(scope="sommaire").exists()


def test_a_catalog_change_makes_the_next_download_a_new_pdf(segur, client, counted_builds):
    before = client.get("/hopital.pdf")
    resource = Resource.objects.get(key="hop-fiche-pratique")
    resource.title = "Fiche pratique de l’hôpital, nouvelle version"
    resource.save()

    after = client.get("/hopital.pdf")

    assert counted_builds == ["sections:hopital", "sections:hopital"]
    assert after["ETag"] != before["ETag"]
    assert "Fiche pratique de l’hôpital, nouvelle version" in Pdf(after.content).full_text()


def test_an_unchanged_pdf_is_not_sent_twice(segur, client, counted_builds):
    first = client.get("/sommaire.pdf")

    again = client.get("/sommaire.pdf", headers={"If-None-Match": first["ETag"]})

    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    assert counted_builds == ["sommaire"]


def test_a_section_pdf_holds_that_section(segur, client):
    response = client.get("/officine.pdf")

    assert response.status_code == 200
    titles = {b.title for b in Pdf(response.content).bookmarks}
    assert "Officine" in titles and "Hôpital" not in titles


def test_a_region_pdf_is_served_by_any_of_its_codes(segur, client):
    by_code = client.get("/region/OCC.pdf")
    by_iso = client.get("/region/FR-OCC.pdf")

    assert by_code.status_code == by_iso.status_code == 200
    assert "Région Occitanie" in Pdf(by_code.content).text(0)


@pytest.mark.parametrize("url", ["/nulle-part.pdf", "/glossaire.pdf", "/region/ZZ.pdf"])
def test_an_unknown_section_or_region_is_not_found(segur, client, url):
    assert client.get(url).status_code == 404


def test_a_published_edition_is_served_as_published_for_good(segur, client):
    publication = build.publish()
    Resource.objects.filter(key="hop-fiche-pratique").update(title="Changé depuis")

    response = client.get(f"/editions/{publication.edition.number}.pdf")

    assert response.status_code == 200
    assert response.content == bytes(publication.edition.pdf)
    assert "immutable" in response["Cache-Control"]
    assert client.get("/editions/999.pdf").status_code == 404


def test_only_reads_are_allowed(segur, client):
    assert client.post("/sommaire.pdf").status_code == 405
