"""Journeys 1 and 3 in Chromium, axe-core on every workspace page crossed.

1. Nadia, national editor: after the watcher read a local official page with new
   documents, her dashboard counts them; she accepts the new version of a DSR, and
   the old one is archived, "remplacée par" the new one, with its history.
3. A link broken on a local site appears on the dashboard once two checks a day
   apart confirm it; Nadia fixes it by replacing the address.

The data is made before the browser starts: Django refuses database calls while
Playwright's event loop runs in the test's thread.
"""

import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command

from tests.browser.test_regional_editor import watch_policy
from tests.browser.test_workspace_resources import Axe
from tests.watch.site import LocalSite
from tests.watch.site import page as official_page

pytestmark = pytest.mark.browser

PASSWORD = "Une-phrase-de-passe-solide-2026"


@pytest.fixture
def official():
    with LocalSite() as local:
        local.set("/robots.txt", "User-agent: *\n", content_type="text/plain")
        yield local


@pytest.fixture
def nadia(site, settings):
    from django.contrib.auth import get_user_model

    from sommaire.editors.models import Editor

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.FETCH_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    settings.FETCH_MIN_INTERVAL_MS = 0
    settings.FETCH_TIMEOUT = 5
    user = get_user_model().objects.create_user("nadia", "nadia@esante.gouv.fr", PASSWORD)
    user.first_name = "Nadia"
    user.save()
    Editor.appoint(user, "national")
    return user


@pytest.fixture
def watched(official, nadia):
    """The watcher has read a local page of Hôpital with a new version and a new guide."""
    from sommaire.catalog.models import Section
    from sommaire.watch.models import Source

    official.set(
        "/segur/hopital",
        official_page(
            ("/documents/DSR-HOP-DPI-Va2.pdf", "DSR — DPI, Va2"),
            ("/documents/guide-integration.pdf", "Guide d’intégration"),
        ),
    )
    Source.objects.all().delete()
    Source.objects.create(
        url=official.url("/segur/hopital"), section=Section.objects.get(slug="hopital")
    )
    call_command("watch", "--all", "--format", "json", stdout=io.StringIO())


@pytest.fixture
def confirmed_broken(official, nadia):
    """A national resource whose address answers 404 on two checks a day apart."""
    from django.db.models import F, Value
    from django.db.models.functions import Concat

    from sommaire.catalog.models import Contact, Publisher, Resource
    from sommaire.linkcheck.models import Link

    # No real site is ever checked: every other address becomes a mailto: link.
    Resource.objects.update(url=Concat(Value("mailto:"), "key", Value("@exemple.invalid")))
    Publisher.objects.update(url="")
    Contact.objects.update(url="")
    official.set(
        "/docs/webinaire-ins-nouveau.pdf", b"%PDF-1.4 webinaire", content_type="application/pdf"
    )
    resource = Resource.objects.filter(region__isnull=True).order_by("pk").first()
    Resource.objects.filter(pk=resource.pk).update(url=official.url("/docs/webinaire-ins.pdf"))
    quiet = io.StringIO()
    call_command("check-links", "--format", "json", stdout=quiet)
    Link.objects.update(first_failure_at=F("first_failure_at") - timedelta(days=2))
    call_command("check-links", "--format", "json", stdout=quiet)
    return Resource.objects.get(pk=resource.pk)


def sign_in(page, site: str, axe: Axe) -> None:
    page.goto(site + "/gestion/")
    page.wait_for_url(re.compile(r"/gestion/connexion/"))
    axe.check("/gestion/connexion/")
    page.get_by_label("Nom d’utilisateur").fill("nadia")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(site + "/gestion/")
    axe.check("/gestion/")


def count(page, label: str) -> int:
    item = page.locator(".workspace-todo__link", has_text=label)
    return int(item.locator(".workspace-todo__count").inner_text())


def test_a_national_editor_accepts_a_new_version_and_the_old_one_is_archived(
    watched, site, browser
):
    page = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900}).new_page()
    violations, axe = watch_policy(page), Axe(page)
    sign_in(page, site, axe)

    assert count(page, "Nouvelles publications proposées par la veille") == 1
    assert count(page, "Nouvelles versions proposées") == 1
    page.get_by_role("link", name=re.compile("Nouvelles versions proposées")).click()
    page.wait_for_url(re.compile(r"/gestion/candidats/\?change=version"))
    axe.check("/gestion/candidats/?change=version")
    item = page.locator(".workspace-item", has_text="DSR — DPI, Va2")
    assert "Version : Va1 → Va2" in " ".join(item.inner_text().split())

    item.get_by_role("link", name="Examiner et publier").click()
    page.wait_for_url(re.compile(r"/gestion/candidats/\d+/$"))
    axe.check("/gestion/candidats/<n>/")
    assert page.get_by_label("Version").input_value() == "Va2"
    page.get_by_role("button", name="Publier la ressource").click()
    page.wait_for_url(site + "/gestion/candidats/")
    assert "« DSR — DPI, Va2 » est publiée." in page.get_by_role("status").first.inner_text()
    axe.check("/gestion/candidats/ (après publication)")

    page.goto(site + "/ressource/hop-dpi-dsr-va1/")
    notice = page.locator(".fr-alert--warning").inner_text()
    assert "archivée, remplacée par DSR — DPI, Va2" in " ".join(notice.split())
    page.goto(site + "/gestion/ressources/hop-dpi-dsr-va1/historique/")
    assert "Nadia" in page.get_by_role("main").inner_text()
    page.goto(site + "/gestion/")
    assert count(page, "Nouvelles versions proposées") == 0
    activity = " ".join(page.locator(".workspace-activity").all_inner_texts())
    assert "Nadia a ajouté la ressource « DSR — DPI, Va2 »" in activity
    assert "Nadia a modifié la ressource « DSR — DPI, vague 1 »" in activity

    assert violations == []
    assert not axe.report, "\n".join(axe.report)


def test_a_confirmed_broken_link_is_fixed_by_replacing_its_address(
    confirmed_broken, official, site, browser
):
    page = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900}).new_page()
    violations, axe = watch_policy(page), Axe(page)
    sign_in(page, site, axe)

    assert count(page, "Liens cassés (confirmés)") == 1
    page.get_by_role("link", name=re.compile("Liens cassés")).click()
    page.wait_for_url(site + "/gestion/liens/")
    axe.check("/gestion/liens/")
    problem = page.locator(".workspace-item", has_text=official.url("/docs/webinaire-ins.pdf"))
    assert "introuvable, confirmé" in problem.text_content()

    problem.get_by_role("link", name="Remplacer l’adresse…").click()
    page.wait_for_url(re.compile(r"/gestion/liens/ressource/\d+/remplacer/"))
    axe.check("/gestion/liens/ressource/<n>/remplacer/")
    page.get_by_label("Nouvelle adresse").fill(official.url("/docs/webinaire-ins-nouveau.pdf"))
    page.get_by_role("button", name="Enregistrer la nouvelle adresse").click()
    page.wait_for_url(site + "/gestion/liens/")
    assert "Nouvelle adresse enregistrée" in page.get_by_role("status").first.inner_text()
    assert page.locator(".workspace-item", has_text="webinaire-ins.pdf").count() == 0
    page.goto(site + "/gestion/")
    assert count(page, "Liens cassés (confirmés)") == 0
    page.goto(site + f"/ressource/{confirmed_broken.key}/")
    assert official.url("/docs/webinaire-ins-nouveau.pdf") in page.get_by_role("main").inner_text()

    assert violations == []
    assert not axe.report, "\n".join(axe.report)
