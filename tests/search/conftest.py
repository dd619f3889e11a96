import pytest
from django.core.cache import cache

from sommaire.public import acronyms
from sommaire.public import cache as page_cache


@pytest.fixture(autouse=True)
def fresh_page_cache(monkeypatch):
    """Pages are cached under the catalog generation, which a rolled-back test hands out again."""
    monkeypatch.setattr(page_cache, "GENERATION_TTL", 0)
    cache.clear()
    acronyms.forget()
    page_cache.forget_generation()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def fresh_search_state():
    from sommaire.search import services

    services.forget()
    yield
    services.forget()
