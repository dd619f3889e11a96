"""Checking an address while typing it: through the fetch layer and its address guard,
the status, the final address, the type, the size and the guessed description,
before anything is saved; with JavaScript (a fragment) or without (a button)."""

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from sommaire.catalog.models import Format, Kind, Resource
from tests.workspace.browser_form import posted
from tests.workspace.conftest import signed_in
from tests.workspace.document_site import DocumentSite

CHECK = "/gestion/ressources/verifier-adresse/"
NEW = "/gestion/ressources/nouvelle/"


@pytest.fixture(scope="module")
def documents():
    with DocumentSite() as site:
        yield site


@pytest.fixture(autouse=True)
def local_fetch(settings):
    """The guard lets the tests reach 127.0.0.0/8 only: the document site."""
    settings.FETCH_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    settings.FETCH_MIN_INTERVAL_MS = 0
    settings.FETCH_TIMEOUT = 3


def checked(user, url: str) -> dict:
    response = signed_in(user).post(CHECK, {"url": url, "format": "json"})
    assert response.status_code == 200
    return response.json()


def test_it_shows_status_final_address_type_size_and_guesses(remi, documents):
    found = checked(remi, documents.url("/ancien/DSR-HOP-DPI-Va2.pdf"))

    assert found["status"] == "redirected"
    assert found["reachable"] is True
    assert found["final_url"] == documents.url("/DSR-HOP-DPI-Va2.pdf")
    assert found["content_type"] == "application/pdf"
    assert found["size"] == "2 Ko"
    assert (found["kind"], found["format"], found["version"]) == ("dsr", "pdf", "Va2")
    assert found["profile"] == "dpi"


def test_a_missing_document_is_reported_before_saving(remi, documents):
    found = checked(remi, documents.url("/manquant/guide.pdf"))

    assert (found["status"], found["status_label"]) == ("broken", "introuvable")
    assert found["http_status"] == 404
    assert found["reachable"] is False


def refused(user, url: str) -> str:
    response = signed_in(user).post(CHECK, {"url": url, "format": "json"})
    assert response.status_code == 400
    return response.json()["error"]


def test_the_machine_itself_is_refused_before_any_fetch(remi, documents, settings):
    settings.FETCH_ALLOWED_NETWORKS = []

    error = refused(remi, documents.url("/DSR-HOP-DPI-Va2.pdf"))

    assert error.startswith("Adresse refusée : hôte local, privé ou réservé (127.0.0.1)")


def test_a_private_network_is_refused_before_any_fetch(remi):
    error = refused(remi, "http://10.0.0.1/intranet/guide.pdf")

    assert "hôte local, privé ou réservé (10.0.0.1)" in error


def test_the_fragment_for_the_script_names_what_was_found(remi, documents):
    response = signed_in(remi).post(CHECK, {"url": documents.url("/DSR-HOP-DPI-Va2.pdf")})

    fragment = HTMLParser(response.content.decode())
    box = fragment.css_first("#adresse-verifiee")
    assert "Adresse accessible" in box.text()
    assert box.attributes["data-kind"] == str(Kind.objects.get(slug="dsr").pk)
    assert box.attributes["data-format"] == str(Format.objects.get(slug="pdf").pk)
    assert box.attributes["data-version"] == "Va2"
    assert "2 Ko" in box.text()


def test_an_unusable_address_is_explained_in_french(remi):
    response = signed_in(remi).post(CHECK, {"url": "javascript:alert(1)", "format": "json"})

    assert response.status_code == 400
    assert "https://" in response.json()["error"]


def test_without_javascript_the_button_checks_and_fills_what_was_left_empty(remi, documents):
    client = signed_in(remi)
    address = documents.url("/af-hop-dpi-va2.pdf")
    data = posted(client.get(NEW).content.decode(), title="Appel à financement DPI", url=address)
    data["check"] = "1"

    response = client.post(NEW, data)

    assert response.status_code == 200
    assert not Resource.objects.filter(url=address).exists()  # nothing saved
    html = HTMLParser(response.content.decode())
    assert "Adresse accessible" in html.css_first("#verification-adresse").text()
    assert html.css_first("#id_kind option[selected]").text() == "Appel à financement"
    assert html.css_first("#id_format option[selected]").text() == "PDF"
    assert html.css_first("#id_version").attributes["value"] == "Va2"
    assert html.css_first("#id_title").attributes["value"] == "Appel à financement DPI"
    assert html.css_first(".fr-message--error") is None  # nothing to correct yet


def test_a_reader_cannot_use_the_server_to_fetch(segur, documents):
    response = signed_in(None).post(CHECK, {"url": documents.url("/doc.pdf")})

    assert response.status_code == 302
    assert response["Location"].startswith("/gestion/connexion/")


def test_the_check_is_a_post(remi):
    assert signed_in(remi).get(CHECK, {"url": "https://esante.gouv.fr/"}).status_code == 405


def test_a_check_keeps_the_revision_the_editor_opened(nadia, administrator, documents):
    """Checking between opening and saving must not hide someone else's change."""
    resource = Resource.objects.filter(region=None).first()
    client, other = signed_in(nadia), signed_in(administrator)
    edit = f"/gestion/ressources/{resource.key}/"
    opened = client.get(edit).content.decode()
    other.post(edit, posted(other.get(edit).content.decode(), title="Titre d’Agnès"))

    address = documents.url("/DSR-HOP-DPI-Va2.pdf")
    checked_page = client.post(edit, {**posted(opened, url=address), "check": "1"})
    saved = client.post(edit, posted(checked_page.content.decode()))

    assert saved.status_code == 200
    assert "rien n’a été enregistré" in saved.content.decode()
    assert Resource.objects.get(pk=resource.pk).title == "Titre d’Agnès"
