"""POST /api/v1/resources: an editor adds a resource within their reach, nothing else."""

import pytest

from sommaire.catalog.models import CatalogEvent, CatalogState, Resource
from tests.api.conftest import bearer

URL = "/api/v1/resources"


def payload(**changes) -> dict:
    body = {
        "key": "webinaire-ins-occitanie",
        "title": "Webinaire INS en Occitanie",
        "url": "https://www.occitanie.ars.sante.fr/webinaire-ins",
        "kind": "webinaire",
        "format": "page-web",
        "publisher": "ans",
        "region": "OCC",
        "description": "Le replay du webinaire régional sur l’INS.",
        "sections": [{"section": "hopital", "group": "Webinaires"}],
    }
    body.update(changes)
    return body


def post(client, **changes):
    return client.post(URL, payload(**changes), content_type="application/json")


def test_a_regional_editor_adds_a_resource_of_their_region(as_remi, remi):
    generation = CatalogState.current()

    response = post(as_remi)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["key"] == "webinaire-ins-occitanie" and body["region"] == "OCC"
    assert body["sections"] == [{"section": "hopital", "group": "Webinaires"}]
    assert body["revision"] == 1 and body["link"] is None
    assert response["Location"].endswith("/api/v1/resources/webinaire-ins-occitanie")
    assert response["ETag"].startswith('"r1-')
    resource = Resource.objects.get(key="webinaire-ins-occitanie")
    assert resource.history.get().history_user == remi
    assert CatalogState.current() > generation
    assert CatalogEvent.objects.filter(resource=resource, kind="added").exists()


def test_the_new_resource_is_found_by_the_search_at_once(as_remi, client):
    post(as_remi, title="Webinaire sur l’identitovigilance régionale")

    found = client.get("/api/v1/search", {"q": "identitovigilance régionale"}).json()

    assert "webinaire-ins-occitanie" in [hit["key"] for hit in found["items"]]


def test_a_national_editor_adds_a_national_resource(as_nadia):
    response = post(as_nadia, region=None)

    assert response.status_code == 201
    assert response.json()["region"] is None


@pytest.mark.parametrize(
    "who, region",
    [
        ("as_remi", None),  # a regional editor: nothing national
        ("as_remi", "BRE"),  # nor another region
        ("as_chloe", "OCC"),
        ("as_nadia", "OCC"),  # a national editor: nothing regional
    ],
)
def test_it_refuses_a_resource_out_of_the_editors_reach(request, who, region):
    response = post(request.getfixturevalue(who), region=region)

    assert response.status_code == 403
    assert "périmètre" in response.json()["detail"] or "région" in response.json()["detail"]
    assert not Resource.objects.filter(key="webinaire-ins-occitanie").exists()


def test_an_anonymous_client_gets_a_401_that_says_how_to_authenticate(segur, client):
    response = post(client)

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "jeton" in response.json()["detail"]
    assert not Resource.objects.filter(key="webinaire-ins-occitanie").exists()


@pytest.mark.parametrize("token", ["som_nimportequoi", "", "Basic bm9u"])
def test_a_bad_token_is_a_401(segur, token):
    response = post(bearer(token))

    assert response.status_code == 401


@pytest.mark.parametrize(
    "changes, field, words",
    [
        ({"url": "javascript:alert(1)"}, "url", "adresse refusée"),
        ({"url": "https://esante.gouv.fr/sites/default/files/a b.pdf"}, "url", "adresse refusée"),
        ({"kind": "roman"}, "kind", "type de document inconnu"),
        ({"region": "XYZ"}, "region", "région inconnue"),
        ({"sections": [{"section": "nulle-part"}]}, "sections", "section inconnue"),
        ({"key": "Clé Accentuée"}, "key", "cle-accentuee"),
        ({"key": "hop-fiche-pratique"}, "key", "déjà prise"),
        ({"title": "   "}, "title", "titre vide"),
    ],
)
def test_a_bad_field_is_a_422_that_names_it_and_says_what_to_fix(as_remi, changes, field, words):
    response = post(as_remi, **changes)

    assert response.status_code == 422
    errors = response.json()["detail"]
    assert [e["loc"][-1] for e in errors] == [field]
    assert words in errors[0]["msg"]


def test_every_bad_field_is_named_at_once(as_remi):
    response = post(as_remi, kind="roman", format="papyrus", url="ftp://x.fr/a")

    assert response.status_code == 422
    assert {e["loc"][-1] for e in response.json()["detail"]} == {"kind", "format", "url"}


def test_a_url_already_in_the_catalog_is_refused(as_nadia):
    taken = Resource.objects.get(key="hop-fiche-pratique")

    response = post(as_nadia, region=None, url=taken.url)

    assert response.status_code == 422
    assert "hop-fiche-pratique" in response.json()["detail"][0]["msg"]


def test_a_missing_field_is_a_422(as_remi):
    body = payload()
    del body["title"]

    response = as_remi.post(URL, body, content_type="application/json")

    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"loc": ["body", "payload", "title"], "msg": "champ obligatoire", "type": "missing"}
    ]


def test_a_value_of_the_wrong_shape_is_named_in_french(as_remi):
    response = post(as_remi, status="perdu", title="x" * 301)

    assert response.status_code == 422
    messages = {e["loc"][-1]: e["msg"] for e in response.json()["detail"]}
    assert messages == {
        "status": "valeur refusée : 'active' ou 'archived'",
        "title": "trop long : 300 caractères au plus",
    }


def test_it_refuses_an_address_on_a_private_network(as_remi):
    response = post(as_remi, url="http://10.20.30.40/intranet/ins.pdf")

    assert response.status_code == 422
    errors = response.json()["detail"]
    assert [e["loc"][-1] for e in errors] == ["url"]
    assert "hôte local, privé ou réservé" in errors[0]["msg"]


def test_text_pasted_with_control_characters_is_stored_as_the_back_office_stores_it(as_remi):
    response = post(
        as_remi,
        title="Webinaire\x0bINS\x1b",
        description="Premier point\x0bSecond point",
        sections=[{"section": "hopital", "group": "Webinaires\u2028régionaux"}],
    )

    assert response.status_code == 201, response.content
    resource = Resource.objects.get(key="webinaire-ins-occitanie")
    assert resource.title == "Webinaire INS"
    assert resource.description == "Premier point\nSecond point\n"
    assert resource.placements.get().group == "Webinaires régionaux"


def test_an_address_whose_host_cannot_be_read_is_a_422_not_a_500(as_remi):
    response = post(as_remi, url="http://[zz]/guide.pdf")

    assert response.status_code == 422
    assert "mal formée" in response.json()["detail"][0]["msg"]
