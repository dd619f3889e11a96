"""Accounts that may write: one role per person, and the regions of a regional editor.

The role lives on `Editor`, beside Django's user; `sommaire.editors.permissions`
turns it into what a person may change. Django's own permission tables are
not used for the catalog: one rule, in one place, for the back-office, the
API and the commands.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone

from sommaire.catalog.models import Region


class Editor(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", "administrateur"
        NATIONAL = "national", "éditeur national"
        REGIONAL = "regional", "éditeur régional"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="compte",
        on_delete=models.CASCADE,
        related_name="editor",
    )
    role = models.CharField("rôle", max_length=10, choices=Role.choices)
    regions = models.ManyToManyField(
        Region,
        verbose_name="régions",
        blank=True,
        related_name="editors",
        help_text="Pour un éditeur régional : les régions dont il tient les ressources "
        "et les contacts.",
    )

    class Meta:
        ordering = ["user__username"]
        verbose_name = "rôle d’éditeur"
        verbose_name_plural = "rôles d’éditeur"

    def __str__(self) -> str:
        return f"{self.user.get_username()} ({self.get_role_display()})"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.sync_user_flags()

    @classmethod
    def appoint(cls, user, role: str, regions=()) -> "Editor":
        """Give `user` a role; a regional editor needs regions, the others take none."""
        regions = list(regions)
        if role == cls.Role.REGIONAL and not regions:
            raise ValueError("a regional editor needs at least one region")
        if role != cls.Role.REGIONAL and regions:
            raise ValueError(f"the role {role} covers every region: give no region")
        editor, _ = cls.objects.update_or_create(user=user, defaults={"role": role})
        editor.regions.set(regions)
        return editor

    def region_codes(self) -> list[str]:
        return [region.code for region in self.regions.order_by("order", "code")]

    def sync_user_flags(self) -> None:
        """Every editor enters the back-office; only an administrator is a superuser."""
        user = self.user
        staff, superuser = True, self.role == self.Role.ADMIN
        if (user.is_staff, user.is_superuser) != (staff, superuser):
            user.is_staff, user.is_superuser = staff, superuser
            user.save(update_fields=["is_staff", "is_superuser"])

    @staticmethod
    def clear_user_flags(user_id: int) -> None:
        """An account without a role is a reader: out of the back-office, no superuser."""
        get_user_model().objects.filter(pk=user_id).update(is_staff=False, is_superuser=False)


@receiver(post_delete, sender=Editor, dispatch_uid="sommaire-editor-deleted")
def _role_removed(sender, instance: Editor, **kwargs):
    # A signal, not Editor.delete(): a queryset delete (a bulk action) skips
    # the model's method, never the signal.
    Editor.clear_user_flags(instance.user_id)


class LoginFailure(models.Model):
    """One failed sign-in: enough of them in a short while lock a name from one address.

    The lock is on the pair (user name, address), never on the name alone:
    a guesser elsewhere on the internet must not be able to keep an editor
    out. The address alone is throttled too, with a larger allowance, so a
    guesser trying many names slows only themselves.
    """

    username = models.CharField("identifiant", max_length=150, db_index=True)
    # For IPv6, the /64 network (lockout.client_ip): one subscriber holds
    # billions of addresses and would otherwise get a fresh count per guess.
    ip = models.GenericIPAddressField("adresse IP", null=True, db_index=True)
    at = models.DateTimeField("le", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "échec de connexion"
        verbose_name_plural = "échecs de connexion"

    def __str__(self) -> str:
        return f"{self.username} depuis {self.ip} le {self.at:%d/%m/%Y %H:%M}"

    @classmethod
    def window_start(cls):
        return timezone.now() - timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)

    @classmethod
    def _recent(cls, ip: str | None) -> models.QuerySet:
        recent = cls.objects.filter(at__gte=cls.window_start())
        return recent.filter(ip=ip) if ip else recent.filter(ip__isnull=True)

    @classmethod
    def is_locked(cls, username: str, ip: str | None) -> bool:
        recent = cls._recent(ip)
        if username and (
            recent.filter(username=username.casefold()[:150]).count() >= settings.LOGIN_MAX_FAILURES
        ):
            return True
        return bool(ip) and recent.count() >= settings.LOGIN_MAX_FAILURES_PER_IP

    @classmethod
    def record(cls, username: str, ip: str | None) -> None:
        cls.objects.filter(at__lt=cls.window_start()).delete()  # keep the table small
        cls.objects.create(username=username.casefold()[:150], ip=ip or None)

    @classmethod
    def forget(cls, username: str, ip: str | None) -> None:
        """A successful sign-in clears the failures of that name from that address.

        Not those from elsewhere (a guesser's count must not reset when the
        editor signs in), nor the address's other names.
        """
        cls._recent(ip).filter(username=username.casefold()[:150]).delete()


class ApiToken(models.Model):
    """A key to the API's writes, held by one editor; only its digest is stored.

    Shown once, when `sommaire create-token` issues it. A request presents it
    as `Authorization: Bearer som_...` and acts with its holder's role, as the
    holder would in the back-office. Deleting the row revokes it.
    """

    PREFIX = "som_"
    # How often a token's last use is written: not on every request.
    USE_RECORDED_EVERY = timedelta(minutes=5)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="compte",
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField("nom", max_length=100, blank=True, help_text="À quoi il sert.")
    hint = models.CharField("début du jeton", max_length=12, editable=False)
    # Why a plain SHA-256 and not a password hash: the token carries 256
    # random bits, so there is no dictionary to try against a leaked digest,
    # and a slow hash would cost every API request. The digest is looked up
    # through a unique index, never compared in Python.
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("créé le", default=timezone.now)
    expires_at = models.DateTimeField("expire le", null=True, blank=True)
    last_used_at = models.DateTimeField("dernière utilisation", null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "jeton d’API"
        verbose_name_plural = "jetons d’API"

    def __str__(self) -> str:
        return f"{self.hint}… ({self.user.get_username()})"

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def issue(cls, user, name: str = "", days: int | None = None) -> tuple["ApiToken", str]:
        """A new token for `user`: the row, and the token itself (never stored)."""
        raw = cls.PREFIX + secrets.token_urlsafe(32)
        expires = timezone.now() + timedelta(days=days) if days else None
        token = cls.objects.create(
            user=user,
            name=name,
            hint=raw[: len(cls.PREFIX) + 4],
            digest=cls.digest_of(raw),
            expires_at=expires,
        )
        return token, raw

    @classmethod
    def holder(cls, raw: str):
        """The active account a presented token belongs to, or None."""
        if not raw.startswith(cls.PREFIX) or len(raw) > 100:
            return None
        now = timezone.now()
        token = (
            cls.objects.select_related("user")
            .filter(digest=cls.digest_of(raw))
            .exclude(expires_at__lte=now)
            .first()
        )
        if token is None or not token.user.is_active:
            return None
        if token.last_used_at is None or now - token.last_used_at >= cls.USE_RECORDED_EVERY:
            cls.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user
