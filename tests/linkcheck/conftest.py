import pytest
from django.db.models import Value
from django.db.models.functions import Concat

from sommaire.catalog.models import (
    Contact,
    Deadline,
    Format,
    Kind,
    Placement,
    Publisher,
    Resource,
    Section,
)
from tests.fetch.conftest import (  # noqa: F401  (shared fixtures)
    certificates,
    hostile,
    hostile_server,
    tls_servers,
)


@pytest.fixture(autouse=True)
def local_fetch(settings):
    """A fetcher allowed to reach 127.0.0.0/8, with short limits, for this test only."""
    settings.FETCH_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    settings.FETCH_MIN_INTERVAL_MS = 0
    settings.FETCH_TIMEOUT = 3
    settings.FETCH_CONNECT_TIMEOUT = 1
    settings.FETCH_READ_TIMEOUT = 2


class Catalog:
    """Small factory: resources at given URLs, placed in a section of the Ségur pack."""

    def __init__(self):
        self.count = 0

    def add(self, url: str, format: str = "pdf", section: str = "hopital") -> Resource:
        self.count += 1
        resource = Resource.objects.create(
            key=f"test-{self.count}",
            title=f"Ressource de test {self.count}",
            url=url,
            kind=Kind.objects.order_by("pk").first(),
            format=Format.objects.get(slug=format),
            publisher=Publisher.objects.order_by("pk").first(),
        )
        Placement.objects.create(
            resource=resource, section=Section.objects.get(slug=section), order=self.count
        )
        return resource


@pytest.fixture
def catalog(segur):
    """The Ségur catalog without a single URL, to which a test adds its own.

    The pack points at real sites: no test may check them, so every test of
    this folder that touches the database starts from here.
    """
    # mailto: links are never fetched; each stays unique as the column wants.
    Resource.objects.update(url=Concat(Value("mailto:"), "key", Value("@exemple.invalid")))
    Publisher.objects.update(url="")
    Contact.objects.update(url="", source="")
    Deadline.objects.update(source="")
    return Catalog()
