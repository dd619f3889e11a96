import pytest

from sommaire.catalog.models import Section
from sommaire.watch.models import Source
from tests.catalog.conftest import empty_catalog
from tests.editors.conftest import fast_passwords
from tests.watch.site import LocalSite


@pytest.fixture
def site():
    with LocalSite() as local:
        local.set("/robots.txt", "User-agent: *\nDisallow: /prive/\n", content_type="text/plain")
        yield local


@pytest.fixture
def local_fetch(settings):
    """Let this test's fetches reach 127.0.0.1, without politeness delays."""
    settings.FETCH_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    settings.FETCH_MIN_INTERVAL_MS = 0
    settings.FETCH_TIMEOUT = 5


@pytest.fixture
def watched(segur, site, local_fetch):
    """Pages of the local site to watch; the pack's real pages are never fetched in tests."""
    Source.objects.all().delete()

    def make(path="/segur/hopital", **values) -> Source:
        section = Section.objects.get(slug=values.pop("section", "hopital"))
        return Source.objects.create(url=site.url(path), section=section, **values)

    return make


__all__ = ["empty_catalog", "fast_passwords"]
