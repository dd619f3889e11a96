"""The API's writes as the personas of tests/personas.py make them: each with a
token, and a client that presents it."""

import pytest
from django.test import Client

from sommaire.editors.models import ApiToken

# A document served by a real local site, for the search's passages.
from tests.documents.conftest import local_fetch, published, site, site_server  # noqa: F401


def bearer(token: str) -> Client:
    """A client that sends `Authorization: Bearer <token>` with every request."""
    return Client(headers={"Authorization": f"Bearer {token}"})


@pytest.fixture
def as_nadia(nadia) -> Client:
    return bearer(ApiToken.issue(nadia)[1])


@pytest.fixture
def as_remi(remi) -> Client:
    return bearer(ApiToken.issue(remi)[1])


@pytest.fixture
def as_chloe(chloe) -> Client:
    return bearer(ApiToken.issue(chloe)[1])
