"""The page frame's kept pieces (public/templatetags/kept.py): head, brand, menu,
footer and scripts rendered once per process and catalog generation.

Outside a test transaction, as in production: inside one nothing is kept.
"""

import pytest

from sommaire.catalog.models import Section
from tests.public import test_static_pages as static_pages
from tests.public.html import page

pytestmark = pytest.mark.usefixtures("transactional_db", "segur")


def menu(document) -> dict[str, str | None]:
    nav = document.by_id("navigation-principale")
    return {a.text(): a.get("aria-current") for a in nav.find_all("a")}


def test_a_renamed_section_shows_in_the_menu_of_the_next_page():
    from django.test import Client

    client = Client()
    assert "Services socles" in menu(page(client, "/recherche/?q=dpi"))

    renamed = Section.objects.get(slug="services-socles")
    renamed.title = "Socles nationaux"
    renamed.save()

    titles = menu(page(client, "/recherche/?q=ins"))
    assert "Socles nationaux" in titles and "Services socles" not in titles


def test_each_page_marks_its_own_menu_item(client):
    assert menu(page(client, "/hopital/"))["Documentation par cible"] == "true"
    assert not any(menu(page(client, "/recherche/?q=dpi")).values())
    socles = menu(page(client, "/services-socles/"))
    assert socles["Services socles"] == "page" and socles["Documentation par cible"] is None


def test_the_reader_region_and_the_path_are_never_kept(client):
    page(client, "/recherche/?q=dpi")

    document = page(client, "/recherche/?q=ins&region=OCC")

    picker = document.find("div", class_="fr-header__tools").find("a")
    assert picker.text() == "Ma région : Occitanie"
    assert "q%3Dins" in picker.get("href")


def test_the_footer_follows_the_contact_setting(client, settings):
    # The same checks as on the static pages, with the footer kept this time.
    static_pages.test_the_footer_has_a_contact(client, None, settings)
