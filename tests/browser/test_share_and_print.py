"""Share, print, download: the copy button, the paper version, the section's PDF."""

import pytest

pytestmark = pytest.mark.browser

DPI_DSR = "https://esante.gouv.fr/sites/default/files/media_entity/documents/DSR-HOP-DPI-Va1.pdf"


def test_copier_le_lien_puts_the_resource_address_on_the_clipboard(site, browser):
    context = browser.new_context(locale="fr-FR")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    page = context.new_page()
    page.goto(site + "/ressource/hop-dpi-dsr-va1/")

    page.get_by_role("button", name="Copier le lien de cette fiche").click()

    page.locator("#copie-du-lien").filter(has_text="Lien copié").wait_for()
    assert page.evaluate("() => navigator.clipboard.readText()") == (
        site + "/ressource/hop-dpi-dsr-va1/"
    )
    context.close()


def test_on_paper_there_is_no_menu_search_filter_or_table_of_contents(site, page):
    page.goto(site + "/hopital/?kind=dsr")
    page.emulate_media(media="print")

    for selector in (
        "#menu-principal",
        ".fr-header__tools",
        ".fr-summary",
        ".sommaire-section-filters",
        ".fr-skiplinks",
    ):
        assert not page.locator(selector).first.is_visible(), selector
    assert page.get_by_role("heading", level=1).is_visible()


def test_on_paper_links_print_their_address_after_their_text(site, page):
    page.goto(site + "/hopital/")
    page.emulate_media(media="print")

    link = page.locator(f'main a[href="{DPI_DSR}"]')
    after = link.evaluate("a => getComputedStyle(a, '::after').content")
    assert "attr(href)" in after or DPI_DSR in after
    page.emulate_media(media="screen")
    assert "attr(href)" not in link.evaluate("a => getComputedStyle(a, '::after').content")


def test_the_search_page_prints_its_results_without_the_filters(site, page):
    page.goto(site + "/recherche/?q=certificats")
    page.emulate_media(media="print")

    assert page.locator("#resultats").is_visible()
    assert not page.locator(".sommaire-filters").is_visible()
    assert not page.locator("main form[role=search]").is_visible()


def test_a_section_offers_its_pdf(site, page):
    page.goto(site + "/hopital/")

    link = page.get_by_role("link", name="Télécharger cette rubrique")
    assert link.get_attribute("href") == "/hopital.pdf"
    response = page.request.get(site + "/hopital.pdf")
    assert response.ok and response.body()[:5] == b"%PDF-"
