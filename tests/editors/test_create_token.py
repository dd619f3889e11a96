"""`sommaire create-token USERNAME [--name ...] [--days N] [--format json]`."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from sommaire.editors.models import ApiToken


def create_token(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("create-token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_prints_a_token_once_and_keeps_only_its_digest(remi):
    out, err = create_token("remi", "--name", "script de l’ARS")

    raw = out.strip()
    assert raw.startswith("som_") and "will not be shown again" in err
    token = ApiToken.objects.get(user=remi)
    assert token.name == "script de l’ARS" and token.expires_at is None
    assert token.digest == ApiToken.digest_of(raw) and raw not in token.digest


def test_the_token_opens_the_api_to_its_holder(remi):
    raw = create_token("remi")[0].strip()
    client = Client(headers={"Authorization": f"Bearer {raw}"})

    response = client.put(
        "/api/v1/resources/hop-fiche-pratique", {}, content_type="application/json"
    )

    # Authenticated: refused for the body, not for lack of credentials.
    assert response.status_code == 422


def test_json_output_gives_the_token_and_its_expiry(remi):
    out, _ = create_token("remi", "--days", "90", "--format", "json")

    data = json.loads(out)
    assert data["username"] == "remi" and data["role"] == "regional"
    assert data["token"].startswith("som_") and data["expires_at"]
    assert ApiToken.holder(data["token"]) == remi


def test_each_run_issues_a_new_token(remi):
    first, second = create_token("remi")[0], create_token("remi")[0]

    assert first != second and ApiToken.objects.filter(user=remi).count() == 2


@pytest.mark.parametrize("username", ["personne", "lecteur"])
def test_it_refuses_an_unknown_account_or_one_without_a_role(segur, django_user_model, username):
    django_user_model.objects.create_user("lecteur")

    with pytest.raises(CommandError):
        create_token(username)

    assert not ApiToken.objects.exists()


def test_it_refuses_a_validity_of_zero_days(remi):
    with pytest.raises(CommandError, match="--days"):
        create_token("remi", "--days", "0")
