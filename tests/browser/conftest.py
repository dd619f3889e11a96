"""Browser tests: Debian's Chromium driven by Playwright, axe-core from npm.

They skip when Chromium or axe-core is missing, except in CI (CI=true),
where a missing tool is a failure: a green CI must mean they ran.
"""

import os
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command

from sommaire.public import acronyms
from tests.conftest import ROOT, SEGUR_PACK

CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _missing_tools() -> list[str]:
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} (apt-get install chromium)")
    if not AXE.exists():
        missing.append(f"{AXE} (npm install --no-audit --no-fund)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("playwright (pip install -e '.[test]')")
    return missing


@pytest.fixture(scope="session")
def browser_tools():
    missing = _missing_tools()
    if missing:
        message = "browser tests need: " + ", ".join(missing)
        if os.environ.get("CI") == "true":
            pytest.fail(message + " — required in CI", pytrace=False)
        pytest.skip(message)


@pytest.fixture
def site(browser_tools, live_server):
    """The live server with the Ségur catalog and cold caches.

    live_server runs on a transactional database that earlier tests may have
    flushed, so the pack is loaded here, before any browser starts: Django
    refuses database calls while Playwright's event loop runs in this thread.
    """
    from sommaire.catalog.models import Section

    if not Section.objects.filter(slug="hopital").exists():
        call_command("load-pack", str(SEGUR_PACK), verbosity=0)
    cache.clear()
    acronyms.forget()
    return live_server.url


@pytest.fixture
def browser(site):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    yield context.new_page()
    context.close()
