"""/api/v1/dossiers: read the published ones, write them as an editor (token, If-Match)."""

import json

import pytest

from sommaire.dossiers.models import Dossier
from tests.dossiers.factories import bretagne_webinar, compose, occitanie_webinar

pytestmark = pytest.mark.django_db
FIELDS = {
    "slug",
    "title",
    "region",
    "audience",
    "visibility",
    "status",
    "items",
    "updated",
    "url",
    "pdf",
}


def body(**fields) -> dict:
    return {
        "title": "Préparer sa demande SONS DUI",
        "audience": "Pour un EHPAD qui prépare sa demande SONS DUI",
        "region": None,
        "visibility": "listed",
        "status": "published",
        "items": [
            {"heading": "Financement", "resource": None},
            {"resource": "ms-dui-af-va1", "note": "À lire en premier."},
        ],
        **fields,
    }


def post(client, data: dict):
    return client.post("/api/v1/dossiers", json.dumps(data), content_type="application/json")


def put(client, slug: str, data: dict, etag: str | None):
    headers = {"If-Match": etag} if etag else {}
    return client.put(
        f"/api/v1/dossiers/{slug}",
        json.dumps(data),
        content_type="application/json",
        headers=headers,
    )


def test_the_listing_holds_published_listed_dossiers_only(client, nadia):
    compose(nadia, "publie")
    compose(nadia, "brouillon", status="draft")
    compose(nadia, "par-lien", visibility="unlisted")
    answer = client.get("/api/v1/dossiers").json()
    assert [d["slug"] for d in answer["items"]] == ["publie"]
    assert answer["count"] == 1


def test_a_dossier_has_exactly_the_contract_fields(client, nadia):
    compose(nadia, "publie")
    answer = client.get("/api/v1/dossiers/publie").json()
    assert set(answer) == FIELDS
    assert answer["items"] == [
        {"resource": None, "note": "", "heading": "Financement"},
        {
            "resource": "ms-dui-af-va1",
            "note": "Le texte de l’appel, à lire en premier.",
            "heading": None,
        },
        {"resource": "ms-dui-rem-va1", "note": "", "heading": None},
    ]
    assert answer["url"].endswith("/dossiers/publie/")
    assert answer["pdf"].endswith("/dossiers/publie.pdf")
    assert answer["region"] is None and answer["status"] == "published"


@pytest.mark.parametrize("fields", [{"status": "draft"}, {"visibility": "unlisted"}])
def test_a_draft_or_unlisted_dossier_is_for_the_editors_of_its_scope(
    fields, client, remi, as_remi, as_chloe, as_nadia
):
    compose(remi, "occ", region="OCC", items=[], **fields)
    assert client.get("/api/v1/dossiers/occ").status_code == 404
    assert as_chloe.get("/api/v1/dossiers/occ").status_code == 404
    assert as_nadia.get("/api/v1/dossiers/occ").status_code == 404
    answer = as_remi.get("/api/v1/dossiers/occ")
    assert answer.status_code == 200
    assert "private" in answer["Cache-Control"] and "public" not in answer["Cache-Control"]
    assert "Authorization" in answer["Vary"]


def test_a_bad_token_on_a_read_is_a_401(client, nadia):
    compose(nadia, "publie")
    answer = client.get("/api/v1/dossiers/publie", headers={"Authorization": "Bearer som_faux"})
    assert answer.status_code == 401


def test_an_editor_creates_a_dossier(as_nadia, nadia):
    answer = post(as_nadia, {**body(), "slug": "ehpad-sons-dui"})
    assert answer.status_code == 201, answer.content
    assert answer["Location"].endswith("/api/v1/dossiers/ehpad-sons-dui")
    assert answer["ETag"].startswith('"r1-')
    dossier = Dossier.objects.get(slug="ehpad-sons-dui")
    assert dossier.owner == nadia
    assert dossier.history.get().history_user == nadia
    assert [i.heading or i.resource.key for i in dossier.items_in_order()] == [
        "Financement",
        "ms-dui-af-va1",
    ]


def test_a_write_without_a_token_is_a_401(client, segur):
    assert post(client, {**body(), "slug": "x"}).status_code == 401


@pytest.mark.parametrize("region", [None, "BRE"])
def test_it_refuses_a_regional_editor_a_dossier_out_of_their_regions(as_remi, region):
    answer = post(as_remi, {**body(region=region), "slug": "hors-champ"})
    assert answer.status_code == 403
    assert not Dossier.objects.filter(slug="hors-champ").exists()


def test_it_refuses_a_resource_of_another_region(as_remi):
    occitanie_webinar()
    webinar = bretagne_webinar()
    items = [{"resource": "webinaire-ins-occ"}, {"resource": webinar.key}]
    answer = post(as_remi, {**body(region="OCC", items=items), "slug": "occ"})
    assert answer.status_code == 422
    (error,) = answer.json()["detail"]
    assert error["loc"] == ["body", "payload", "items", 1, "resource"]
    assert "Bretagne" in error["msg"]


def test_an_unknown_resource_and_a_bad_slug_are_both_reported(as_nadia):
    answer = post(as_nadia, {**body(items=[{"resource": "nulle-part"}]), "slug": "Mon Dossier"})
    assert answer.status_code == 422
    fields = [e["loc"][2:] for e in answer.json()["detail"]]
    assert fields == [["slug"], ["items", 0, "resource"]]


def test_put_needs_the_etag_of_the_revision_it_replaces(client, as_nadia, nadia):
    compose(nadia, "publie")
    assert put(as_nadia, "publie", body(), None).status_code == 428
    etag = client.get("/api/v1/dossiers/publie")["ETag"]
    answer = put(as_nadia, "publie", body(title="Nouveau titre"), etag)
    assert answer.status_code == 200, answer.content
    assert answer.json()["title"] == "Nouveau titre"
    stale = put(as_nadia, "publie", body(title="Encore"), etag)
    assert stale.status_code == 412
    assert stale.json()["changed"] == [
        {"field": "title", "before": "Préparer sa demande SONS DUI", "now": "Nouveau titre"}
    ]
    assert Dossier.objects.get(slug="publie").title == "Nouveau titre"


def test_a_regional_editor_cannot_replace_a_national_dossier(client, nadia, as_remi):
    compose(nadia, "publie")
    etag = client.get("/api/v1/dossiers/publie")["ETag"]
    assert put(as_remi, "publie", body(region="OCC"), etag).status_code == 403
    assert Dossier.objects.get(slug="publie").region is None
