"""The region page, Échéances and "Qui contacter ?" in a real browser, checked by axe,
at a desktop width and at a phone's."""

import pytest

from tests.browser.axe import AXE_TAGS, describe
from tests.browser.conftest import AXE

pytestmark = pytest.mark.browser

PAGES = [
    "/regions/idf/",
    "/regions/gua/",
    "/echeances/",
    "/echeances/?rubrique=radiologie&vague=vague-2",
    "/radiologie/",
    "/radiologie/?region=OCC",
]


@pytest.mark.parametrize("width", [1280, 375])
def test_axe_finds_no_violation_on_the_new_pages(site, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="fr-FR")
    page = context.new_page()
    axe = AXE.read_text(encoding="utf-8")
    report = []
    for path in PAGES:
        page.goto(site + path)
        page.evaluate(axe)
        results = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
        )
        assert results["passes"], f"axe checked nothing on {path}"
        if results["violations"]:
            report.append(describe(f"{path} at {width} px", results["violations"]))
        overflow = page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth")
        assert not overflow, f"{path} scrolls sideways at {width} px"
    context.close()
    assert not report, "\n".join(report)


def test_a_reader_picks_a_region_from_qui_contacter_and_comes_back_to_its_contacts(site, page):
    page.goto(site + "/hopital/")
    page.get_by_role("link", name="Choisissez votre région pour voir ses contacts").click()
    page.get_by_label("Ma région").select_option(label="Île-de-France")
    page.get_by_role("button", name="Afficher le sommaire de cette région").click()

    page.wait_for_url(site + "/hopital/#qui-contacter")
    who = page.locator("section[aria-labelledby='qui-contacter']")
    assert who.get_by_role("heading", name="En région Île-de-France").is_visible()
    assert who.get_by_role("heading", name="SESAN").is_visible()


def test_a_reader_filters_the_deadlines_by_section_and_wave(site, page):
    page.goto(site + "/echeances/")
    page.get_by_label("Rubrique").select_option(label="Radiologie / Imagerie")
    page.get_by_label("Vague").select_option(label="Vague 2")
    page.get_by_role("button", name="Afficher").click()

    page.wait_for_url(site + "/echeances/?rubrique=radiologie&vague=vague-2")
    titles = page.locator(".sommaire-deadline h3").all_inner_texts()
    assert titles and all("DRIMbox" in title for title in titles)
