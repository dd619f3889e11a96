"""A regional editor in Chromium: Rémi (Occitanie) signs in at /gestion/ and adds a
webinar of his region in the workspace; a reader who picks Occitanie sees it, marked
with the region's name; a reader of Bretagne does not."""

import pytest

from tests.browser.conftest import AXE

pytestmark = pytest.mark.browser

PASSWORD = "Une-phrase-de-passe-solide-2026"
TITLE = "Webinaire INS pour les établissements d’Occitanie"
ADDRESS = "https://www.esante-occitanie.fr/webinaire-ins-2026"


@pytest.fixture
def remi(site, settings):
    """Created before the browser starts: no database call once Playwright runs."""
    from django.contrib.auth import get_user_model

    from sommaire.catalog.models import Region
    from sommaire.editors.models import Editor

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = get_user_model().objects.create_user("remi", "remi@ars.sante.fr", PASSWORD)
    Editor.appoint(user, "regional", [Region.objects.get(code="OCC")])
    return user


def watch_policy(page) -> list[str]:
    """Every Content-Security-Policy violation the page reports in its console."""
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations


def sign_in(page, site: str) -> None:
    page.goto(site + "/gestion/")
    page.get_by_label("Nom d’utilisateur").fill("remi")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(site + "/gestion/")


def add_regional_resource(page, site: str) -> None:
    page.goto(site + "/gestion/ressources/nouvelle/")
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_url").fill(ADDRESS)
    assert page.locator("#id_region option").all_inner_texts() == ["Occitanie"]
    page.locator("#id_kind").select_option(label="Webinaire")
    page.locator("#id_format").select_option(label="Page web")
    page.locator("#id_publisher").select_option(label="ANS")
    page.locator("#id_placements-0-section").select_option(label="Services socles › INS")
    page.get_by_role("button", name="Ajouter la ressource").click()
    page.wait_for_url(site + "/gestion/ressources/webinaire-ins-pour-les-etablissements-*/")
    assert TITLE in page.get_by_role("status").first.inner_text()


def pick_region(page, site: str, name: str) -> None:
    page.goto(site + "/ins/")
    page.get_by_role("link", name="Choisir ma région").click()
    page.get_by_label("Ma région").select_option(label=name)
    page.get_by_role("button", name="Afficher le sommaire de cette région").click()
    page.wait_for_url(site + "/ins/")


def test_a_regional_resource_reaches_the_readers_of_its_region_only(remi, site, browser):
    editor = browser.new_context(locale="fr-FR").new_page()
    violations = watch_policy(editor)
    sign_in(editor, site)
    add_regional_resource(editor, site)
    assert violations == []

    occitan = browser.new_context(locale="fr-FR").new_page()
    pick_region(occitan, site, "Occitanie")
    item = occitan.locator("li.sommaire-resource", has_text=TITLE)
    assert item.count() == 1
    assert item.locator(".fr-badge", has_text="Occitanie").count() == 1
    assert occitan.get_by_role("link", name="Ma région : Occitanie").is_visible()
    occitan.goto(site + "/ins/")  # remembered: no parameter this time
    assert occitan.locator("li.sommaire-resource", has_text=TITLE).count() == 1

    breton = browser.new_context(locale="fr-FR").new_page()
    pick_region(breton, site, "Bretagne")
    assert breton.locator("li.sommaire-resource").count() > 0
    assert breton.locator("li.sommaire-resource", has_text=TITLE).count() == 0

    national = browser.new_context(locale="fr-FR").new_page()
    national.goto(site + "/ins/")
    assert national.locator("li.sommaire-resource", has_text=TITLE).count() == 0


def test_the_region_pages_pass_axe(remi, site, page):
    axe = AXE.read_text(encoding="utf-8")
    found = {}
    for path in ("/regions/", "/regions/occ/"):
        page.goto(site + path)
        page.evaluate(axe)  # through DevTools: the page's CSP does not govern it
        result = page.evaluate(
            "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa']}))"
            ".violations.map(v => v.id)"
        )
        found[path] = result
    assert found == {"/regions/": [], "/regions/occ/": []}
