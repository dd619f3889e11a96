"""A reader picks a region (no account: a cookie, or `?region=OCC` in the address);
pages then show national content plus that region's, marked with its name."""

import pytest
from django.test import Client
from selectolax.lexbor import LexborHTMLParser

from sommaire.catalog.models import Region
from sommaire.regions.reader import COOKIE

INS = "/ins/"


def titles(response) -> list[str]:
    page = LexborHTMLParser(response.content)
    return [" ".join(node.text().split()) for node in page.css(".sommaire-resource__title")]


def listed(response, resource) -> bool:
    return any(resource.title in title for title in titles(response))


def test_without_a_region_only_national_resources_are_listed(regional):
    response = Client().get(INS)

    assert response.status_code == 200
    assert titles(response)
    assert not listed(response, regional["OCC"]) and not listed(response, regional["BRE"])


def test_the_region_in_the_address_adds_its_resources_marked_with_its_name(regional):
    national = titles(Client().get(INS))

    response = Client().get(INS, {"region": "OCC"})

    assert listed(response, regional["OCC"]) and not listed(response, regional["BRE"])
    assert set(national) < set(titles(response))
    item = LexborHTMLParser(response.content).css_first(f"#ressource-{regional['OCC'].key}")
    badges = [" ".join(badge.text().split()) for badge in item.css(".fr-badge")]
    assert "Région : Occitanie" in badges


def test_the_choice_is_remembered_in_a_cookie(regional):
    client = Client()
    first = client.get("/", {"region": "OCC"})

    again = client.get(INS)

    cookie = first.cookies[COOKIE]
    assert cookie.value == "OCC" and cookie["httponly"] and cookie["samesite"] == "Lax"
    assert listed(again, regional["OCC"])


@pytest.mark.parametrize("code", ["occ", "76", "FR-OCC"])
def test_every_official_code_of_the_region_is_understood(regional, code):
    assert listed(Client().get(INS, {"region": code}), regional["OCC"])


def test_the_national_view_can_be_chosen_again(regional):
    client = Client()
    client.get(INS, {"region": "OCC"})

    response = client.get(INS, {"region": "national"})

    assert response.cookies[COOKIE].value == ""
    assert not listed(client.get(INS), regional["OCC"])


def test_an_unknown_code_changes_nothing(regional):
    client = Client()
    client.get(INS, {"region": "BRE"})

    response = client.get(INS, {"region": "XYZ"})

    assert COOKIE not in response.cookies
    assert listed(response, regional["BRE"])


def test_readers_of_two_regions_never_get_each_other_s_cached_page(regional):
    occitan, breton, national = Client(), Client(), Client()
    occitan.cookies[COOKIE] = "OCC"
    breton.cookies[COOKIE] = "BRE"

    pages = [client.get(INS) for client in (occitan, breton, national, occitan)]

    assert [listed(p, regional["OCC"]) for p in pages] == [True, False, False, True]
    assert [listed(p, regional["BRE"]) for p in pages] == [False, True, False, False]
    assert all("Cookie" in p["Vary"] for p in pages)


def test_a_page_that_sets_the_cookie_is_private_to_the_reader(regional):
    response = Client().get(INS, {"region": "OCC"})

    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def test_the_header_says_which_region_is_shown(regional):
    client = Client()
    client.cookies[COOKIE] = "OCC"

    page = LexborHTMLParser(client.get("/").content)

    link = page.css_first(".fr-header__tools a")
    assert link.text(strip=True) == "Ma région : Occitanie"
    assert link.attributes["href"] == "/regions/?next=/"


def test_the_picker_page_offers_every_region_and_the_national_view(regional):
    page = LexborHTMLParser(Client().get("/regions/", {"next": INS}).content)

    options = [o.text(strip=True) for o in page.css("select[name=region] option")]
    assert len(options) == 19 and options[0].startswith("Aucune")
    assert "Occitanie" in options and "Mayotte" in options
    assert page.css_first("label[for=choix-region]").text(strip=True) == "Ma région"
    assert page.css_first("input[name=next]").attributes["value"] == INS


def test_picking_brings_the_reader_back_to_the_page(regional):
    response = Client().get("/regions/", {"region": "BRE", "next": INS})

    assert response.status_code == 302 and response["Location"] == INS
    assert response.cookies[COOKIE].value == "BRE"


@pytest.mark.parametrize("target", ["https://pirate.example/", "//pirate.example/", "javascript:x"])
def test_picking_never_sends_the_reader_to_another_site(regional, target):
    response = Client().get("/regions/", {"region": "BRE", "next": target})

    assert response["Location"] == "/"


def test_a_renamed_region_shows_under_its_new_name_at_once(regional):
    client = Client()
    client.cookies[COOKIE] = "OCC"
    client.get("/")
    occitanie = Region.objects.get(code="OCC")
    occitanie.name = "Occitanie (Pyrénées-Méditerranée)"
    occitanie.save()

    page = LexborHTMLParser(client.get("/").content)

    assert (
        page.css_first(".fr-header__tools a").text(strip=True).endswith("(Pyrénées-Méditerranée)")
    )


def tile_counts(response) -> dict[str, str]:
    page = LexborHTMLParser(response.content)
    return {
        tile.css_first(".fr-tile__title").text(strip=True): tile.css_first(".sommaire-count").text(
            strip=True
        )
        for tile in page.css(".sommaire-tile")
    }


def test_the_home_page_counts_what_the_reader_of_the_region_sees(regional):
    national = tile_counts(Client().get("/"))["INS"]
    occitan = tile_counts(Client().get("/", {"region": "OCC"}))["INS"]

    number = int(national.split()[0])
    assert occitan == national.replace(str(number), str(number + 1))
