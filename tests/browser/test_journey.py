"""A reader in a real browser: a journey, accessibility, and nothing from elsewhere."""

import json

import pytest

from tests.browser.conftest import AXE

pytestmark = pytest.mark.browser

DPI_DSR = "https://esante.gouv.fr/sites/default/files/media_entity/documents/DSR-HOP-DPI-Va1.pdf"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
PAGES = ["/", "/hopital/", "/glossaire/", "/ressource/hop-dpi-dsr-va1/"]


def test_a_reader_goes_from_the_sommaire_to_a_document_and_back(site, page):
    page.goto(site + "/")
    page.get_by_role("main").get_by_role("link", name="Hôpital", exact=True).click()
    page.wait_for_url(site + "/hopital/")
    assert page.locator(f'a[href="{DPI_DSR}"]').is_visible()
    page.get_by_role("link", name="Retour au sommaire", exact=True).click()
    page.wait_for_url(site + "/")
    assert page.get_by_role("heading", level=1).inner_text() == "Ségur du numérique en santé"


def test_axe_finds_no_violation_on_home_a_section_the_glossary_and_a_resource(site, page):
    axe = AXE.read_text(encoding="utf-8")
    report = []
    for path in ("/", "/hopital/", "/glossaire/", "/ressource/hop-dpi-dsr-va1/"):
        page.goto(site + path)
        # page.evaluate goes through the DevTools protocol, which the page's CSP
        # (no inline script) does not govern: no need for bypass_csp.
        page.evaluate(axe)
        results = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
        )
        assert results["passes"], f"axe checked nothing on {path}"
        if results["violations"]:
            report.append(describe(path, results["violations"]))
    assert not report, "\n".join(report)


def describe(path: str, violations: list[dict]) -> str:
    lines = [f"{path}: {len(violations)} axe violation(s)"]
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"][:5]:
            lines.append(f"  - {json.dumps(node['target'])}: {node['failureSummary']}")
            lines.append(f"    {node['html'][:200]}")
    return "\n".join(lines)


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
