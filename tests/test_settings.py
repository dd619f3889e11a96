"""Settings are read strictly from the environment; production passes check --deploy."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from sommaire.env import env_bool, env_int, env_list
from tests.conftest import ROOT


def test_a_boolean_accepts_french_and_english_words(monkeypatch):
    monkeypatch.setenv("SOMMAIRE_X", "oui")
    assert env_bool("SOMMAIRE_X", False) is True
    monkeypatch.setenv("SOMMAIRE_X", "Off")
    assert env_bool("SOMMAIRE_X", True) is False


def test_a_bad_boolean_names_the_variable_and_the_accepted_words(monkeypatch):
    monkeypatch.setenv("SOMMAIRE_X", "peut-être")

    with pytest.raises(ImproperlyConfigured, match=r"SOMMAIRE_X='peut-être' is not a boolean"):
        env_bool("SOMMAIRE_X", False)


def test_a_bad_integer_is_refused(monkeypatch):
    monkeypatch.setenv("SOMMAIRE_N", "dix")
    with pytest.raises(ImproperlyConfigured, match="SOMMAIRE_N='dix' is not a whole number"):
        env_int("SOMMAIRE_N", 1)
    monkeypatch.setenv("SOMMAIRE_N", "-3")
    with pytest.raises(ImproperlyConfigured, match="the minimum is 0"):
        env_int("SOMMAIRE_N", 1, minimum=0)


def test_an_empty_variable_means_the_default(monkeypatch):
    monkeypatch.setenv("SOMMAIRE_N", " ")
    assert env_int("SOMMAIRE_N", 7) == 7
    monkeypatch.setenv("SOMMAIRE_L", "a.fr, b.fr,")
    assert env_list("SOMMAIRE_L") == ["a.fr", "b.fr"]


def sommaire(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SOMMAIRE_")}
    environment.pop("DATABASE_URL", None)
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "sommaire", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_production_profile_passes_the_deployment_check(tmp_path):
    result = sommaire(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SOMMAIRE_HTTPS="true",
        SECRET_KEY="k" * 20 + "-Zq8#p2Lx!w4Rt7Yv9Bn3Mc6Df1Gh5Jk0Ls",
        SOMMAIRE_ALLOWED_HOSTS="sommaire.sante.gouv.fr",
        SOMMAIRE_VAR_DIR=str(tmp_path),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_development_defaults_are_refused_by_the_deployment_check(tmp_path):
    result = sommaire(
        "check", "--deploy", "--fail-level", "WARNING", SOMMAIRE_VAR_DIR=str(tmp_path)
    )

    assert result.returncode != 0
    assert "security.W004" in result.stderr  # no HSTS without the HTTPS profile


def test_a_secret_key_is_generated_once_and_kept(tmp_path):
    sommaire("check", SOMMAIRE_VAR_DIR=str(tmp_path))
    key = (tmp_path / "secret_key").read_text()

    sommaire("check", SOMMAIRE_VAR_DIR=str(tmp_path))

    assert len(key) >= 50
    assert (tmp_path / "secret_key").read_text() == key
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"


def test_a_typo_in_a_boolean_stops_the_start_with_a_clear_message(tmp_path):
    result = sommaire("check", SOMMAIRE_DEBUG="vrais", SOMMAIRE_VAR_DIR=str(tmp_path))

    assert result.returncode != 0
    assert "SOMMAIRE_DEBUG='vrais' is not a boolean" in result.stderr
