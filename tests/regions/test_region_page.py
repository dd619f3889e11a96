"""The page of each region: /regions/<code>/ (contacts, resources, coming deadlines, feed)."""

import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from selectolax.lexbor import LexborHTMLParser

from sommaire.catalog.models import CatalogEvent, Resource
from tests.public.deadlines import deadline, only_these

ATOM = "{http://www.w3.org/2005/Atom}"


def page(path: str):
    response = Client().get(path)
    assert response.status_code == 200
    return LexborHTMLParser(response.content)


def test_it_lists_the_contacts_and_the_resources_of_the_region(regional):
    html = page("/regions/occ/")

    assert html.css_first("h1").text(strip=True) == "Occitanie"
    contacts = html.css_first(".sommaire-contacts").text()
    assert "GRADeS e-santé Occitanie" in contacts and "GIP e-Bretagne" not in contacts
    assert html.css_first("a[href='mailto:ins@esante-occitanie.fr']")
    assert html.css_first("a[href='tel:0500000000']")
    titles = [" ".join(n.text().split()) for n in html.css(".sommaire-resource__title")]
    assert len(titles) == 1 and titles[0].startswith(regional["OCC"].title)


def test_a_region_without_contacts_says_so(regional):
    html = page("/regions/gua/")

    assert "Aucun contact n’est encore publié pour cette région." in html.text()


@pytest.mark.parametrize("code", ["OCC", "76", "fr-occ"])
def test_other_codes_lead_to_the_one_address(regional, code):
    response = Client().get(f"/regions/{code}/")

    assert response.status_code == 301 and response["Location"] == "/regions/occ/"


def test_an_unknown_region_is_not_found(regional):
    assert Client().get("/regions/xyz/").status_code == 404


def test_every_region_of_the_pack_has_its_page(segur):
    html = page("/regions/")

    links = [a.attributes["href"] for a in html.css(".sommaire-regions a")]
    assert len(links) == 18
    for link in links:
        assert Client().get(link).status_code == 200


def test_the_segur_contacts_of_a_region_carry_their_official_source(segur):
    html = page("/regions/idf/")

    contacts = {c.css_first("h3").text(strip=True): c for c in html.css(".sommaire-contact")}
    assert list(contacts) == ["ARS Île-de-France", "SESAN"]
    contact = contacts["SESAN"]
    assert contact.css_first("a[href='https://www.sesan.fr/']")
    source = contact.css_first(".sommaire-contact__source a")
    assert source.attributes["href"].startswith("https://www.sesan.fr/rapports-activite/")


def test_it_lists_the_coming_deadlines_and_not_the_past_ones(regional):
    only_these(
        deadline("bientot", 5, label="Bientôt"),
        deadline("passee", -5, label="Passée"),
    )

    html = page("/regions/occ/")

    listing = html.css_first("#echeances ~ ol.sommaire-deadlines").text()
    assert "Bientôt" in listing and "Passée" not in listing


def test_its_feed_has_the_national_news_and_the_region_s_own(regional):
    national = Resource.objects.get(key="hop-mode-emploi")
    for resource in (national, regional["OCC"], regional["BRE"]):
        CatalogEvent.record("added", resource)

    response = Client().get("/regions/occ.atom")

    assert response.status_code == 200
    root = ET.fromstring(response.content)
    titles = [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]
    assert any(t.startswith(national.title) for t in titles)
    assert any(t.startswith(regional["OCC"].title) for t in titles)
    assert not any(t.startswith(regional["BRE"].title) for t in titles)
    assert root.find(f"{ATOM}link[@rel='self']").get("href").endswith("/regions/occ.atom")
    assert page("/regions/occ/").css_first("link[type='application/atom+xml']")


def test_an_unknown_region_has_no_feed(segur):
    assert Client().get("/regions/xyz.atom").status_code == 404


def test_every_region_page_is_in_the_sitemap(segur):
    sitemap = Client().get("/sitemap.xml").content.decode()

    assert sitemap.count("/regions/") >= 19 and "/regions/may/</loc>" in sitemap
