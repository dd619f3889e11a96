"""Every page of the workspace outside the journeys: axe-core finds no violation, and at
375 px wide and at 200 % zoom (640 px of CSS) nothing is wider than the window."""

import pytest

from tests.browser.test_workspace_resources import Axe

pytestmark = pytest.mark.browser

PASSWORD = "Une-phrase-de-passe-solide-2026"
WIDTHS = [
    {"viewport": {"width": 1280, "height": 900}},
    {"viewport": {"width": 375, "height": 800}},
    {"viewport": {"width": 640, "height": 450}, "device_scale_factor": 2},  # 200 % of 1280
]


@pytest.fixture
def pages(site, settings):
    """Rémi (Occitanie) and one thing to show on each page, made before the browser starts."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from sommaire.catalog.models import CatalogEvent, Contact, Kind, Region, Resource, Section
    from sommaire.documents.models import DocumentState
    from sommaire.editors.models import Editor
    from sommaire.linkcheck.models import Link, Run
    from sommaire.linkcheck.services import link_url
    from sommaire.watch.models import Candidate

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    occitanie = Region.objects.get(code="OCC")
    user = get_user_model().objects.create_user("remi", "remi@ars.sante.fr", PASSWORD)
    Editor.appoint(user, "regional", [occitanie])
    resource = Resource.objects.filter(region__isnull=True).order_by("pk").first()
    Resource.objects.filter(pk=resource.pk).update(region=occitanie)
    contact = Contact.objects.create(region=occitanie, name="Référent INS", email="ins@ars.fr")
    candidate = Candidate.propose(
        "https://www.occitanie.example.org/documents/guide-regional-ins-2026.pdf",
        "new",
        title="Guide régional de l’INS",
        section=Section.objects.get(slug="ins"),
        kind=Kind.objects.get(slug="guide"),
        region=occitanie,
    )[0]
    now = timezone.now()
    Run.objects.create(started_at=now, finished_at=now, outcome="done", counts={"broken": 1})
    link = Link.objects.create(
        url=link_url(resource.url),
        status="broken",
        error="HTTP 404",
        consecutive_failures=2,
        first_failure_at=now - timedelta(days=2),
        last_checked_at=now,
    )
    DocumentState.objects.create(resource=resource, content_hash="abc")
    CatalogEvent.record(CatalogEvent.Kind.UPDATED, resource)
    return [
        "/gestion/contacts/",
        "/gestion/contacts/nouveau/",
        f"/gestion/contacts/{contact.pk}/",
        "/gestion/documents/",
        f"/gestion/candidats/{candidate.pk}/ecarter/",
        f"/gestion/candidats/{candidate.pk}/reporter/",
        f"/gestion/liens/{link.pk}/connu/",
        f"/gestion/liens/ressource/{resource.pk}/archiver/",
        "/gestion/",
        "/gestion/candidats/",
        "/gestion/liens/",
    ]


def test_each_page_passes_axe_and_fits_a_narrow_or_zoomed_window(pages, site, browser):
    walk(browser, site, "remi", pages)


@pytest.fixture
def frame_pages(site, settings):
    """Nadia (national team) and the national frame's pages, made before the browser starts."""
    from django.contrib.auth import get_user_model

    from sommaire.catalog.models import Deadline, Section
    from sommaire.editors.models import Editor

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = get_user_model().objects.create_user("nadia", "nadia@esante.gouv.fr", PASSWORD)
    Editor.appoint(user, "national", [])
    deadline = Deadline.objects.order_by("pk").first()
    section = Section.objects.get(slug="hopital")
    return [
        "/gestion/rubriques/",
        f"/gestion/rubriques/{section.pk}/",
        "/gestion/glossaire/",
        "/gestion/glossaire/nouveau/",
        "/gestion/echeances/",
        "/gestion/echeances/nouveau/",
        f"/gestion/echeances/{deadline.pk}/",
    ]


def test_the_national_frame_s_pages_pass_axe_and_fit(frame_pages, site, browser):
    walk(browser, site, "nadia", frame_pages)


def walk(browser, site, username: str, pages: list[str]) -> None:
    """Sign in as `username`, open each page at each width: axe at 1280 px, no overflow."""
    too_wide = []
    for size in WIDTHS:
        page = browser.new_context(locale="fr-FR", **size).new_page()
        axe = Axe(page)
        page.goto(site + "/gestion/connexion/")
        page.get_by_label("Nom d’utilisateur").fill(username)
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_url(site + "/gestion/")
        for path in pages:
            page.goto(site + path)
            assert page.get_by_role("heading", level=1).count() == 1, path
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 0:
                too_wide.append(f"{path} at {size['viewport']['width']} px: {overflow} px too wide")
            if size["viewport"]["width"] == 1280:
                axe.check(path)
        assert not axe.report, "\n".join(axe.report)
        page.context.close()
    assert not too_wide, "\n".join(too_wide)
