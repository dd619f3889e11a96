"""GET /api/v1/links, and the `link` object of every resource the API shows."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sommaire.catalog.models import Resource
from sommaire.linkcheck.models import Link, Run, Status

NOW = timezone.now()


def checked(url: str, status: str = Status.OK, **fields) -> Link:
    values = {"status": status, "http_status": 200, "last_checked_at": NOW, **fields}
    return Link.objects.create(url=url, **values)


def broken(url: str, since: timedelta = timedelta(days=3)) -> Link:
    return checked(
        url,
        Status.BROKEN,
        http_status=404,
        first_failure_at=NOW - since,
        consecutive_failures=3,
    )


def get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def pdf(segur):
    return Resource.objects.filter(url__endswith=".pdf").order_by("key").first()


def test_a_resource_shows_the_health_of_its_link(pdf, client):
    checked(pdf.url, content_type="application/pdf", content_length=63_390)

    link = get(client, f"/api/v1/resources/{pdf.key}")["link"]

    assert link == {
        "status": "ok",
        "status_label": "accessible",
        "checked_at": link["checked_at"],
        "http_status": 200,
        "final_url": "",
        "permanent": False,
        "confirmed_broken": False,
        "size": 63_390,
        "content_type": "application/pdf",
    }
    assert link["checked_at"].startswith(str(NOW.year))


def test_a_link_is_found_whatever_the_fragment_of_the_resource_url(pdf, client):
    pdf.url = pdf.url + "#page=4"
    pdf.save()
    broken(pdf.url.split("#")[0])

    link = get(client, f"/api/v1/resources/{pdf.key}")["link"]

    assert link["status"] == "broken" and link["confirmed_broken"] is True


def test_an_unchecked_link_is_null(pdf, client):
    assert get(client, f"/api/v1/resources/{pdf.key}")["link"] is None


def test_a_list_reads_the_links_of_a_whole_page_in_one_query(segur, client):
    for resource in Resource.objects.all():
        checked(resource.url)

    def queries(limit: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            page = get(client, "/api/v1/resources", limit=limit)
        assert all(item["link"]["status"] == "ok" for item in page["items"])
        return len(captured)

    assert queries(1) == queries(100)


def test_it_lists_the_links_with_the_resources_that_use_them(pdf, client):
    broken(pdf.url)

    page = get(client, "/api/v1/links")

    assert page["count"] == 1
    item = page["items"][0]
    assert item["url"] == pdf.url and item["resources"] == [pdf.key]
    assert item["status"] == "broken" and item["failing_since"] is not None


def test_it_filters_by_status_host_and_confirmed_failure(segur, client):
    broken("https://esante.gouv.fr/a.pdf")
    broken("https://www.esante.gouv.fr/b.pdf", since=timedelta(hours=2))  # not confirmed yet
    checked("https://esante.gouv.fr.example.net/c.pdf")
    checked("https://sante.gouv.fr/d", Status.TIMEOUT, http_status=None)

    def urls(**params) -> list[str]:
        return [item["url"] for item in get(client, "/api/v1/links", **params)["items"]]

    assert urls(status="broken") == [
        "https://esante.gouv.fr/a.pdf",
        "https://www.esante.gouv.fr/b.pdf",
    ]
    assert urls(host="esante.gouv.fr") == [
        "https://esante.gouv.fr/a.pdf",
        "https://www.esante.gouv.fr/b.pdf",
    ]
    assert urls(host="sante.gouv.fr") == ["https://sante.gouv.fr/d"]
    assert urls(confirmed_broken="true") == ["https://esante.gouv.fr/a.pdf"]
    assert urls(host="a b") == []


def test_it_pages_through_the_links(segur, client):
    for n in range(5):
        checked(f"https://esante.gouv.fr/{n}.pdf")

    first = get(client, "/api/v1/links", limit=2)
    last = get(client, "/api/v1/links", limit=2, offset=4)

    assert first["count"] == 5 and len(first["items"]) == 2
    assert first["next"].endswith("/api/v1/links?limit=2&offset=2")
    assert len(last["items"]) == 1 and last["next"] is None


def test_a_bad_status_is_a_422(segur, client):
    response = client.get("/api/v1/links", {"status": "perdu"})

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "status"]


def test_a_finished_link_check_changes_the_etag(segur, client):
    first = client.get("/api/v1/links")
    Run.objects.create(finished_at=timezone.now(), outcome=Run.Outcome.DONE)

    again = client.get("/api/v1/links", headers={"If-None-Match": first["ETag"]})

    assert again.status_code == 200
