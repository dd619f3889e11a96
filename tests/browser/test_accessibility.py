"""Accessibility beyond the journey: axe on every public page, the dark theme,
and the 'Menu' skip link on a phone."""

import pytest

from tests.browser.axe import axe_violations

pytestmark = pytest.mark.browser

PUBLIC_PAGES = [
    "/",
    "/hopital/",
    "/documentation-par-cible/",
    "/glossaire/",
    "/ressource/hop-dpi-dsr-va1/",
    "/ressource/hop-dpi-dsr-va1/signaler/",
    "/recherche/?q=dsr",
    "/recherche/?q=AF DPI vague 2",
    "/recherche/?q=zzqxwv",
    "/nouveautes/",
    "/nouveautes/alertes/",
    "/plan-du-site/",
    "/accessibilite/",
    "/mentions-legales/",
    "/donnees-personnelles/",
    "/regions/",
    "/regions/occ/",
    "/page-qui-n-existe-pas/",
    "/api/v1/docs",
]


def test_axe_finds_no_violation_on_any_public_page(site, page):
    report = axe_violations(page, PUBLIC_PAGES, site)
    assert not report, "\n".join(report)


@pytest.fixture
def dark(browser):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="fr-FR", color_scheme="dark"
    )
    yield context.new_page()
    context.close()


def test_in_the_dark_theme_marked_words_are_themed_and_axe_is_clean(site, dark):
    dark.goto(site + "/recherche/?q=dsr")
    dark.wait_for_function("() => document.documentElement.dataset.frTheme === 'dark'")

    mark = dark.locator("#resultats mark").first
    background = mark.evaluate("m => getComputedStyle(m).backgroundColor")
    colour = mark.evaluate("m => getComputedStyle(m).color")
    link_colour = dark.locator("#resultats .sommaire-resource__link").first.evaluate(
        "a => getComputedStyle(a).color"
    )
    assert background == "rgb(48, 42, 26)"  # the DSFR's dark yellow, not #ff0
    assert colour == link_colour  # the link's own colour, not black
    report = axe_violations(dark, ["/recherche/?q=dsr", "/hopital/", "/"], site)
    assert not report, "\n".join(report)


def test_on_a_phone_the_menu_skip_link_moves_the_focus_into_the_menu(site, browser):
    context = browser.new_context(viewport={"width": 375, "height": 667}, locale="fr-FR")
    page = context.new_page()
    page.goto(site + "/hopital/")
    page.wait_for_function("() => document.documentElement.dataset.frJs === 'true'")

    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Menu"
    page.keyboard.press("Enter")

    page.wait_for_function(
        "() => document.activeElement.closest('#navigation-principale') !== null"
    )
    assert page.evaluate("() => document.activeElement.tagName") == "A"
    context.close()
