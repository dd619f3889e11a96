"""Link health: the state of every catalog URL, the checks behind it, the runs.

The link checker owns these tables and writes them with `update()`,
`bulk_update` or `update_fields`; it never saves a catalog row whole (the
one catalog write, accepting a redirect, updates `url` and `changed_at` only).
"""

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.formats import date_format


class Status(models.TextChoices):
    OK = "ok", "accessible"
    REDIRECTED = "redirected", "redirigé"
    BROKEN = "broken", "introuvable"
    SERVER_ERROR = "server_error", "erreur du serveur"
    TIMEOUT = "timeout", "délai dépassé"
    UNREACHABLE = "unreachable", "serveur injoignable"
    TLS_ERROR = "tls_error", "certificat invalide"
    BLOCKED = "blocked", "adresse refusée"
    REDIRECT_ERROR = "redirect_error", "redirections sans fin"
    RESTRICTED = "restricted", "accès restreint"
    SOFT_404 = "soft_404", "page d’erreur"


GOOD = {Status.OK, Status.REDIRECTED}
# Restricted (401, 403) is no failure: the document exists, readers may have access.
FAILING = set(Status) - GOOD - {Status.RESTRICTED}

# What a reader is told, after "Lien signalé indisponible depuis le …".
READER_REASONS = {
    Status.BROKEN: "le document n’existe plus à cette adresse",
    Status.SERVER_ERROR: "le site qui l’héberge répond par une erreur",
    Status.TIMEOUT: "le site qui l’héberge ne répond pas",
    Status.UNREACHABLE: "le site qui l’héberge est injoignable",
    Status.TLS_ERROR: "le certificat de sécurité du site n’est pas valide",
    Status.BLOCKED: "l’adresse n’est pas autorisée",
    Status.REDIRECT_ERROR: "l’adresse renvoie vers elle-même sans fin",
    Status.SOFT_404: "le site affiche une page d’erreur à la place du document",
}

CONFIRMATION_DELAY = timedelta(days=1)
HISTORY_DAYS = 180


def french_date(moment) -> str:
    """25 novembre 2026, in the site's time zone."""
    return date_format(timezone.localtime(moment), "j F Y")


class Link(models.Model):
    """One URL of the catalog (without its #fragment) and what we know of it."""

    url = models.CharField("adresse", max_length=2000, unique=True)
    status = models.CharField("état", max_length=20, choices=Status.choices, blank=True)
    http_status = models.PositiveSmallIntegerField("code HTTP", null=True, blank=True)
    final_url = models.CharField("adresse finale", max_length=2000, blank=True)
    permanent = models.BooleanField("redirection permanente", default=False)
    content_type = models.CharField("type de contenu", max_length=200, blank=True)
    content_length = models.BigIntegerField("taille", null=True, blank=True)
    etag = models.CharField("ETag", max_length=300, blank=True)
    last_modified = models.CharField("Last-Modified", max_length=100, blank=True)
    error = models.CharField("dernière erreur", max_length=500, blank=True)
    first_failure_at = models.DateTimeField("en échec depuis", null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField("échecs consécutifs", default=0)
    last_checked_at = models.DateTimeField("dernière vérification", null=True, blank=True)
    last_ok_at = models.DateTimeField("dernière vérification réussie", null=True, blank=True)
    # Written by editors, never by the checker: "we know, leave it off the to-do list".
    known_until = models.DateField("problème connu jusqu’au", null=True, blank=True)
    known_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["url"]
        # The editors' dashboard looks for the few links in trouble among all of them.
        indexes = [
            models.Index(fields=["status"], name="linkcheck_link_status_idx"),
            models.Index(fields=["last_ok_at"], name="linkcheck_link_last_ok_idx"),
        ]
        verbose_name = "lien"
        verbose_name_plural = "liens"

    def __str__(self) -> str:
        return self.url

    @property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "").removeprefix("www.")

    def is_failing(self) -> bool:
        return self.status in FAILING

    def is_confirmed_broken(self) -> bool:
        """Failed on two runs at least a day apart, and on every run since."""
        return (
            self.is_failing()
            and self.consecutive_failures >= 2
            and self.first_failure_at is not None
            and self.last_checked_at is not None
            and self.last_checked_at - self.first_failure_at >= CONFIRMATION_DELAY
        )

    def is_known(self, today=None) -> bool:
        """An editor marked the problem known, until a day not yet past."""
        return self.known_until is not None and self.known_until >= (today or timezone.localdate())

    def mark_known(self, until, user) -> None:
        """Leave the problem off the editors' to-do list until `until` (a date)."""
        self.known_until, self.known_by = until, user
        Link.objects.filter(pk=self.pk).update(known_until=until, known_by=user)

    def has_moved(self) -> bool:
        """Permanently redirected to an address that answers."""
        return self.status == Status.REDIRECTED and self.permanent and bool(self.final_url)

    def reader_reason(self) -> str:
        return READER_REASONS.get(self.status, "")

    def reader_view(self) -> tuple:
        """Everything of this link a public page shows; a change means new pages."""
        # Dates, not formatted text: this runs twice per link and per run.
        verified = timezone.localdate(self.last_ok_at) if self.last_ok_at else None
        moved_to = self.final_url if self.has_moved() else ""
        broken = self.is_confirmed_broken()
        return (broken, moved_to, verified, self.content_length, self.content_type)

    def apply(self, outcome, now) -> bool:
        """Take in one check (a services.Outcome); True if readers would see a change."""
        before = self.reader_view() if self.pk else None
        self.status, self.http_status = outcome.status, outcome.http_status
        self.final_url, self.permanent = outcome.final_url[:2000], outcome.permanent
        self.error, self.last_checked_at = outcome.error[:500], now
        if self.status in FAILING:
            if not self.consecutive_failures:
                self.first_failure_at = now
            self.consecutive_failures += 1
        else:
            self.first_failure_at, self.consecutive_failures = None, 0
        if self.status in GOOD:
            self.last_ok_at = now
            if not outcome.not_modified:  # a 304 says nothing new about the body
                self.content_type = outcome.content_type[:200]
                self.content_length = outcome.content_length
                self.etag = outcome.etag[:300]
                self.last_modified = outcome.last_modified[:100]
        return before is None or before != self.reader_view()


class Run(models.Model):
    class Outcome(models.TextChoices):
        RUNNING = "running", "en cours"
        DONE = "done", "terminée"
        NETWORK_DOWN = "network_down", "réseau indisponible"
        FAILED = "failed", "interrompue"

    started_at = models.DateTimeField("début", default=timezone.now)
    finished_at = models.DateTimeField("fin", null=True, blank=True)
    outcome = models.CharField(
        "issue", max_length=20, choices=Outcome.choices, default=Outcome.RUNNING
    )
    scope = models.CharField("périmètre", max_length=100, blank=True)
    url_count = models.PositiveIntegerField("adresses", default=0)
    counts = models.JSONField("par état", default=dict, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = "vérification"
        verbose_name_plural = "vérifications"

    def __str__(self) -> str:
        return f"{french_date(self.started_at)} ({self.get_outcome_display()})"

    def finish(self, outcome: str, counts: dict[str, int]) -> None:
        self.outcome, self.counts, self.finished_at = outcome, counts, timezone.now()
        self.save(update_fields=["outcome", "counts", "finished_at"])


class Check(models.Model):
    """One check of one link, kept HISTORY_DAYS days."""

    link = models.ForeignKey(Link, on_delete=models.CASCADE, related_name="checks")
    run = models.ForeignKey(Run, null=True, blank=True, on_delete=models.SET_NULL)
    checked_at = models.DateTimeField("date", default=timezone.now)
    status = models.CharField("état", max_length=20, choices=Status.choices)
    http_status = models.PositiveSmallIntegerField("code HTTP", null=True, blank=True)
    final_url = models.CharField("adresse finale", max_length=2000, blank=True)
    error = models.CharField("erreur", max_length=500, blank=True)
    elapsed_ms = models.PositiveIntegerField("durée (ms)", default=0)

    class Meta:
        ordering = ["-checked_at"]
        indexes = [models.Index(fields=["link", "checked_at"])]
        verbose_name = "contrôle"
        verbose_name_plural = "contrôles"

    def __str__(self) -> str:
        return f"{self.link_id} {self.status} {self.checked_at:%Y-%m-%d %H:%M}"

    @classmethod
    def prune(cls, now=None) -> int:
        cutoff = (now or timezone.now()) - timedelta(days=HISTORY_DAYS)
        return cls.objects.filter(checked_at__lt=cutoff).delete()[0]


class RunLock(models.Model):
    """One row: the run that holds the right to check, until `expires_at`.

    Claimed by a compare-and-set UPDATE, so two `check-links` started at once
    (cron on two machines) cannot both run: one UPDATE matches, the other
    matches nothing. The running check renews it every third of
    `SOMMAIRE_LINKCHECK_LOCK_SECONDS`; a crashed run's claim lapses then, and
    the run that takes the lock records the crashed one as interrupted.
    """

    run = models.ForeignKey(Run, null=True, blank=True, on_delete=models.SET_NULL)
    expires_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"verrou ({self.run_id or 'libre'})"

    @staticmethod
    def ttl() -> timedelta:
        return timedelta(seconds=settings.LINKCHECK_LOCK_SECONDS)

    @classmethod
    def claim(cls, run: Run) -> bool:
        now = timezone.now()
        try:
            with transaction.atomic():
                lock, _ = cls.objects.get_or_create(pk=1)
        except IntegrityError:  # created by the other process in between
            lock = cls.objects.get(pk=1)
        free = models.Q(run__isnull=True) | models.Q(expires_at__lt=now)
        won = cls.objects.filter(free, pk=1).update(run=run, expires_at=now + cls.ttl())
        if won and lock.run_id:
            # Its lock lapsed while it was still "running": it died on the way.
            Run.objects.filter(pk=lock.run_id, outcome=Run.Outcome.RUNNING).update(
                outcome=Run.Outcome.FAILED, finished_at=now
            )
        return bool(won)

    @classmethod
    def renew(cls, run: Run) -> bool:
        """Keep the lock while the run goes on; False if it was lost."""
        expires = timezone.now() + cls.ttl()
        return bool(cls.objects.filter(pk=1, run=run).update(expires_at=expires))

    @classmethod
    def release(cls, run: Run) -> None:
        cls.objects.filter(pk=1, run=run).update(run=None, expires_at=None)


class RedirectAcceptance(models.Model):
    """An editor replaced a resource's URL by the address it permanently moved to."""

    resource = models.ForeignKey(
        "catalog.Resource", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    old_url = models.CharField("ancienne adresse", max_length=2000)
    new_url = models.CharField("nouvelle adresse", max_length=2000)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField("date", default=timezone.now)

    class Meta:
        ordering = ["-accepted_at"]
        verbose_name = "redirection acceptée"
        verbose_name_plural = "redirections acceptées"

    def __str__(self) -> str:
        return f"{self.old_url} → {self.new_url}"


class LinkReport(models.Model):
    """A reader's "Signaler un lien cassé": no account, an optional comment.

    `reporter` is a keyed hash of the reader's address, kept only to throttle
    (services.report_broken_link); the address itself is never stored.
    """

    resource = models.ForeignKey(
        "catalog.Resource",
        verbose_name="ressource",
        on_delete=models.CASCADE,
        related_name="link_reports",
    )
    url = models.CharField("adresse signalée", max_length=2000)
    comment = models.CharField("commentaire", max_length=500, blank=True)
    reporter = models.CharField("lecteur (empreinte)", max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField("signalé le", default=timezone.now, db_index=True)
    status_after = models.CharField(
        "état à la vérification immédiate", max_length=20, choices=Status.choices, blank=True
    )
    closed_at = models.DateTimeField("traité le", null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "signalement de lien"
        verbose_name_plural = "signalements de liens"

    def __str__(self) -> str:
        return f"{self.url} ({french_date(self.created_at)})"

    def is_open(self) -> bool:
        return self.closed_at is None

    def close(self, now=None) -> None:
        self.closed_at = now or timezone.now()
        self.save(update_fields=["closed_at"])
