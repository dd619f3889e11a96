"""PUT /api/v1/resources/{key}: a full update, based on the revision the client read.

No lost update: without If-Match a 428, with a stale one a 412 that lists
what changed meanwhile, and the save itself is a compare-and-set.
"""

import pytest

from sommaire.catalog.models import CatalogEvent, CatalogState, Kind, Region, Resource
from sommaire.editors import permissions

FIELDS = [
    "title",
    "url",
    "kind",
    "format",
    "publisher",
    "profile",
    "wave",
    "version",
    "region",
    "description",
    "status",
    "sections",
]


def url(key: str) -> str:
    return f"/api/v1/resources/{key}"


def read(client, key: str) -> tuple[dict, str]:
    """The resource as PUT takes it back, and its ETag."""
    response = client.get(url(key))
    assert response.status_code == 200
    body = response.json()
    return {name: body[name] for name in FIELDS}, response["ETag"]


def put(client, key: str, body: dict, etag: str | None):
    headers = {"If-Match": etag} if etag is not None else {}
    return client.put(url(key), body, content_type="application/json", headers=headers)


@pytest.fixture
def occitan(segur):
    """A resource of Occitanie."""
    resource = Resource.objects.get(key="hop-fiche-pratique")
    resource.region = Region.objects.get(code="OCC")
    resource.save()
    return resource


def test_the_etag_of_a_resource_carries_its_revision(segur, client):
    resource = Resource.objects.get(key="hop-fiche-pratique")

    response = client.get(url(resource.key))

    assert response["ETag"].startswith(f'"r{resource.revision}-')
    assert response.json()["revision"] == resource.revision
    assert "max-age" not in response["Cache-Control"] and "no-cache" in response["Cache-Control"]


def test_an_editor_replaces_a_resource_read_with_its_etag(occitan, as_remi, remi):
    body, etag = read(as_remi, occitan.key)
    generation = CatalogState.current()

    response = put(as_remi, occitan.key, {**body, "title": "Fiche pratique (Occitanie)"}, etag)

    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Fiche pratique (Occitanie)"
    occitan.refresh_from_db()
    assert occitan.title == "Fiche pratique (Occitanie)"
    assert response.json()["revision"] == occitan.revision
    assert response["ETag"].startswith(f'"r{occitan.revision}-') and response["ETag"] != etag
    latest = occitan.history.order_by("-history_date").first()
    assert latest.history_user == remi and latest.revision == occitan.revision
    assert CatalogState.current() > generation


def test_the_etag_of_the_answer_is_the_one_a_read_gives_then(occitan, as_remi, client):
    body, etag = read(as_remi, occitan.key)
    written = put(as_remi, occitan.key, {**body, "version": "V2"}, etag)

    old = client.get(url(occitan.key), headers={"If-None-Match": etag})
    new = client.get(url(occitan.key), headers={"If-None-Match": written["ETag"]})

    assert old.status_code == 200 and old.json()["version"] == "V2"
    assert new.status_code == 304 and new["ETag"] == written["ETag"]


def test_without_if_match_it_is_a_428_and_nothing_changes(occitan, as_remi):
    body, _ = read(as_remi, occitan.key)

    for etag in (None, "*"):
        response = put(as_remi, occitan.key, {**body, "title": "Écrasé"}, etag)

        assert response.status_code == 428
        assert "If-Match" in response.json()["detail"]
    assert Resource.objects.get(pk=occitan.pk).title == occitan.title


def test_with_a_stale_etag_it_is_a_412_listing_what_changed(occitan, as_remi, nadia):
    body, etag = read(as_remi, occitan.key)
    # Meanwhile an administrator's correction, in the back-office.
    other = Resource.objects.get(pk=occitan.pk)
    other.description = "Corrigée entre-temps."
    other._history_user = nadia
    other.save()

    response = put(as_remi, occitan.key, {**body, "title": "Titre de Rémi"}, etag)

    assert response.status_code == 412
    conflict = response.json()
    assert conflict["current_revision"] == other.revision
    assert conflict["etag"] == response["ETag"]
    assert conflict["etag"].startswith(f'"r{other.revision}-')
    assert conflict["changed"] == [
        {"field": "description", "before": occitan.description, "now": "Corrigée entre-temps."}
    ]
    assert conflict["changed_by"] == ["Nadia"]
    stored = Resource.objects.get(pk=occitan.pk)
    assert stored.title == occitan.title and stored.description == "Corrigée entre-temps."


def test_a_conflict_reports_related_fields_by_their_identifiers(occitan, as_remi):
    body, etag = read(as_remi, occitan.key)
    other = Resource.objects.get(pk=occitan.pk)
    other.kind = Kind.objects.get(slug="guide")
    other.save()

    conflict = put(as_remi, occitan.key, body, etag).json()

    assert {"field": "kind", "before": body["kind"], "now": "guide"} in conflict["changed"]


def test_the_save_is_a_compare_and_set_not_a_read_then_write(occitan, as_remi, monkeypatch):
    """Another write lands after every check has passed, just before ours: ours is refused."""
    body, etag = read(as_remi, occitan.key)
    check = permissions.check_resource_write

    def check_then_someone_saves(user, resource):
        check(user, resource)
        other = Resource.objects.get(pk=resource.pk)
        other.title = "Le titre de l’autre"
        other.save()

    monkeypatch.setattr(permissions, "check_resource_write", check_then_someone_saves)

    response = put(as_remi, occitan.key, {**body, "title": "Le titre de Rémi"}, etag)

    assert response.status_code == 412
    assert {"field": "title", "before": occitan.title, "now": "Le titre de l’autre"} in (
        response.json()["changed"]
    )
    assert Resource.objects.get(pk=occitan.pk).title == "Le titre de l’autre"


def test_a_weak_or_listed_etag_of_the_current_revision_is_accepted(occitan, as_remi):
    body, etag = read(as_remi, occitan.key)

    response = put(as_remi, occitan.key, body, f'"r999-0", W/{etag}')

    assert response.status_code == 200


@pytest.mark.parametrize(
    "who, region, status",
    [
        ("as_chloe", "OCC", 403),  # Bretagne may not touch Occitanie
        ("as_nadia", "OCC", 403),  # nor may the national editor
        ("as_remi", None, 403),  # Rémi may not make it national
        ("as_remi", "BRE", 403),  # nor move it to Bretagne
    ],
)
def test_it_refuses_a_write_out_of_the_editors_reach(request, occitan, who, region, status):
    client = request.getfixturevalue(who)
    body, etag = read(client, occitan.key)

    response = put(client, occitan.key, {**body, "region": region, "title": "Pris"}, etag)

    assert response.status_code == status
    assert Resource.objects.get(pk=occitan.pk).title == occitan.title


def test_a_regional_editor_cannot_touch_a_national_resource(segur, as_remi):
    body, etag = read(as_remi, "hop-dpi-dsr-va1")

    response = put(as_remi, "hop-dpi-dsr-va1", {**body, "region": "OCC"}, etag)

    assert response.status_code == 403


def test_an_unknown_key_is_a_404(segur, as_nadia):
    body, etag = read(as_nadia, "hop-dpi-dsr-va1")

    response = put(as_nadia, "nulle-part", body, etag)

    assert response.status_code == 404


def test_it_replaces_the_placements_keeping_the_order_of_those_kept(segur, as_nadia):
    body, etag = read(as_nadia, "hop-dpi-dsr-va1")
    resource = Resource.objects.get(key="hop-dpi-dsr-va1")
    kept = resource.placements.get(section__slug="hopital")
    sections = [{"section": "hopital", "group": "Nouveau groupe"}, {"section": "officine"}]

    response = put(as_nadia, resource.key, {**body, "sections": sections}, etag)

    assert response.status_code == 200
    placed = {p.section.slug: p for p in resource.placements.select_related("section")}
    assert set(placed) == {"hopital", "officine"}
    assert placed["hopital"].order == kept.order and placed["hopital"].group == "Nouveau groupe"


def test_archiving_through_the_api_is_news(segur, as_nadia):
    body, etag = read(as_nadia, "hop-dpi-dsr-va1")

    response = put(as_nadia, "hop-dpi-dsr-va1", {**body, "status": "archived"}, etag)

    assert response.status_code == 200
    assert CatalogEvent.objects.filter(
        resource__key="hop-dpi-dsr-va1", kind=CatalogEvent.Kind.ARCHIVED
    ).exists()


def test_a_bad_field_is_a_422_and_nothing_changes(occitan, as_remi):
    body, etag = read(as_remi, occitan.key)

    response = put(as_remi, occitan.key, {**body, "url": "javascript:alert(1)"}, etag)

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "url"
    assert Resource.objects.get(pk=occitan.pk).revision == occitan.revision


def test_a_412_lists_the_sections_when_only_a_placement_changed(occitan, as_remi, nadia):
    body, etag = read(as_remi, occitan.key)
    # Meanwhile, in the back-office, only a placement's group changed: the
    # resource is saved first (its revision moves), then its placements.
    other = Resource.objects.get(pk=occitan.pk)
    other._history_user = nadia
    other.save()
    placement = other.placements.select_related("section").first()
    placement.group = "Groupe de Nadia"
    placement.save()

    response = put(as_remi, occitan.key, {**body, "title": "Titre de Rémi"}, etag)

    assert response.status_code == 412
    [moved] = response.json()["changed"]
    assert moved["field"] == "sections"
    assert f"{placement.section.slug} (Groupe de Nadia)" in moved["now"]
    assert "Groupe de Nadia" not in moved["before"]
