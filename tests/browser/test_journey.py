"""A reader in a real browser: a journey, accessibility, and nothing from elsewhere."""

import pytest

pytestmark = pytest.mark.browser

DPI_DSR = "https://esante.gouv.fr/sites/default/files/media_entity/documents/DSR-HOP-DPI-Va1.pdf"
PAGES = ["/", "/hopital/", "/glossaire/", "/ressource/hop-dpi-dsr-va1/", "/api/v1/docs"]


def test_a_reader_goes_from_the_sommaire_to_a_document_and_back(site, page):
    page.goto(site + "/")
    page.get_by_role("main").get_by_role("link", name="Hôpital", exact=True).click()
    page.wait_for_url(site + "/hopital/")
    assert page.locator(f'a[href="{DPI_DSR}"]').is_visible()
    page.get_by_role("link", name="Retour au sommaire", exact=True).click()
    page.wait_for_url(site + "/")
    assert page.get_by_role("heading", level=1).inner_text() == "Ségur du numérique en santé"


def test_pages_log_no_error_and_request_nothing_from_another_host(site, page):
    errors, foreign = [], []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "request",
        lambda r: r.url.startswith((site + "/", "data:")) or foreign.append(r.url),
    )
    for path in PAGES:
        page.goto(site + path)
        page.wait_for_load_state("networkidle")
        # The DSFR's own script ran, under the CSP (script-src 'self').
        assert page.evaluate("() => window.dsfr !== undefined"), path
    assert errors == []
    assert foreign == []
