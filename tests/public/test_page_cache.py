"""Whole pages cached under the catalog generation, for anonymous readers only."""

import pytest
from django.contrib.auth import get_user_model

from sommaire.catalog.models import CatalogState, Resource, Section
from sommaire.public import cache as page_cache
from tests.public.html import page, parse

pytestmark = pytest.mark.django_db


def home_text(client, path="/") -> str:
    return page(client, path).find("main").text()


def test_a_cached_page_costs_one_query(client, segur, django_assert_num_queries):
    client.get("/")
    with django_assert_num_queries(1):  # the catalog generation
        assert client.get("/").status_code == 200


def test_it_is_served_from_the_cache_until_the_catalog_changes(client, segur):
    resource = Resource.objects.get(key="segur-comprendre-le-segur")
    assert "Comprendre le Ségur" in home_text(client)

    # Behind the models' back, the generation stays: the cached page is served.
    Resource.objects.filter(pk=resource.pk).update(title="Titre changé en douce")
    assert "Titre changé en douce" not in home_text(client)

    resource.refresh_from_db()
    resource.title = "Comprendre le Ségur, édition 2"
    resource.save()
    assert "Comprendre le Ségur, édition 2" in home_text(client)


def test_a_change_invalidates_every_page_at_once(client, segur):
    for path in ("/", "/hopital/", "/glossaire/"):
        client.get(path)
    Resource.objects.filter(key="hop-dpi-dsr-va1").update(title="DSR renommé")
    Resource.objects.filter(key="segur-comprendre-le-segur").update(title="Accueil renommé")
    CatalogState.bump()
    assert "Accueil renommé" in home_text(client)
    assert "DSR renommé" in home_text(client, "/hopital/")


def test_it_is_cached_per_query_string(client, segur):
    client.get("/")
    Resource.objects.filter(key="segur-comprendre-le-segur").update(title="Autre titre")
    assert "Autre titre" in home_text(client, "/?x=1")
    assert "Autre titre" not in home_text(client, "/")


def test_it_is_never_cached_for_a_logged_in_user(client, segur):
    client.get("/")
    client.force_login(get_user_model().objects.create_user("nadia", password="x" * 16))
    Resource.objects.filter(key="segur-comprendre-le-segur").update(title="Vu par Nadia")
    response = client.get("/")
    assert "Vu par Nadia" in parse(response.content).find("main").text()
    assert "private" in response["Cache-Control"]


def test_a_post_is_not_cached(client, segur):
    client.get("/")
    Resource.objects.filter(key="segur-comprendre-le-segur").update(title="Posté")
    assert "Posté" in parse(client.post("/").content).find("main").text()


def test_errors_are_not_cached(client, segur):
    assert client.get("/nouvelle-rubrique/").status_code == 404
    Section.objects.filter(slug="ins").update(slug="nouvelle-rubrique")
    assert client.get("/nouvelle-rubrique/").status_code == 200


def test_it_tells_browsers_how_long_to_keep_it_and_answers_304(client, segur):
    response = client.get("/")
    assert response["Cache-Control"] == "public, max-age=60"
    assert "Cookie" in response["Vary"]
    assert response["ETag"]
    again = client.get("/", headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304
    assert again.content == b""


def test_it_answers_head(client, segur):
    assert client.head("/").status_code == 200


def test_the_cached_html_carries_no_csp_nonce(client, segur):
    # The same bytes go to every reader; a nonce served twice is no nonce.
    response = client.get("/")
    assert b"nonce" not in response.content
    assert "script-src 'self'" in response["Content-Security-Policy"]


class TestTheGenerationInMemory:
    """Each process keeps the generation GENERATION_TTL seconds."""

    @pytest.fixture(autouse=True)
    def remembered(self, monkeypatch):
        monkeypatch.setattr(page_cache, "GENERATION_TTL", 60)

    def test_a_cached_page_then_costs_no_query(self, client, segur, django_assert_num_queries):
        client.get("/")
        with django_assert_num_queries(0):
            assert client.get("/").status_code == 200

    def test_a_change_by_another_process_shows_once_the_memory_expires(
        self, client, segur, monkeypatch
    ):
        client.get("/")
        Resource.objects.filter(key="segur-comprendre-le-segur").update(title="Ailleurs")
        CatalogState.bump()  # as another process would: no signal here
        assert "Ailleurs" not in home_text(client)
        monkeypatch.setattr(page_cache, "GENERATION_TTL", 0)
        assert "Ailleurs" in home_text(client)

    def test_a_change_made_by_this_process_shows_at_once(self, client, segur):
        client.get("/")
        resource = Resource.objects.get(key="segur-comprendre-le-segur")
        resource.title = "Ici même"
        resource.save()
        assert "Ici même" in home_text(client)

    def test_a_dossier_published_by_this_process_shows_at_once(self, client, remi):
        from tests.dossiers.factories import compose

        client.get("/regions/occ/")
        compose(remi, region="OCC", items=[], title="Dossier tout neuf")
        assert "Dossier tout neuf" in client.get("/regions/occ/").content.decode()
