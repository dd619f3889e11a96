"""Sign-in at /gestion/connexion/ is protected against guessing: repeated failures lock
a user name from the address that failed, and an address guessing many names,
for a while; a guesser elsewhere never locks the editor out."""

from datetime import timedelta

import pytest
from django.test import Client

from sommaire.editors.models import LoginFailure
from tests.personas import PASSWORD

LOGIN = "/gestion/connexion/"


def sign_in(username: str, password: str, ip: str = "192.0.2.10", **headers) -> object:
    client = Client(REMOTE_ADDR=ip, **headers)
    response = client.post(LOGIN, {"username": username, "password": password, "next": "/gestion/"})
    response.signed_in = "_auth_user_id" in client.session
    return response


def test_the_right_password_signs_in(remi):
    assert sign_in("remi", PASSWORD).signed_in


def test_five_failures_lock_the_name_even_for_the_right_password(remi, settings):
    assert settings.LOGIN_MAX_FAILURES == 5
    for _ in range(5):
        assert not sign_in("remi", "mauvais-mot-de-passe").signed_in

    response = sign_in("remi", PASSWORD)

    assert not response.signed_in
    assert "Trop de tentatives de connexion ont échoué" in response.content.decode()


def test_four_failures_do_not_lock_and_a_success_clears_them(remi):
    for _ in range(4):
        sign_in("remi", "mauvais-mot-de-passe")

    assert sign_in("remi", PASSWORD).signed_in
    assert not LoginFailure.objects.filter(username="remi").exists()


def test_the_lock_is_on_the_name_whatever_its_case(remi):
    for n in range(5):
        sign_in("REMI" if n % 2 else "remi", "mauvais-mot-de-passe")

    assert not sign_in("remi", PASSWORD).signed_in


def test_a_guesser_elsewhere_never_locks_the_editor_out(remi):
    for _ in range(12):
        sign_in("remi", "mauvais-mot-de-passe", ip="203.0.113.66")

    assert not sign_in("remi", PASSWORD, ip="203.0.113.66").signed_in
    assert sign_in("remi", PASSWORD, ip="198.51.100.7").signed_in


def test_the_editors_success_does_not_reset_the_guessers_count(remi):
    for _ in range(5):
        sign_in("remi", "mauvais-mot-de-passe", ip="203.0.113.66")

    assert sign_in("remi", PASSWORD, ip="198.51.100.7").signed_in
    assert not sign_in("remi", PASSWORD, ip="203.0.113.66").signed_in


def test_a_guesser_spread_over_several_names_slows_only_themselves(remi, chloe, settings):
    settings.LOGIN_MAX_FAILURES_PER_IP = 6
    for name in ("remi", "chloe", "alice"):
        for _ in range(2):
            sign_in(name, "mauvais-mot-de-passe", ip="203.0.113.66")

    assert not sign_in("chloe", PASSWORD, ip="203.0.113.66").signed_in
    assert sign_in("remi", PASSWORD, ip="198.51.100.7").signed_in
    assert sign_in("chloe", PASSWORD, ip="198.51.100.8").signed_in


def test_an_ipv6_guesser_cannot_escape_by_changing_address_within_its_network(remi):
    for n in range(5):
        sign_in("remi", "mauvais-mot-de-passe", ip=f"2001:db8:1:2::{n + 1:x}")

    assert not sign_in("remi", PASSWORD, ip="2001:db8:1:2:ffff::9").signed_in
    assert sign_in("remi", PASSWORD, ip="2001:db8:1:3::1").signed_in


def test_the_lock_ends_when_the_failures_leave_the_window(remi, settings):
    for _ in range(5):
        sign_in("remi", "mauvais-mot-de-passe")
    past = LoginFailure.window_start() - timedelta(seconds=1)
    LoginFailure.objects.update(at=past)

    assert sign_in("remi", PASSWORD).signed_in


def test_one_address_guessing_many_names_is_locked(remi, settings):
    settings.LOGIN_MAX_FAILURES_PER_IP = 3
    for name in ("alice", "bob", "carole"):
        sign_in(name, "mauvais-mot-de-passe", ip="203.0.113.9")

    assert not sign_in("remi", PASSWORD, ip="203.0.113.9").signed_in
    assert sign_in("remi", PASSWORD, ip="203.0.113.10").signed_in


@pytest.mark.parametrize(("proxies", "locked"), [(0, False), (1, True)])
def test_the_forwarded_address_counts_only_behind_a_trusted_proxy(remi, settings, proxies, locked):
    settings.LOGIN_MAX_FAILURES_PER_IP = 2
    settings.TRUSTED_PROXIES = proxies
    for n, name in enumerate(("alice", "bob")):
        sign_in(name, "x", ip=f"10.0.0.{n + 1}", HTTP_X_FORWARDED_FOR="203.0.113.9")

    response = sign_in("remi", PASSWORD, ip="10.0.0.9", HTTP_X_FORWARDED_FOR="203.0.113.9")

    assert response.signed_in is not locked


def test_a_spoofed_forwarded_entry_does_not_escape_the_lock(remi, settings):
    settings.LOGIN_MAX_FAILURES_PER_IP = 2
    settings.TRUSTED_PROXIES = 1
    for n in range(2):
        sign_in(f"x{n}", "x", ip="10.0.0.1", HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, 203.0.113.9")

    response = sign_in("remi", PASSWORD, ip="10.0.0.1", HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.9")

    assert not response.signed_in
