"""Personas of the back-office: Nadia (national), Rémi (Occitanie), Chloé (Bretagne),
an administrator, and an anonymous reader."""

import pytest
from django.contrib.auth import get_user_model

from sommaire.catalog.models import Region
from sommaire.editors.models import Editor

PASSWORD = "Une-phrase-de-passe-solide-2026"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # The real hasher costs a second per sign-in; the rules are the same.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_editor(username: str, role: str, *codes: str, first_name: str = ""):
    user = get_user_model().objects.create_user(
        username, f"{username}@sante.gouv.fr", PASSWORD, first_name=first_name
    )
    Editor.appoint(user, role, [Region.objects.get(code=code) for code in codes])
    return get_user_model().objects.get(pk=user.pk)


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
def administrator(segur):
    return make_editor("agnes", "admin", first_name="Agnès")


@pytest.fixture
def personas(nadia, remi, chloe, administrator):
    return {
        "nadia": nadia,
        "remi": remi,
        "chloe": chloe,
        "admin": administrator,
        "anonymous": None,
    }
