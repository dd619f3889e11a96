"""Dossiers in Chromium: the reader's page and the editor's form pass axe, at desktop
and phone widths; the form is used with the keyboard alone, and without JavaScript."""

import pytest

from tests.browser.axe import AXE_TAGS, describe
from tests.browser.conftest import AXE

pytestmark = pytest.mark.browser
PASSWORD = "Une-phrase-de-passe-solide-2026"
WIDTHS = (1280, 375)


@pytest.fixture
def dossier(site, settings):
    """Created before the browser starts: no database call once Playwright runs."""
    from django.contrib.auth import get_user_model

    from sommaire.catalog.models import Region, Resource
    from sommaire.editors.models import Editor
    from tests.dossiers.factories import compose, new_version

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = get_user_model().objects.create_user("remi", "remi@ars.sante.fr", PASSWORD)
    Editor.appoint(user, "regional", [Region.objects.get(code="OCC")])
    dossier = compose(user, region="OCC")
    new_version(Resource.objects.get(key="ms-dui-rem-va1"), "REM DUI, vague 2")
    return dossier


def sign_in(page, site: str) -> None:
    page.goto(site + "/gestion/connexion/?next=/gestion/dossiers/")
    page.get_by_label("Nom d’utilisateur").fill("remi")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(site + "/gestion/dossiers/")


def axe_report(page, site: str, paths) -> list[str]:
    axe = AXE.read_text(encoding="utf-8")
    report = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for path in paths:
            page.goto(site + path)
            page.evaluate(axe)
            results = page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
            )
            assert results["passes"], f"axe checked nothing on {path}"
            if results["violations"]:
                report.append(f"{width} px " + describe(path, results["violations"]))
    return report


def test_the_dossier_page_and_the_editors_screens_pass_axe(dossier, site, page):
    report = axe_report(page, site, [dossier.get_absolute_url()])
    sign_in(page, site)
    paths = ["/gestion/dossiers/", dossier.get_edit_url(), "/gestion/dossiers/nouveau/"]
    report += axe_report(page, site, paths)
    assert not report, "\n".join(report)


def test_the_reader_copies_the_link_and_sees_the_new_version(dossier, site, browser):
    context = browser.new_context(locale="fr-FR", permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(site + dossier.get_absolute_url())
    assert page.locator(".sommaire-dossier-notice").inner_text() == (
        "Une nouvelle version existe : REM DUI, vague 2"
    )
    page.get_by_role("button", name="Copier le lien").click()
    page.get_by_role("status").filter(has_text="Lien copié").wait_for(timeout=5000)
    assert page.evaluate("navigator.clipboard.readText()").endswith(dossier.get_absolute_url())
    context.close()


def submit(page) -> None:
    """Press Enter on what has the focus, and wait for the page the form sends back."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_an_editor_composes_a_dossier_with_the_keyboard_alone(dossier, site, page):
    sign_in(page, site)
    page.goto(site + "/gestion/dossiers/nouveau/")
    page.get_by_label("Titre", exact=True).focus()
    page.keyboard.type("Pour l’EHPAD des Tilleuls")
    page.keyboard.press("Tab")
    page.keyboard.type("ehpad-tilleuls")
    page.get_by_label("Un document du catalogue").focus()
    page.keyboard.type("ms-dui-af-va1")
    submit(page)  # Enter looks up and adds, without saving
    page.get_by_label("Un document du catalogue").focus()
    page.keyboard.type("ms-dui-dsr-va1")
    submit(page)
    assert page.locator("#items-1-resource").input_value() == "ms-dui-dsr-va1"
    page.get_by_role("button", name="Monter l’élément 2").focus()
    submit(page)
    assert page.locator("#items-0-resource").input_value() == "ms-dui-dsr-va1"
    page.get_by_role("button", name="Enregistrer le dossier").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(site + "/gestion/dossiers/ehpad-tilleuls/")
    assert "enregistré" in page.get_by_role("status").first.inner_text()


def test_the_form_works_without_javascript(dossier, site, browser):
    context = browser.new_context(locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    sign_in(page, site)
    page.goto(site + dossier.get_edit_url())
    with page.expect_navigation():
        page.get_by_role("button", name="Remplacer par la nouvelle version").click()
    assert page.locator("#items-2-resource").input_value() == "ms-dui-rem-va1-v2"
    with page.expect_navigation():
        page.get_by_role("button", name="Retirer l’élément 1").click()
    page.get_by_role("button", name="Enregistrer le dossier").click()
    page.wait_for_url(site + dossier.get_edit_url())
    page.goto(site + dossier.get_absolute_url())
    assert page.locator(".sommaire-dossier-notice").count() == 0
    assert page.locator("input#lien-du-dossier").input_value().endswith(dossier.get_absolute_url())
    context.close()
