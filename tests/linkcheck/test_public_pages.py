"""Public pages tell readers what the link checker knows, in one query per page."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sommaire.catalog.models import CatalogState
from sommaire.linkcheck.models import Run
from sommaire.linkcheck.services import Outcome, apply_outcomes
from tests.public.html import parse

MONDAY = datetime(2026, 11, 23, 3, 0, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture(autouse=True)
def fresh_page_cache():
    """Pages are cached per catalog generation, which each test's rollback rewinds."""
    cache.clear()


def checked(moment, url, status, **extra):
    values = dict(
        url=url,
        status=status,
        http_status=200 if status in ("ok", "redirected") else 404,
        final_url=url,
        permanent=False,
        content_type="application/pdf",
        elapsed_ms=5,
        error="" if status in ("ok", "redirected") else "HTTP 404",
        content_length=1_258_291,
    )
    values.update(extra)
    apply_outcomes(Run.objects.create(started_at=moment), [Outcome(**values)], moment)
    CatalogState.bump()  # as record_run does when readers would see a change


def test_a_document_link_shows_its_size_and_when_it_was_verified(client, catalog):
    resource = catalog.add("https://esante.gouv.fr/guide.pdf")
    checked(MONDAY, resource.url, "ok")

    page = parse(client.get(resource.get_absolute_url()).content)

    assert "PDF – esante.gouv.fr – 1,2 Mo – vérifié le 23 novembre 2026" in page.text()
    assert page.find("a", class_="fr-icon-download-line").get("href") == resource.url


def test_a_confirmed_broken_link_says_since_when_in_the_listing(client, catalog):
    resource = catalog.add("https://esante.gouv.fr/retire.pdf", section="hopital")
    checked(MONDAY, resource.url, "ok")
    checked(MONDAY + timedelta(days=1), resource.url, "broken")
    checked(MONDAY + timedelta(days=2), resource.url, "broken")

    page = parse(client.get("/hopital/").content)

    item = page.by_id(f"ressource-{resource.key}")
    detail = item.find("p", class_="sommaire-resource__detail--unavailable")
    assert detail.text() == (
        "Fichier PDF – esante.gouv.fr – 1,2 Mo – signalé indisponible depuis le "
        "24 novembre 2026 (le document n’existe plus à cette adresse)"
    )
    assert "vérifié le" not in item.text()


def test_one_failure_is_not_yet_unavailable(client, catalog):
    resource = catalog.add("https://esante.gouv.fr/bref.pdf", section="hopital")
    checked(MONDAY, resource.url, "broken")

    page = parse(client.get("/hopital/").content)

    item = page.by_id(f"ressource-{resource.key}")
    assert not item.find_all(class_="sommaire-resource__detail--unavailable")
    assert "pas encore vérifié" in item.text()


def test_readers_follow_a_permanent_redirect_to_the_new_address(client, catalog):
    resource = catalog.add("https://esante.gouv.fr/ancien.pdf#page=4", section="hopital")
    new = "https://esante.gouv.fr/nouveau.pdf"
    checked(
        MONDAY, "https://esante.gouv.fr/ancien.pdf", "redirected", final_url=new, permanent=True
    )

    page = parse(client.get("/hopital/").content)

    link = page.by_id(f"ressource-{resource.key}").find("a", class_="sommaire-resource__link")
    assert link.get("href") == new + "#page=4"


def test_link_states_cost_one_query_per_page_whatever_the_number_of_resources(client, catalog):
    def queries_for_section_with(count: int) -> int:
        for _ in range(count):
            resource = catalog.add(f"https://esante.gouv.fr/lot/{catalog.count}.pdf")
            checked(MONDAY, resource.url, "ok")
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/hopital/?n=" + str(count)).status_code == 200
        return len([q for q in queries if "linkcheck_link" in q["sql"]])

    assert queries_for_section_with(1) == 1
    assert queries_for_section_with(20) == 1
