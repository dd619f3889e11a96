"""Sources (official pages to watch), their snapshots, and the candidates they yield.

A Source belongs to the watcher's job: editors declare it (pack, command,
back-office), the watcher writes only its state columns, with `.update()`,
never the whole row. A Candidate is one proposed change to the catalog (a new
document, a new version of a known one, a known one gone from its page); its
URL is unique per change, so a document seen on two pages is one candidate
and a dismissed one is never proposed again.
"""

import zlib
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from sommaire.catalog.models import (
    Format,
    HttpsURLField,
    Kind,
    Publisher,
    Region,
    Resource,
    Section,
    SoftwareProfile,
    Wave,
)
from sommaire.catalog.validation import CleanText


def default_interval() -> timedelta:
    return timedelta(minutes=settings.WATCH_INTERVAL_MINUTES)


class SourceQuerySet(models.QuerySet):
    def due(self, now=None):
        """Never fetched, or fetched longer ago than their interval."""
        now = now or timezone.now()
        return [s for s in self.order_by("pk") if s.is_due(now)]


class Source(CleanText):
    class Status(models.TextChoices):
        NOT_MODIFIED = "not_modified", "inchangée (304)"
        UNCHANGED = "unchanged", "inchangée"
        CHANGED = "changed", "modifiée"
        ERROR = "error", "erreur"

    url = HttpsURLField("adresse", max_length=2000, unique=True)
    section = models.ForeignKey(
        Section, verbose_name="section", on_delete=models.PROTECT, related_name="watch_sources"
    )
    selector = models.CharField(
        "sélecteur CSS",
        max_length=200,
        blank=True,
        help_text="La partie de la page qui compte ; par défaut main, sinon le corps "
        "de la page sans en-tête, navigation ni pied de page.",
    )
    region = models.ForeignKey(
        Region,
        verbose_name="région",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text="Vide pour une page nationale ; sinon la région de ses candidats.",
    )
    interval = models.DurationField("intervalle", default=default_interval)
    # State of the last fetch: written by the watcher only.
    etag = models.CharField(max_length=300, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    good_link_count = models.PositiveIntegerField(null=True, editable=False)
    checked_at = models.DateTimeField("vérifiée le", null=True, editable=False)
    changed_at = models.DateTimeField("modifiée le", null=True, editable=False)
    status = models.CharField("état", max_length=20, choices=Status.choices, blank=True)
    error = models.CharField("erreur", max_length=500, blank=True, editable=False)
    claimed_until = models.DateTimeField(null=True, editable=False)
    added_at = models.DateTimeField("ajoutée le", default=timezone.now, editable=False)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["section__order", "url"]
        verbose_name = "page surveillée"
        verbose_name_plural = "pages surveillées"

    def __str__(self) -> str:
        return self.url

    def is_due(self, now) -> bool:
        return self.checked_at is None or self.checked_at + self.interval <= now

    def claim(self, lease: timedelta) -> bool:
        """Take this source for one run; False when another run holds it.

        A compare-and-set on `claimed_until`: of two runs started together,
        exactly one updates the row, so a page is never processed twice.
        A run that dies leaves the claim to expire after `lease`.
        """
        now = timezone.now()
        free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
        return bool(Source.objects.filter(free, pk=self.pk).update(claimed_until=now + lease))

    def release(self) -> None:
        Source.objects.filter(pk=self.pk).update(claimed_until=None)

    def record(self, **state) -> None:
        """Write watcher state columns only, leaving what editors set alone."""
        Source.objects.filter(pk=self.pk).update(**state)
        for name, value in state.items():
            setattr(self, name, value)

    def last_good_snapshot(self) -> "Snapshot | None":
        return self.snapshots.filter(plausible=True).order_by("-taken_at", "-pk").first()


class Snapshot(models.Model):
    """What a source page said at one moment: its body (compressed) and its publications."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="snapshots")
    taken_at = models.DateTimeField(default=timezone.now)
    content_hash = models.CharField(max_length=64)
    body = models.BinaryField()
    links = models.JSONField(default=list)  # [[url, text], ...] publications only
    plausible = models.BooleanField(default=True)

    class Meta:
        ordering = ["-taken_at", "-pk"]
        verbose_name = "instantané"
        verbose_name_plural = "instantanés"

    def __str__(self) -> str:
        return f"{self.source} ({self.taken_at:%Y-%m-%d %H:%M})"

    @classmethod
    def keep(cls, source: Source, body: bytes, content_hash: str, links, plausible: bool):
        return cls.objects.create(
            source=source,
            content_hash=content_hash,
            body=zlib.compress(body, 6),
            links=[[link.url, link.text] for link in links],
            plausible=plausible,
        )

    def html(self) -> bytes:
        return zlib.decompress(bytes(self.body))

    def link_urls(self) -> set[str]:
        return {url for url, _ in self.links}

    @classmethod
    def prune(cls, source: Source, keep: int) -> None:
        """Keep the last `keep` snapshots, and always the last plausible one."""
        recent = list(
            cls.objects.filter(source=source)
            .order_by("-taken_at", "-pk")
            .values_list("pk", flat=True)[:keep]
        )
        good = source.last_good_snapshot()
        if good is not None:
            recent.append(good.pk)
        cls.objects.filter(source=source).exclude(pk__in=recent).delete()


class CandidateQuerySet(models.QuerySet):
    def open(self, now=None):
        """Waiting for a decision: open, or snoozed until a moment now past."""
        now = now or timezone.now()
        return self.filter(
            Q(status=Candidate.Status.OPEN)
            | Q(status=Candidate.Status.SNOOZED, snoozed_until__lte=now)
        )

    def described(self):
        return self.select_related(
            "kind",
            "format",
            "profile",
            "wave",
            "publisher",
            "predecessor",
            "resource",
            "section",
            "source",
            "region",
        )


class Candidate(CleanText):
    class Change(models.TextChoices):
        NEW = "new", "nouveau document"
        VERSION = "version", "nouvelle version"
        REMOVED = "removed", "retiré de sa page"

    class Status(models.TextChoices):
        OPEN = "open", "à examiner"
        SNOOZED = "snoozed", "reporté"
        ACCEPTED = "accepted", "accepté"
        DISMISSED = "dismissed", "écarté"

    url = HttpsURLField("adresse", max_length=2000)
    change = models.CharField("changement", max_length=10, choices=Change.choices)
    status = models.CharField(
        "statut", max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    title = models.CharField("titre proposé", max_length=300)
    link_text = models.CharField("texte du lien", max_length=500, blank=True)
    kind = models.ForeignKey(
        Kind, verbose_name="type", null=True, blank=True, on_delete=models.SET_NULL
    )
    format = models.ForeignKey(
        Format, verbose_name="format", null=True, blank=True, on_delete=models.SET_NULL
    )
    profile = models.ForeignKey(
        SoftwareProfile,
        verbose_name="profil logiciel",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    wave = models.ForeignKey(
        Wave, verbose_name="vague", null=True, blank=True, on_delete=models.SET_NULL
    )
    publisher = models.ForeignKey(
        Publisher, verbose_name="éditeur", null=True, blank=True, on_delete=models.SET_NULL
    )
    version = models.CharField("version", max_length=40, blank=True)
    section = models.ForeignKey(Section, verbose_name="section", on_delete=models.PROTECT)
    region = models.ForeignKey(
        Region, verbose_name="région", null=True, blank=True, on_delete=models.PROTECT
    )
    source = models.ForeignKey(
        Source, verbose_name="page", null=True, on_delete=models.SET_NULL, related_name="candidates"
    )
    predecessor = models.ForeignKey(
        Resource,
        verbose_name="version précédente",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="successor_candidates",
    )
    resource = models.ForeignKey(
        Resource,
        verbose_name="ressource",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="candidates",
        help_text="La ressource créée (nouveau document) ou retirée de sa page.",
    )
    first_seen = models.DateTimeField("vu le", default=timezone.now)
    last_seen = models.DateTimeField("vu pour la dernière fois le", default=timezone.now)
    snoozed_until = models.DateTimeField("reporté jusqu’au", null=True, blank=True)
    decided_at = models.DateTimeField("décidé le", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField("motif", max_length=500, blank=True)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        ordering = ["-first_seen", "-pk"]
        # The review queue reads a page in this order out of thousands of open candidates.
        indexes = [models.Index(fields=["first_seen", "id"], name="watch_candidate_seen_idx")]
        constraints = [
            # A document is proposed once (new or new version), and its
            # disappearance once: two sources, two runs, one candidate.
            models.UniqueConstraint(
                fields=["url"], condition=~Q(change="removed"), name="one_candidate_per_document"
            ),
            models.UniqueConstraint(
                fields=["url"], condition=Q(change="removed"), name="one_removal_per_document"
            ),
        ]
        verbose_name = "candidat"
        verbose_name_plural = "candidats"

    def __str__(self) -> str:
        return self.title

    @classmethod
    def propose(cls, url: str, change: str, **values) -> tuple["Candidate", bool]:
        """The candidate for this document and change, created if new; never reopened."""
        removal = Q(change=cls.Change.REMOVED)
        same = cls.objects.filter(removal if change == cls.Change.REMOVED else ~removal, url=url)
        existing = same.first()
        if existing is None:
            try:
                with transaction.atomic():
                    return cls.objects.create(url=url, change=change, **values), True
            except IntegrityError:
                # Another run proposed it between our read and our write.
                existing = same.get()
        existing.last_seen = timezone.now()
        existing.save(update_fields=["last_seen"])
        return existing, False

    def as_dict(self) -> dict:
        """The fields of `sommaire candidates --format json`."""
        return {
            "url": self.url,
            "title": self.title,
            "kind": self.kind.slug if self.kind else None,
            "version": self.version,
            "predecessor": self.predecessor.url if self.predecessor else None,
            "section": self.section.slug,
            "source": self.source.url if self.source else None,
            "first_seen": self.first_seen.isoformat(),
            "change": self.change,
        }

    COMPARED = ("title", "version", "url", "kind", "format", "profile", "wave", "publisher")

    def differences(self) -> list[tuple[str, str, str]]:
        """For a new version: (label, predecessor's value, proposed value) of what differs."""
        old = self.predecessor
        if old is None:
            return []
        rows = []
        for name in self.COMPARED:
            before, after = getattr(old, name), getattr(self, name)
            if after in (None, "") or before == after:
                continue
            label = str(Candidate._meta.get_field(name).verbose_name).removesuffix(" proposé")
            rows.append((label, str(before or "—"), str(after)))
        return rows

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        if self.status == self.Status.SNOOZED:
            return self.snoozed_until is not None and self.snoozed_until <= now
        return self.status == self.Status.OPEN

    def dismiss(self, user=None, reason: str = "") -> None:
        """Never propose this document (or this removal) again; `reason` says why."""
        self.reason = reason
        self._decide(self.Status.DISMISSED, user, "reason")

    def snooze(self, days: int = 7, user=None, until=None) -> None:
        """Out of the queue until `until` (a moment), or for `days` days."""
        self.snoozed_until = until or timezone.now() + timedelta(days=days)
        self._decide(self.Status.SNOOZED, user, "snoozed_until")

    def _decide(self, status: str, user, *fields: str) -> None:
        self.status, self.decided_at, self.decided_by = status, timezone.now(), user
        self.save(update_fields=["status", "decided_at", "decided_by", *fields])

    def suggested_key(self) -> str:
        """A resource key: the predecessor's with the version swapped, else from the title."""
        old = self.predecessor
        if old and old.version and self.version and old.key.endswith(slugify(old.version)):
            key = old.key[: -len(slugify(old.version))] + slugify(self.version)
        else:
            key = slugify(self.title)[:90] or "document"
        base, n = key, 2
        while Resource.objects.filter(key=key).exists():
            key, n = f"{base[:90]}-{n}", n + 1
        return key

    def touched(self) -> Resource | None:
        """The resource of the catalog that deciding on this candidate changes.

        A new version archives its predecessor and takes its places; a
        removal archives the resource gone from its page. A new document
        touches nothing that exists yet.
        """
        if self.change == self.Change.VERSION:
            return self.predecessor
        if self.change == self.Change.REMOVED:
            return self.resource
        return None

    def scope_region_id(self) -> int | None:
        """The region whose editors decide: the touched resource's, else the page's."""
        touched = self.touched()
        return touched.region_id if touched is not None else self.region_id
