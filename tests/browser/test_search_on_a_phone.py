"""The search page on a phone, at 200 % zoom and by keyboard: results first."""

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 667}


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="fr-FR", is_mobile=True)
    yield context.new_page()
    context.close()


def first_result_box(page):
    return page.locator("#resultats > li").first.bounding_box()


def test_on_a_phone_the_first_result_starts_within_the_first_screen(site, phone):
    phone.goto(site + "/recherche/?q=certificats")

    box = first_result_box(phone)
    assert box["y"] < PHONE["height"], f"first result at {box['y']} px"
    number_left = phone.evaluate(
        "() => document.querySelector('#resultats').getBoundingClientRect().left"
    )
    assert number_left >= 0 and box["x"] >= 24  # room for "1." inside the screen


def test_an_acronym_query_keeps_its_first_result_within_the_first_screen(site, phone):
    phone.goto(site + "/recherche/?q=dsr")

    assert phone.locator("#definition").is_visible()
    assert first_result_box(phone)["y"] < PHONE["height"]


def test_at_200_percent_zoom_the_first_result_starts_within_the_first_screen(site, browser):
    # 200 % zoom of a 1280 × 900 window: a 640 × 450 CSS pixel viewport, twice as dense.
    context = browser.new_context(
        viewport={"width": 640, "height": 450}, device_scale_factor=2, locale="fr-FR"
    )
    page = context.new_page()
    page.goto(site + "/recherche/?q=certificats")

    assert first_result_box(page)["y"] < 2 * 450
    context.close()


def test_the_filters_are_folded_after_the_results_and_open_on_demand(site, phone):
    phone.goto(site + "/recherche/?q=certificats")
    # Without JavaScript the filters stay open; the DSFR's script folds them.
    phone.wait_for_function("() => document.documentElement.dataset.frJs === 'true'")

    facets = phone.locator(".sommaire-facets")
    facets.wait_for(state="hidden")  # the collapse hides its content after its transition
    phone.get_by_role("button", name="Filtrer les résultats").click()
    facets.wait_for(state="visible")
    assert facets.bounding_box()["y"] > first_result_box(phone)["y"]


def test_by_keyboard_the_first_result_is_a_few_tabs_from_the_search_box(site, page):
    page.goto(site + "/recherche/?q=certificats")
    page.locator("#recherche-q").focus()

    presses = 0
    while presses < 40:
        page.keyboard.press("Tab")
        presses += 1
        if page.evaluate("() => !!document.activeElement.closest('#resultats')"):
            break
    assert presses <= 2, f"{presses} Tab presses from the search box to the first result"


def test_the_skip_link_takes_the_focus_to_the_results(site, page):
    page.goto(site + "/recherche/?q=certificats")

    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Aller aux résultats"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "resultats"
