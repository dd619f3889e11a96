"""The "Contacts en région" page of each region: /regions/<code>/."""

import pytest
from django.test import Client
from selectolax.lexbor import LexborHTMLParser


def page(path: str):
    response = Client().get(path)
    assert response.status_code == 200
    return LexborHTMLParser(response.content)


def test_it_lists_the_contacts_and_the_resources_of_the_region(regional):
    html = page("/regions/occ/")

    assert html.css_first("h1").text(strip=True) == "Contacts en région — Occitanie"
    contacts = html.css_first(".sommaire-contacts").text()
    assert "GRADeS e-santé Occitanie" in contacts and "GIP e-Bretagne" not in contacts
    assert html.css_first("a[href='mailto:ins@esante-occitanie.fr']")
    assert html.css_first("a[href='tel:0500000000']")
    titles = [" ".join(n.text().split()) for n in html.css(".sommaire-resource__title")]
    assert len(titles) == 1 and titles[0].startswith(regional["OCC"].title)


def test_a_region_without_contacts_says_so(regional):
    html = page("/regions/ara/")

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
