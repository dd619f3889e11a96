"""Shared test set-up: the Ségur pack loaded once, static files without a manifest,
cold caches for every test, and the people of the tests (tests/personas.py)."""

from pathlib import Path

import pytest
from django.core.management import call_command

from tests.personas import make_editor

ROOT = Path(__file__).resolve().parents[1]
SEGUR_PACK = ROOT / "content" / "segur"
DATA = Path(__file__).resolve().parent / "data"


def pytest_configure(config):
    from django.conf import settings

    # Tests render templates without running collectstatic first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # WhiteNoise serves static files from the apps' folders, with no collectstatic.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the Ségur catalog, loaded once per session."""
    with django_db_blocker.unblock():
        call_command("load-pack", str(SEGUR_PACK), verbosity=0)


@pytest.fixture
def segur(db):
    """The Ségur catalog, reloaded if a transactional test flushed it."""
    from sommaire.catalog.models import Section

    if not Section.objects.filter(slug="hopital").exists():
        call_command("load-pack", str(SEGUR_PACK), verbosity=0)


@pytest.fixture(autouse=True)
def cold_page_cache(monkeypatch):
    """Each test starts cold (pages, frame pieces, acronyms, regions, search state) and reads
    the catalog generation on every request.

    A rolled-back test can leave a generation number behind that the next test
    reaches again with other data (other regions, other ids); and tests change
    the catalog behind the models' back (`.update()`), as another process
    would. tests/public/test_page_cache.py covers the per-process memory itself.
    """
    from django.core.cache import cache

    from sommaire.public import acronyms
    from sommaire.public import cache as page_cache
    from sommaire.regions import reader
    from sommaire.search import services

    monkeypatch.setattr(page_cache, "GENERATION_TTL", 0)
    forgets = (
        cache.clear,
        acronyms.forget,
        page_cache.forget_generation,
        reader.forget_regions,
        services.forget,
    )
    for forget in forgets:
        forget()
    yield
    for forget in forgets:
        forget()


@pytest.fixture
def nadia(segur):
    return make_editor("nadia", "national", first_name="Nadia")


@pytest.fixture
def remi(segur):
    return make_editor("remi", "regional", "OCC", first_name="Rémi")


@pytest.fixture
def chloe(segur):
    return make_editor("chloe", "regional", "BRE", first_name="Chloé")


@pytest.fixture
def administrator(segur):
    return make_editor("agnes", "admin", first_name="Agnès")
