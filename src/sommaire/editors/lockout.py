"""Sign-in protected against guessing, without letting a guesser lock an editor out.

A few dozen lines of our own rather than django-axes: we need one rule (N
failures in a window, per user name from one address, and more per
address), kept in the database so that every app process sees the same
count, and nothing else. Locking a name from everywhere would let anyone
on the internet keep its editor out by failing five times every quarter of
an hour; locking the pair (name, address) stops the guesser and nobody else.

While locked, even the right password is refused: a guesser learns nothing
from the answer. A success clears the failures of that name from that address.
"""

import ipaddress

from django.conf import settings
from django.contrib.auth import user_logged_in, user_login_failed
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver

from sommaire.editors.models import LoginFailure


def client_ip(request) -> str | None:
    """The address of the person signing in (IPv6: its /64 network).

    Behind `SOMMAIRE_TRUSTED_PROXIES` proxies, REMOTE_ADDR is the last proxy:
    the client is the entry that many places from the end of
    X-Forwarded-For. Entries further left are written by the client itself and
    are never trusted, or a guesser would pick a fresh address per attempt.
    """
    if request is None:
        return None
    proxies = settings.TRUSTED_PROXIES
    if proxies:
        chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        chain = [part for part in chain if part]
        if len(chain) >= proxies:
            return _network_of(chain[-proxies])
    return _network_of(request.META.get("REMOTE_ADDR") or "")


def _network_of(address: str) -> str | None:
    """The address as counted: IPv4 as is, IPv6 by its /64 (one subscriber's network)."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return None
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)


def is_locked(request, username: str) -> bool:
    return LoginFailure.is_locked(username or "", client_ip(request))


class LockoutBackend(ModelBackend):
    """Django's own user and password check, refused outright while locked."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(self.user_model_field())
        if is_locked(request, username or ""):
            # PermissionDenied stops every backend; Django then reports a failure.
            raise PermissionDenied("verrouillé après trop d’échecs")
        return super().authenticate(request, username=username, password=password, **kwargs)

    @staticmethod
    def user_model_field() -> str:
        from django.contrib.auth import get_user_model

        return get_user_model().USERNAME_FIELD


@receiver(user_login_failed, dispatch_uid="sommaire-login-failed")
def _record_failure(sender, credentials, request=None, **kwargs):
    LoginFailure.record(credentials.get("username") or "", client_ip(request))


@receiver(user_logged_in, dispatch_uid="sommaire-login-succeeded")
def _forget_failures(sender, request, user, **kwargs):
    LoginFailure.forget(user.get_username(), client_ip(request))


LOCKED_MESSAGE = (
    "Trop de tentatives de connexion ont échoué. Par sécurité, la connexion est "
    "bloquée pendant {minutes} minutes : réessayez plus tard, ou demandez à un "
    "administrateur de débloquer votre compte."
)


def locked_message() -> str:
    return LOCKED_MESSAGE.format(minutes=settings.LOGIN_LOCKOUT_MINUTES)
