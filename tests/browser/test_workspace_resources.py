"""Journey 2 in Chromium: Rémi, regional editor of Occitanie, finds Hôpital › DPI in the
workspace's tree and adds a resource of his region there, its address checked as he
types it; a reader who chose Occitanie sees it on /hopital/, a reader of Bretagne does
not. Every workspace page crossed passes axe-core."""

import re

import pytest

from tests.browser.axe import AXE_TAGS, describe
from tests.browser.conftest import AXE
from tests.browser.test_regional_editor import watch_policy
from tests.workspace.document_site import DocumentSite

pytestmark = pytest.mark.browser

PASSWORD = "Une-phrase-de-passe-solide-2026"
TITLE = "Webinaire DPI des établissements d’Occitanie"
DPI = "Dossier Patient Informatisé (DPI)"


@pytest.fixture
def documents():
    with DocumentSite() as site:
        yield site


@pytest.fixture
def remi(site, settings):
    """Created before the browser starts: no database call once Playwright runs."""
    from django.contrib.auth import get_user_model

    from sommaire.catalog.models import Region
    from sommaire.editors.models import Editor

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The address check may reach the document site on 127.0.0.1, and nothing else.
    settings.FETCH_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    settings.FETCH_MIN_INTERVAL_MS = 0
    user = get_user_model().objects.create_user("remi", "remi@ars.sante.fr", PASSWORD)
    user.first_name = "Rémi"
    user.save()
    Editor.appoint(user, "regional", [Region.objects.get(code="OCC")])
    return user


class Axe:
    """axe-core run on each page crossed; the report lists every violation found."""

    def __init__(self, page):
        self.page, self.script, self.report = page, AXE.read_text(encoding="utf-8"), []

    def check(self, name: str) -> None:
        self.page.evaluate(self.script)
        results = self.page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
        )
        assert results["passes"], f"axe checked nothing on {name}"
        if results["violations"]:
            self.report.append(describe(name, results["violations"]))


def sign_in(page, site: str) -> None:
    page.goto(site + "/gestion/ressources/")
    page.get_by_label("Nom d’utilisateur").fill("remi")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(site + "/gestion/ressources/")


def add_in_hopital_dpi(page, site: str, address: str, axe: Axe) -> None:
    hopital = page.locator("section.workspace-branch", has=page.locator("#section-hopital"))
    assert hopital.get_by_role("heading", name=re.compile("Hôpital")).is_visible()
    assert hopital.get_by_role("heading", name=DPI).is_visible()
    here = re.compile(f"pour ma région ici : .*Hôpital › {re.escape(DPI)}")
    add = hopital.get_by_role("link", name=here)
    add.focus()
    page.keyboard.press("Enter")  # by keyboard
    page.wait_for_url(re.compile(r"/gestion/ressources/nouvelle/\?section=hopital"))
    assert page.locator("#id_placements-0-group").input_value() == DPI
    axe.check("/gestion/ressources/nouvelle/")

    page.get_by_role("textbox", name="Titre", exact=True).fill(TITLE)
    page.get_by_role("textbox", name=re.compile("^Adresse")).fill(address)
    page.keyboard.press("Tab")  # leaving the field checks the address
    result = page.locator("#adresse-verifiee")
    result.wait_for()
    assert "Adresse accessible" in result.inner_text()
    assert "application/pdf" in result.inner_text()
    assert page.locator("#id_format option:checked").inner_text() == "PDF"  # guessed
    axe.check("/gestion/ressources/nouvelle/ (adresse vérifiée)")

    page.locator("#id_kind").select_option(label="Webinaire")
    page.locator("#id_publisher").select_option(label="ANS")
    # Enter in a field saves: with the script, the check button is no submit button.
    page.get_by_role("textbox", name="Titre", exact=True).press("Enter")
    page.wait_for_url(re.compile(r"/gestion/ressources/webinaire-dpi"))
    assert TITLE in page.get_by_role("status").first.inner_text()
    axe.check("/gestion/ressources/<clé>/")


def reader_of(browser, site: str, region: str):
    page = browser.new_context(locale="fr-FR").new_page()
    page.goto(site + "/regions/")
    page.get_by_label("Ma région").select_option(label=region)
    page.get_by_role("button", name="Afficher le sommaire de cette région").click()
    page.goto(site + "/hopital/")
    return page


def test_a_regional_editor_adds_a_resource_in_hopital_dpi_for_his_region(
    remi, documents, site, browser
):
    page = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900}).new_page()
    violations = watch_policy(page)
    axe = Axe(page)
    sign_in(page, site)
    axe.check("/gestion/ressources/")

    add_in_hopital_dpi(page, site, documents.url("/webinaire-dpi-occitanie.pdf"), axe)
    page.get_by_role("link", name="Historique").click()
    page.wait_for_url(re.compile(r"/historique/$"))
    axe.check("/gestion/ressources/<clé>/historique/")
    page.goto(site + "/gestion/ressources/?q=webinaire")
    axe.check("/gestion/ressources/?q=webinaire")

    assert violations == []
    assert not axe.report, "\n".join(axe.report)

    occitan = reader_of(browser, site, "Occitanie")
    dpi = occitan.locator("section.sommaire-group", has=occitan.get_by_role("heading", name=DPI))
    assert dpi.locator("li.sommaire-resource", has_text=TITLE).count() == 1
    breton = reader_of(browser, site, "Bretagne")
    assert breton.locator("li.sommaire-resource").count() > 0
    assert breton.locator("li.sommaire-resource", has_text=TITLE).count() == 0


@pytest.fixture
def national_version(remi):
    """An old version of a national resource, read before the browser starts."""
    from sommaire.catalog.models import Resource

    resource = Resource.objects.get(key="hop-dpi-dsr-va1")
    return f"/gestion/ressources/{resource.key}/historique/{resource.history.last().history_id}/"


def test_the_other_resource_pages_pass_axe(remi, national_version, site, browser):
    page = browser.new_context(locale="fr-FR").new_page()
    axe = Axe(page)
    sign_in(page, site)
    for path in (
        "/gestion/ressources/?section=hopital&format=pdf",
        "/gestion/ressources/hop-dpi-dsr-va1/",  # national: read-only for Rémi
        national_version,
    ):
        page.goto(site + path)
        axe.check(path)
    page.goto(site + "/gestion/ressources/nouvelle/")
    page.get_by_role("button", name="Ajouter la ressource").click()
    assert page.locator("#erreurs-formulaire").is_visible()
    axe.check("/gestion/ressources/nouvelle/ (erreurs)")

    assert not axe.report, "\n".join(axe.report)
