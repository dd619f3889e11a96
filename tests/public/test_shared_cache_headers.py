"""What the nginx cache in front may keep: public pages, per region; never
the back-office, a session's pages, a token's answers or a cookie being set."""

import pytest
from django.contrib.auth import get_user_model

from sommaire.regions.reader import COOKIE
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db


def shared_cache_may_keep(response) -> bool:
    words = {w.strip() for w in response.get("Cache-Control", "").split(",")}
    return "public" in words and not words & {"private", "no-store", "no-cache"}


def varies_on(response, header: str) -> bool:
    return header.lower() in {w.strip().lower() for w in response.get("Vary", "").split(",")}


def test_a_public_page_for_an_anonymous_reader_may_be_kept_and_varies_on_cookie(client, segur):
    for path in ("/", "/hopital/", "/recherche/?q=ins"):
        response = client.get(path)
        assert shared_cache_may_keep(response), path
        assert varies_on(response, "Cookie"), path


def test_the_page_of_a_reader_of_occitanie_differs_from_bretagne_and_varies_on_cookie(
    client, segur
):
    client.cookies[COOKIE] = "OCC"
    occitanie = client.get("/hopital/")
    client.cookies[COOKIE] = "BRE"
    bretagne = client.get("/hopital/")

    assert varies_on(occitanie, "Cookie") and varies_on(bretagne, "Cookie")
    assert occitanie.content != bretagne.content


def test_choosing_a_region_in_the_address_is_private_since_it_sets_the_cookie(client, segur):
    response = client.get("/hopital/?region=OCC")

    assert COOKIE in response.cookies
    assert not shared_cache_may_keep(response)
    assert "private" in response["Cache-Control"]


def test_the_back_office_is_never_stored(client, nadia):
    assert "no-store" in client.get("/gestion/login/")["Cache-Control"]
    client.login(username="nadia", password=PASSWORD)

    for path in ("/gestion/", "/gestion/liens/", "/gestion/login/"):
        response = client.get(path)
        assert "private" in response["Cache-Control"], path
        assert "no-store" in response["Cache-Control"], path
        assert not shared_cache_may_keep(response), path


def test_a_public_page_seen_with_a_session_is_private(client, segur):
    get_user_model().objects.create_user("lecteur", password=PASSWORD)
    client.login(username="lecteur", password=PASSWORD)

    response = client.get("/")

    assert "private" in response["Cache-Control"]
    assert not shared_cache_may_keep(response)


def test_an_api_answer_to_a_token_is_private(client, segur):
    anonymous = client.get("/api/v1/sections")
    with_token = client.get("/api/v1/sections", headers={"Authorization": "Bearer som_x"})

    assert shared_cache_may_keep(anonymous)
    assert "private" in with_token["Cache-Control"]


def test_an_api_write_is_never_kept(client, segur):
    response = client.post("/api/v1/resources", data={}, content_type="application/json")

    assert not shared_cache_may_keep(response)
