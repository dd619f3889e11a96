import pytest
from django.core.cache import cache

from sommaire.public import acronyms
from sommaire.public import cache as page_cache


@pytest.fixture(autouse=True)
def fresh_caches(monkeypatch):
    """Each test starts cold, and reads the catalog generation on every request.

    A rolled-back test can leave a generation number behind that the next test
    reaches again with other data; and tests change the catalog behind the
    models' back (`.update()`), as another process would. test_page_cache.py
    covers the per-process memory of the generation itself.
    """
    monkeypatch.setattr(page_cache, "GENERATION_TTL", 0)
    cache.clear()
    acronyms.forget()
    page_cache.forget_generation()
    yield
    cache.clear()
    acronyms.forget()
    page_cache.forget_generation()
