"""Who may write through the API: a token in the Authorization header, or the
back-office session with its CSRF token; and no other site's script, ever."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from sommaire.catalog.models import Resource
from sommaire.editors.models import ApiToken
from tests.api.conftest import bearer
from tests.api.test_resource_create import URL, payload

CSRF_SECRET = "abcdefghijklmnopqrstuvwxyz012345"


def post(client, **headers):
    return client.post(URL, payload(), content_type="application/json", headers=headers)


def created() -> bool:
    return Resource.objects.filter(key="webinaire-ins-occitanie").exists()


def session_of(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_a_signed_in_editor_writes_with_the_csrf_token(remi):
    client = session_of(remi)
    client.cookies["csrftoken"] = CSRF_SECRET

    response = post(client, **{"X-CSRFToken": CSRF_SECRET})

    assert response.status_code == 201
    assert Resource.objects.get(key="webinaire-ins-occitanie").history.get().history_user == remi


def test_a_signed_in_editor_without_the_csrf_token_is_refused(remi):
    client = session_of(remi)
    client.cookies["csrftoken"] = CSRF_SECRET

    response = post(client)

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not created()


def test_a_token_needs_no_csrf_token(remi):
    client = bearer(ApiToken.issue(remi)[1])
    client.handler.enforce_csrf_checks = True

    assert post(client).status_code == 201


def test_a_token_is_never_read_from_a_cookie(remi):
    raw = ApiToken.issue(remi)[1]
    client = Client()
    client.cookies["Authorization"] = f"Bearer {raw}"
    client.cookies["token"] = raw

    response = post(client)

    assert response.status_code == 401
    assert not created()


def test_a_bad_token_is_refused_even_beside_a_valid_session(remi):
    client = Client()
    client.force_login(remi)

    response = post(client, Authorization="Bearer som_faux")

    assert response.status_code == 401
    assert not created()


@pytest.mark.parametrize("how", ["expired", "inactive", "revoked"])
def test_an_expired_revoked_or_inactive_holders_token_is_refused(remi, how):
    token, raw = ApiToken.issue(remi, days=30)
    if how == "expired":
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(1))
    elif how == "inactive":
        remi.is_active = False
        remi.save()
    else:
        token.delete()

    assert post(bearer(raw)).status_code == 401
    assert not created()


def test_a_signed_in_reader_without_a_role_is_forbidden(segur, django_user_model):
    reader = django_user_model.objects.create_user("lecteur")
    client = Client()
    client.force_login(reader)

    response = post(client)

    assert response.status_code == 403
    assert not created()


def test_only_a_digest_of_the_token_is_stored_and_its_use_is_recorded(remi):
    token, raw = ApiToken.issue(remi, name="script de l’ARS")

    post(bearer(raw))

    token.refresh_from_db()
    assert raw.startswith("som_") and len(raw) > 40
    assert raw not in (token.digest, token.hint) and raw.startswith(token.hint)
    assert token.last_used_at is not None


def test_a_write_answer_carries_no_cors_header(as_remi):
    response = post(as_remi, Origin="https://autre-site.example")

    assert response.status_code == 201
    assert "Access-Control-Allow-Origin" not in response


def test_the_preflight_never_allows_a_write_from_another_origin(segur, client):
    response = client.options(
        "/api/v1/resources/hop-fiche-pratique",
        headers={
            "Origin": "https://autre-site.example",
            "Access-Control-Request-Method": "PUT",
            "Access-Control-Request-Headers": "authorization, if-match",
        },
    )

    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "Authorization" not in response["Access-Control-Allow-Headers"]
    assert "If-Match" not in response["Access-Control-Allow-Headers"]
    assert response["Allow"] == "GET, HEAD, OPTIONS, PUT"
