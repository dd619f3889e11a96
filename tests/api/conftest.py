"""Personas of the API's writes: Nadia (national), Rémi (Occitanie), Chloé (Bretagne),
each with a token, and a client that presents it."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from sommaire.catalog.models import Region
from sommaire.editors.models import ApiToken, Editor

# A document served by a real local site, for the search's passages.
from tests.documents.conftest import local_fetch, published, site, site_server  # noqa: F401


def make_editor(username: str, role: str, *codes: str, first_name: str = ""):
    user = get_user_model().objects.create_user(username, first_name=first_name)
    Editor.appoint(user, role, [Region.objects.get(code=code) for code in codes])
    return get_user_model().objects.get(pk=user.pk)


def bearer(token: str) -> Client:
    """A client that sends `Authorization: Bearer <token>` with every request."""
    return Client(headers={"Authorization": f"Bearer {token}"})


@pytest.fixture
def nadia(segur):
    return make_editor("nadia", "national", first_name="Nadia")


@pytest.fixture
def remi(segur):
    return make_editor("remi", "regional", "OCC", first_name="Rémi")


@pytest.fixture
def chloe(segur):
    return make_editor("chloe", "regional", "BRE", first_name="Chloé")


@pytest.fixture
def as_nadia(nadia) -> Client:
    return bearer(ApiToken.issue(nadia)[1])


@pytest.fixture
def as_remi(remi) -> Client:
    return bearer(ApiToken.issue(remi)[1])


@pytest.fixture
def as_chloe(chloe) -> Client:
    return bearer(ApiToken.issue(chloe)[1])
