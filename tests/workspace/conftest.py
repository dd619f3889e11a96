"""The workspace's people (tests/personas.py) and a client signed in as each."""

import pytest
from django.test import Client
from selectolax.lexbor import LexborHTMLParser

# The catalog without real addresses, and a fetcher allowed to reach 127.0.0.0/8.
from tests.linkcheck.conftest import catalog, local_fetch  # noqa: F401  (shared fixtures)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # The real hasher costs a second per sign-in; the rules are the same.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def personas(nadia, remi, chloe, administrator):
    """Every role: administrator, national, regional of Occitanie and of Bretagne, reader."""
    return {"admin": administrator, "nadia": nadia, "remi": remi, "chloe": chloe, "anonymous": None}


def signed_in(user) -> Client:
    """A browser signed in as `user` (None: an anonymous reader)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def html(response) -> LexborHTMLParser:
    """The page as a browser parses it (CSS selectors: `.css`, `.css_first`)."""
    return LexborHTMLParser(response.content)


@pytest.fixture
def occitan_resource(remi):
    """A resource of the INS section that belongs to Occitanie, Rémi's region."""
    from sommaire.catalog.models import Region, Resource

    resource = Resource.objects.filter(region=None, placements__section__slug="ins").first()
    resource.region = Region.objects.get(code="OCC")
    resource.save()
    return Resource.objects.get(pk=resource.pk)
