"""Reader subscriptions (no account) and what was already sent to whom.

A subscription follows a section, a region, a saved search, or any of them
together, or one dossier (the changes of its resources); it receives nothing
until its address is confirmed (double opt-in). `Delivery`, `EditorNotice`,
`DeadlineReminder` and `DossierNotice` remember each item sent to each
person: the uniqueness constraint is what makes `send-digests` idempotent,
even when two runs overlap.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from sommaire.catalog.models import CatalogEvent, Deadline, Region, Section


class Subscription(models.Model):
    class Frequency(models.TextChoices):
        DAILY = "daily", "chaque jour"
        WEEKLY = "weekly", "chaque semaine"

    # A digest is due a little before a whole period has passed, so a job
    # that runs at the same hour each day never skips a day by a minute.
    PERIODS = {"daily": timedelta(hours=23), "weekly": timedelta(days=6, hours=23)}

    email = models.EmailField("adresse électronique")
    section = models.ForeignKey(
        Section, verbose_name="rubrique", null=True, blank=True, on_delete=models.CASCADE
    )
    region = models.ForeignKey(
        Region, verbose_name="région", null=True, blank=True, on_delete=models.CASCADE
    )
    query = models.CharField("recherche enregistrée", max_length=200, blank=True)
    dossier = models.ForeignKey(
        "dossiers.Dossier", verbose_name="dossier", null=True, blank=True, on_delete=models.CASCADE
    )
    frequency = models.CharField(
        "fréquence", max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    created_at = models.DateTimeField("créé le", default=timezone.now)
    confirmed_at = models.DateTimeField("confirmé le", null=True, blank=True)
    confirmation_sent_at = models.DateTimeField("confirmation envoyée le", null=True, blank=True)
    last_sent_at = models.DateTimeField("dernier envoi le", null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "abonnement"
        verbose_name_plural = "abonnements"

    def __str__(self) -> str:
        return f"{self.email} : {self.describe()}"

    def describe(self) -> str:
        """What this subscription follows, in a sentence fragment."""
        if self.dossier:
            return f"les changements des documents du dossier « {self.dossier.title} »"
        parts = []
        if self.section:
            parts.append(f"de la rubrique « {self.section.title} »")
        if self.region:
            parts.append(f"nationales et de la région {self.region.name}")
        if self.query:
            parts.append(f"qui répondent à la recherche « {self.query} »")
        return "les nouveautés " + " ".join(parts) if parts else "toutes les nouveautés"

    def is_due(self, now) -> bool:
        if self.confirmed_at is None:
            return False
        return self.last_sent_at is None or self.last_sent_at + self.PERIODS[self.frequency] <= now


class SubscribeRequest(models.Model):
    """One use of the subscription form: what throttles it, per address and per e-mail.

    Kept for one hour (`WINDOW`): enough to count, not a record of readers.
    """

    WINDOW = timedelta(hours=1)

    email = models.EmailField("adresse électronique", db_index=True)
    ip = models.GenericIPAddressField("adresse IP", null=True, db_index=True)
    mailed = models.BooleanField("confirmation envoyée", default=False)
    at = models.DateTimeField("le", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "demande d’abonnement"
        verbose_name_plural = "demandes d’abonnement"

    def __str__(self) -> str:
        return f"{self.email} depuis {self.ip} le {self.at:%d/%m/%Y %H:%M}"

    @classmethod
    def recent(cls):
        return cls.objects.filter(at__gte=timezone.now() - cls.WINDOW)

    @classmethod
    def address_is_throttled(cls, ip: str | None) -> bool:
        return bool(ip) and cls.recent().filter(ip=ip).count() >= settings.ALERTS_MAX_PER_IP

    @classmethod
    def email_is_throttled(cls, email: str) -> bool:
        mailed = cls.recent().filter(email=email, mailed=True)
        return mailed.count() >= settings.ALERTS_MAX_PER_EMAIL

    @classmethod
    def record(cls, email: str, ip: str | None, mailed: bool) -> None:
        cls.objects.filter(at__lt=timezone.now() - cls.WINDOW).delete()  # keep it small
        cls.objects.create(email=email, ip=ip or None, mailed=mailed)


class Delivery(models.Model):
    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey(CatalogEvent, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscription", "event"], name="one_delivery_per_event")
        ]
        verbose_name = "envoi"
        verbose_name_plural = "envois"

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription.email}"


class EditorNotice(models.Model):
    """A candidate announced to an editor in a digest."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    candidate = models.ForeignKey("watch.Candidate", on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "candidate"], name="one_notice_per_candidate")
        ]
        verbose_name = "candidat signalé"
        verbose_name_plural = "candidats signalés"

    def __str__(self) -> str:
        return f"{self.candidate} → {self.user}"


class DeadlineReminder(models.Model):
    """A reminder sent to a section's subscriber, `days` before one of its deadlines."""

    DAYS_BEFORE = (30, 7)

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="reminders"
    )
    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="+")
    days = models.PositiveSmallIntegerField("jours avant l’échéance")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "deadline", "days"], name="one_reminder_per_step"
            )
        ]
        verbose_name = "rappel d’échéance"
        verbose_name_plural = "rappels d’échéance"

    def __str__(self) -> str:
        return f"{self.deadline} (J-{self.days}) → {self.subscription.email}"

    @classmethod
    def step_for(cls, days_left: int) -> int | None:
        """The reminder due when `days_left` days remain: J-30 from 30 days before,
        J-7 from 7 days before; None further away."""
        due = [days for days in cls.DAYS_BEFORE if days_left <= days]
        return min(due) if due else None


class DossierNotice(models.Model):
    """A change in one of their dossiers (a `dossiers.models.Notice`) told to its owner."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="+")
    key = models.CharField("changement", max_length=60)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dossier", "key"], name="one_notice_per_dossier_change"
            )
        ]
        verbose_name = "changement de dossier signalé"
        verbose_name_plural = "changements de dossier signalés"

    def __str__(self) -> str:
        return f"{self.dossier} {self.key} → {self.user}"
