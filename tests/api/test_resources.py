"""GET /api/v1/resources and /api/v1/resources/{key}: filters, pagination, one resource."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sommaire.catalog.models import Placement, Region, Resource, Section


def get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()


def test_it_lists_every_resource_a_page_at_a_time(segur, client):
    total = Resource.objects.count()

    first = get(client, "/api/v1/resources", limit=50)
    second = get(client, "/api/v1/resources", limit=50, offset=50)

    assert first["count"] == second["count"] == total
    assert len(first["items"]) == 50 and first["previous"] is None
    assert first["next"].endswith("/api/v1/resources?limit=50&offset=50")
    keys = [r["key"] for r in first["items"] + second["items"]]
    assert keys == sorted(Resource.objects.values_list("key", flat=True))[:100]


def test_a_resource_has_the_fields_of_the_open_data_export(segur, client):
    resource = Resource.objects.get(key="hop-dpi-dsr-va1")

    item = get(client, "/api/v1/resources/hop-dpi-dsr-va1")

    assert item["title"] == resource.title and item["url"] == resource.url
    assert item["kind"] == "dsr" and item["profile"] == "dpi" and item["wave"] == "vague-1"
    assert item["version"] == "Va1" and item["region"] is None
    assert item["section"] == "hopital" and item["sections"][0]["section"] == "hopital"
    assert item["page_url"].endswith("/ressource/hop-dpi-dsr-va1/")


def test_an_unknown_key_is_a_json_404(segur, client):
    response = client.get("/api/v1/resources/nulle-part")

    assert response.status_code == 404
    assert response.json() == {"detail": "Aucune ressource n’a cette clé."}


@pytest.mark.parametrize(
    "name, value, field",
    [
        ("kind", "dsr", "kind"),
        ("format", "xlsx", "format"),
        ("publisher", "ans", "publisher"),
        ("profile", "dpi", "profile"),
        ("wave", "vague-1", "wave"),
    ],
)
def test_it_filters_by_vocabulary(segur, client, name, value, field):
    expected = Resource.objects.filter(**{f"{name}__slug": value}).count()

    page = get(client, "/api/v1/resources", **{name: value, "limit": 200})

    assert page["count"] == expected > 0
    assert {r[field] for r in page["items"]} == {value}


def test_it_filters_by_section(segur, client):
    expected = Placement.objects.filter(section__slug="officine").count()

    page = get(client, "/api/v1/resources", section="officine", limit=200)

    assert page["count"] == expected > 0
    assert all("officine" in [p["section"] for p in r["sections"]] for r in page["items"])


def test_it_filters_by_region_or_national(segur, client):
    occitanie = Region.objects.get(code="OCC")
    resource = Resource.objects.get(key="hop-fiche-pratique")
    resource.region = occitanie
    resource.save()

    regional = get(client, "/api/v1/resources", region="FR-OCC")
    national = get(client, "/api/v1/resources", region="national", limit=1)

    assert [r["key"] for r in regional["items"]] == ["hop-fiche-pratique"]
    assert national["count"] == Resource.objects.count() - 1


def test_it_filters_by_status_and_by_change_date(segur, client):
    past = timezone.now() - timedelta(days=400)
    Resource.objects.update(changed_at=past)
    archived = Resource.objects.get(key="hop-mode-emploi")
    archived.status = Resource.Status.ARCHIVED
    archived.changed_at = timezone.now()
    archived.save()

    by_status = get(client, "/api/v1/resources", status="archived")
    recent = get(client, "/api/v1/resources", changed_since=(past + timedelta(days=1)).isoformat())

    assert [r["key"] for r in by_status["items"]] == ["hop-mode-emploi"]
    assert [r["key"] for r in recent["items"]] == ["hop-mode-emploi"]


def test_a_bad_parameter_is_a_422_that_names_it(segur, client):
    response = client.get("/api/v1/resources", {"limit": 0, "status": "perdu"})

    assert response.status_code == 422
    assert {tuple(e["loc"]) for e in response.json()["detail"]} == {
        ("query", "limit"),
        ("query", "status"),
    }


@pytest.mark.parametrize(
    "params",
    [
        {"section": "\x00"},
        {"changed_since": "0001-01-01T00:00:00+05:00"},
        {"changed_since": "9999-12-31T23:59:59-05:00"},
    ],
)
def test_odd_but_valid_filters_find_nothing_rather_than_fail(segur, client, params):
    response = client.get("/api/v1/resources", params)

    assert response.status_code == 200


def test_a_resource_is_counted_once_however_many_times_it_is_placed(segur, client):
    shared = next(r for r in Resource.objects.all() if r.placements.count() > 1)
    section = Section.objects.exclude(placements__resource=shared).first()
    Placement.objects.create(resource=shared, section=section)

    page = get(client, "/api/v1/resources", limit=200)

    assert [r["key"] for r in page["items"]].count(shared.key) == 1
