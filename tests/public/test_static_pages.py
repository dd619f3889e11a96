"""The pages every public site owes its readers: sitemap, accessibility, legal notice."""

import pytest

from sommaire.catalog.models import Section
from tests.public.html import page

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("/plan-du-site/", "Plan du site"),
        ("/accessibilite/", "Déclaration d’accessibilité"),
        ("/mentions-legales/", "Mentions légales"),
        ("/donnees-personnelles/", "Données personnelles et cookies"),
    ],
)
def test_it_renders_with_its_title_and_breadcrumb(client, segur, path, title):
    document = page(client, path)
    assert document.find("title").text() == f"{title} — Sommaire Ségur numérique"
    assert document.find("main").find("h1").text() == title
    crumbs = document.find("nav", class_="fr-breadcrumb").links()
    assert [a.text() for a in crumbs] == ["Accueil", title]


def test_the_accessibility_statement_is_honest_about_the_missing_audit(client, segur):
    text = page(client, "/accessibilite/").find("main").text()
    assert "non conforme" in text and "audit" in text


def test_the_sitemap_links_every_section(client, segur):
    hrefs = {a.get("href") for a in page(client, "/plan-du-site/").find("main").links()}
    for section in Section.objects.all():
        assert section.get_absolute_url() in hrefs, section.slug
