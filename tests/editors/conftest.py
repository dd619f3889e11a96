"""The back-office's people: those of tests/personas.py, and an anonymous reader."""

import pytest


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # The real hasher costs a second per sign-in; the rules are the same.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def personas(nadia, remi, chloe, administrator):
    return {
        "nadia": nadia,
        "remi": remi,
        "chloe": chloe,
        "admin": administrator,
        "anonymous": None,
    }
