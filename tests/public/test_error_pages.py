"""Error pages in the DSFR's words, rendered even when everything else fails."""

import pytest
from django.template.loader import render_to_string

from tests.public.html import parse


@pytest.mark.django_db
def test_a_missing_page_is_a_dsfr_404_with_the_site_frame(client, segur):
    response = client.get("/ressource/nulle-part/")
    assert response.status_code == 404
    document = parse(response.content)
    assert document.find("h1").text() == "Page non trouvée"
    assert "Erreur 404" in document.find("main").text()
    assert document.find("header", class_="fr-header")
    assert document.find("footer", class_="fr-footer")


@pytest.mark.django_db
def test_the_404_page_has_the_main_navigation(client, segur):
    document = parse(client.get("/ressource/nulle-part/").content)

    navigation = document.by_id("navigation-principale")
    assert navigation.link_to("/documentation-par-cible/")
    assert document.find("ul", class_="fr-skiplinks__list").link_to("#navigation-principale")


def test_the_500_page_renders_without_a_request_or_a_database():
    document = parse(render_to_string("500.html"))
    assert document.find("html").get("lang") == "fr"
    assert document.find("title").text() == "Erreur inattendue — Sommaire Ségur numérique"
    assert document.find("a", class_="fr-btn").get("href") == "/"
