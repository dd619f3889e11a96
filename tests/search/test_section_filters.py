"""Section pages filter their own resources with the same facets, in the URL."""

from urllib.parse import parse_qs, urlsplit

from tests.public.html import page


def listed(document) -> list[str]:
    return [li.get("id") for li in document.find_all("li", class_="sommaire-resource")]


def test_a_section_page_offers_facets_of_its_own_resources(client, segur):
    document = page(client, "/hopital/")

    kinds = document.find("ul", class_="sommaire-facet", data_facet="kind")
    dsr = kinds.find("a", data_value="dsr")
    assert dsr.find("span", class_="sommaire-facet__count").text() == "(3)"
    assert parse_qs(urlsplit(dsr.get("href")).query) == {"kind": ["dsr"]}
    assert not document.find_all("ul", class_="sommaire-facet", data_facet="section")


def test_a_filter_in_the_url_narrows_the_section(client, segur):
    everything = listed(page(client, "/hopital/"))

    document = page(client, "/hopital/?kind=dsr")

    assert listed(document) == [
        "ressource-hop-dpi-dsr-va1",
        "ressource-hop-ri-dsr-va1",
        "ressource-hop-pfi-dsr-va1",
    ]
    assert len(everything) > 20
    assert document.find("details", class_="sommaire-section-filters").get("open") is not None


def test_filters_that_match_nothing_say_so(client, segur):
    document = page(client, "/hopital/?kind=dsr&format=xlsx")

    assert listed(document) == []
    assert document.by_id("aucune-ressource-filtree")


def test_a_section_offers_the_wave_and_the_software_profile(client, segur):
    document = page(client, "/hopital/")

    waves = document.find("ul", class_="sommaire-facet", data_facet="wave")
    assert waves.find("a", data_value="vague-1")
    profiles = document.find("ul", class_="sommaire-facet", data_facet="profile")
    assert {a.get("data-value") for a in profiles.find_all("a")} >= {"dpi", "ri", "pfi"}
