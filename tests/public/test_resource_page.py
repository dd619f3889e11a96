"""A resource alone: what it is, the link to open it, and where it stands."""

import pytest

from sommaire.catalog.models import CatalogState, Resource
from tests.public.html import page, parse

pytestmark = pytest.mark.django_db

ANAP_KIT = "https://ressources.anap.fr/numerique/publication/2739"


@pytest.fixture
def dsr(client, segur):
    return page(client, "/ressource/hop-dpi-dsr-va1/")


def test_it_shows_the_title_and_the_description(dsr):
    resource = Resource.objects.get(key="hop-dpi-dsr-va1")
    assert dsr.find("title").text() == "DSR — DPI, vague 1 — Sommaire Ségur numérique"
    assert dsr.find("main").find("h1").text() == resource.title
    assert resource.description in dsr.find("main").text()


def test_it_shows_each_fact_in_one_badge_only(dsr):
    badges = [b.text() for b in dsr.find("main").find_all("p", class_="fr-badge")]
    # The format is in the link's detail; "Va1" only repeats "Vague 1".
    assert badges == [
        "Type : DSR",
        "Éditeur : ANS",
        "Profil logiciel : DPI",
        "Vague : Vague 1",
    ]


def test_a_version_that_is_not_the_wave_keeps_its_badge(client, segur):
    Resource.objects.filter(key="hop-dpi-dsr-va1").update(version="1.2")
    CatalogState.bump()

    badges = [
        b.text()
        for b in page(client, "/ressource/hop-dpi-dsr-va1/").find_all("p", class_="fr-badge")
    ]

    assert "Version 1.2" in badges


def test_it_keeps_the_document_apart_from_its_place_in_the_sommaire(dsr):
    headings = [h.text() for h in dsr.find("main").find_all("h2")]
    assert headings[:2] == ["Le document", "Dans le sommaire"]
    facts = {dt.text(): dt.parent.find("dd").text() for dt in dsr.find("main").find_all("dt")}
    assert facts["Version du document"] == "Va1"
    assert facts["Statut dans le sommaire"] == "En vigueur"
    link_state = dsr.by_id("etat-du-lien").text()
    assert link_state == "Fichier PDF – esante.gouv.fr – pas encore vérifié"
    assert "Ajoutée au sommaire le" in facts


def test_it_links_to_the_document_saying_what_it_opens(dsr):
    resource = Resource.objects.get(key="hop-dpi-dsr-va1")
    button = dsr.find("main").find("a", class_="fr-btn", href=resource.url)
    assert (
        button.text() == "Ouvrir le document « DSR — DPI, vague 1 » – Fichier PDF – esante.gouv.fr"
    )
    assert resource.url in dsr.find("main").text()


def test_it_shows_where_it_stands_in_the_sommaire(dsr):
    places = dsr.find("ul", class_="sommaire-places").find_all("li")
    assert len(places) == 1
    hrefs = [a.get("href") for a in places[0].links()]
    assert hrefs == [
        "/documentation-par-cible/",
        "/hopital/",
        "/hopital/#ressource-hop-dpi-dsr-va1",
    ]
    assert "Dossier Patient Informatisé (DPI)" in places[0].text()


def test_a_resource_placed_in_several_sections_lists_them_all(client, segur):
    resource = Resource.objects.get(url=ANAP_KIT)
    document = page(client, f"/ressource/{resource.key}/")
    places = document.find("ul", class_="sommaire-places").find_all("li")
    placements = resource.placements_in_order()
    assert len(places) == len(placements) == 6
    for place, placement in zip(places, placements, strict=True):
        assert f"/{placement.section.slug}/" in [a.get("href") for a in place.links()]


def test_its_breadcrumb_follows_its_first_placement(dsr):
    crumbs = dsr.find("nav", class_="fr-breadcrumb").links()
    assert [a.text() for a in crumbs] == [
        "Accueil",
        "Documentation par cible",
        "Hôpital",
        "DSR — DPI, vague 1",
    ]


def test_an_email_address_is_written_to(client, segur):
    resource = Resource.objects.get(url__startswith="mailto:")
    document = page(client, f"/ressource/{resource.key}/")
    button = document.find("main").find("a", class_="fr-btn", href=resource.url)
    assert button.text().startswith("Écrire")


def test_an_archived_resource_says_so(client, segur):
    Resource.objects.filter(key="hop-dpi-dsr-va1").update(status="archived")
    CatalogState.bump()
    document = page(client, "/ressource/hop-dpi-dsr-va1/")
    assert "Archivée" in [b.text() for b in document.find_all("p", class_="fr-badge")]
    assert document.find("div", class_="fr-alert--warning")


def test_an_archived_version_names_the_one_that_replaced_it(client, segur):
    old = Resource.objects.get(key="hop-dpi-dsr-va1")
    new = Resource.objects.create(
        key="hop-dpi-dsr-va2",
        title="DSR — DPI, Va2",
        url="https://esante.gouv.fr/DSR-HOP-DPI-Va2.pdf",
        kind=old.kind,
        format=old.format,
        publisher=old.publisher,
        version="Va2",
        replaces=old,
    )
    Resource.objects.filter(pk=old.pk).update(status="archived")
    CatalogState.bump()

    alert = page(client, "/ressource/hop-dpi-dsr-va1/").find("div", class_="fr-alert--warning")

    assert "remplacée par DSR — DPI, Va2 (version Va2)" in " ".join(alert.text().split())
    assert alert.find("a").get("href") == new.get_absolute_url()


def test_an_unknown_resource_is_a_404(client, segur):
    response = client.get("/ressource/rien-de-tel/")
    assert response.status_code == 404
    assert parse(response.content).find("h1").text() == "Page non trouvée"


def test_it_costs_a_constant_number_of_queries(client, segur, django_assert_max_num_queries):
    resource = Resource.objects.get(url=ANAP_KIT)
    with django_assert_max_num_queries(6):
        assert client.get(f"/ressource/{resource.key}/").status_code == 200
