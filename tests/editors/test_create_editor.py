"""`sommaire create-editor USERNAME --role admin|national|regional [--region CODE ...]
--password-stdin`."""

import io
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from sommaire.editors import permissions
from sommaire.editors.models import Editor

STRONG = "Cheval-agrafe-batterie-42"


def create_editor(monkeypatch, *args: str, password: str = STRONG) -> str:
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    out = StringIO()
    call_command("create-editor", *args, "--password-stdin", stdout=out)
    return out.getvalue()


def test_it_creates_a_regional_editor_of_occitanie(segur, monkeypatch):
    out = create_editor(monkeypatch, "remi", "--role", "regional", "--region", "OCC")

    assert out.strip() == "remi: created, éditeur régional (OCC)"
    user = authenticate(username="remi", password=STRONG)
    assert user is not None and user.is_staff and not user.is_superuser
    assert permissions.role_of(user) == "regional"
    assert [r.code for r in user.editor.regions.all()] == ["OCC"]


def test_it_accepts_insee_and_iso_codes_and_several_regions(segur, monkeypatch):
    create_editor(
        monkeypatch, "grades", "--role", "regional", "--region", "53", "--region", "fr-occ"
    )

    assert Editor.objects.get(user__username="grades").region_codes() == ["BRE", "OCC"]


def test_an_administrator_is_a_superuser(segur, monkeypatch):
    create_editor(monkeypatch, "agnes", "--role", "admin")

    assert get_user_model().objects.get(username="agnes").is_superuser


def test_running_it_again_updates_the_role_and_the_password(segur, monkeypatch):
    create_editor(monkeypatch, "remi", "--role", "regional", "--region", "OCC")

    out = create_editor(
        monkeypatch, "remi", "--role", "national", password="Autre-phrase-tres-longue-7"
    )

    assert out.strip() == "remi: updated, éditeur national"
    assert Editor.objects.get(user__username="remi").region_codes() == []
    assert authenticate(username="remi", password="Autre-phrase-tres-longue-7")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "regional"], "a regional editor needs at least one region"),
        (["--role", "national", "--region", "OCC"], "covers every region: give no region"),
        (
            ["--role", "regional", "--region", "XYZ"],
            r"unknown region XYZ: use an official code \(ARA, BFC, BRE",
        ),
    ],
)
def test_it_refuses_a_role_and_regions_that_do_not_fit(segur, monkeypatch, args, message):
    with pytest.raises(CommandError, match=message):
        create_editor(monkeypatch, "remi", *args)

    assert not get_user_model().objects.filter(username="remi").exists()


@pytest.mark.parametrize(
    "weak",
    [
        "court",
        "password1234",
        "qwertyuiop123",
        "12345678901234",
        " " * 16,
        "aaaaaaaaaaaa",
        "Zz" * 8,
        "abc!" * 4,
    ],
)
def test_it_refuses_a_weak_password_and_creates_nothing(segur, monkeypatch, weak):
    with pytest.raises(CommandError, match="password refused"):
        create_editor(monkeypatch, "remi", "--role", "regional", "--region", "OCC", password=weak)

    assert not get_user_model().objects.filter(username="remi").exists()


def test_it_wants_the_password_on_standard_input(segur):
    with pytest.raises(CommandError, match="--password-stdin"):
        call_command("create-editor", "remi", "--role", "admin", stdout=StringIO())


@pytest.mark.parametrize(
    ("weak", "message"),
    [
        (" " * 16, "n’est fait que d’espaces"),
        ("aaaaaaaaaaaaaaaa", "un seul caractère répété \\(« a »\\)"),
        ("abc!abc!abc!abc!", "un motif court répété \\(« abc! »\\)"),
    ],
)
def test_it_says_why_a_password_without_variety_is_refused(segur, monkeypatch, weak, message):
    with pytest.raises(CommandError, match=message):
        create_editor(monkeypatch, "remi", "--role", "national", password=weak)


def test_a_long_phrase_with_a_repeated_word_is_still_accepted(segur, monkeypatch):
    create_editor(monkeypatch, "remi", "--role", "national", password="chat-chat-chien-42")

    assert authenticate(username="remi", password="chat-chat-chien-42")
