import json
from io import StringIO

import pytest
from django.core.management import call_command

from sommaire.catalog.models import Format, Resource
from tests.search.factories import resource
from tests.watch.site import LocalSite

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "csv": "text/csv; charset=utf-8",
}


@pytest.fixture(scope="session")
def site_server():
    with LocalSite() as local:
        yield local


@pytest.fixture
def site(site_server):
    """The local site, empty: no page, no request seen."""
    site_server.pages.clear()
    site_server.log.clear()
    return site_server


@pytest.fixture
def local_fetch(settings):
    """Let this test's fetches reach 127.0.0.1, without politeness delays."""
    settings.FETCH_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    settings.FETCH_MIN_INTERVAL_MS = 0
    settings.FETCH_TIMEOUT = 5


@pytest.fixture
def published(segur, site, local_fetch):
    """A document served by the local site and listed in the catalog (section Hôpital).

    The pack's own resources are archived first (with update(): the test
    rolls back), so that a run over the whole catalog never reaches for
    the real sites: only the local site's documents are active.
    """
    Resource.objects.update(status=Resource.Status.ARCHIVED)

    def make(name: str, data: bytes, title: str, **values):
        extension = name.rsplit(".", 1)[-1]
        Format.objects.get_or_create(slug=extension, defaults={"label": extension.upper()})
        site.set(f"/docs/{name}", data, content_type=CONTENT_TYPES.get(extension, "text/plain"))
        return resource(title, url=site.url(f"/docs/{name}"), fmt=extension, **values)

    return make


def extract(*args) -> list[dict]:
    """`sommaire extract-documents --format json`, parsed."""
    out = StringIO()
    call_command("extract-documents", "--format", "json", *args, stdout=out)
    return json.loads(out.getvalue())


def by_key(rows: list[dict]) -> dict[str, dict]:
    return {row["key"]: row for row in rows}
