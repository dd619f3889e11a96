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


def test_the_legal_notice_names_the_publisher_and_the_host_from_the_settings(
    client, segur, settings
):
    settings.SITE_PUBLISHER = "Agence régionale d’essai\n1 rue de l’Exemple"
    settings.SITE_HOST = "Hébergeur d’essai, 2 avenue de l’Exemple"

    document = page(client, "/mentions-legales/")

    assert document.by_id("editeur").text() == "Agence régionale d’essai 1 rue de l’Exemple"
    assert document.by_id("hebergeur").text() == "Hébergeur d’essai, 2 avenue de l’Exemple"


def test_without_settings_the_legal_notice_says_what_is_missing(client, segur, settings):
    settings.SITE_PUBLISHER = settings.SITE_HOST = ""

    document = page(client, "/mentions-legales/")

    assert "SOMMAIRE_PUBLISHER" in document.by_id("editeur").text()
    assert "SOMMAIRE_HOST" in document.by_id("hebergeur").text()


def test_the_accessibility_statement_has_a_contact_a_date_and_the_defenseur_des_droits(
    client, segur, settings
):
    settings.SITE_CONTACT_EMAIL = "accessibilite@exemple.invalid"
    settings.ACCESSIBILITY_STATEMENT_DATE = "2 décembre 2026"

    document = page(client, "/accessibilite/")

    assert document.by_id("contact-accessibilite").link_to("mailto:accessibilite@exemple.invalid")
    assert "2 décembre 2026" in document.by_id("date-declaration").text()
    recourse = document.by_id("defenseur-des-droits")
    assert recourse.link_to("https://www.defenseurdesdroits.fr/")
    assert "Libre réponse 71120" in recourse.text()


def test_the_footer_has_a_contact(client, segur, settings):
    settings.SITE_CONTACT_EMAIL = "contact@exemple.invalid"
    assert page(client, "/").by_id("contact-pied-de-page").get("href") == (
        "mailto:contact@exemple.invalid"
    )

    settings.SITE_CONTACT_EMAIL = ""
    assert page(client, "/glossaire/").by_id("contact-pied-de-page").get("href") == (
        "/mentions-legales/#editeur"
    )
