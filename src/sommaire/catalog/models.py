"""The domain: sections (a tree), resources placed in them, and the vocabularies
that describe resources. Vocabularies are data (kinds, formats, software
profiles, waves), so a new sector or wave is a pack change, not a code change.
"""

from datetime import date, datetime, timedelta
from datetime import time as dt_time
from functools import lru_cache
from typing import ClassVar
from zoneinfo import ZoneInfo

from django.db import models, transaction
from django.urls import get_script_prefix
from django.urls import reverse as _reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from sommaire.catalog.validation import CleanText


def reverse(name: str, args=()) -> str:
    """Django's reverse, remembered: listings ask it for every resource they show."""
    return _reverse_cached(get_script_prefix(), name, tuple(args))


@lru_cache(maxsize=200_000)
def _reverse_cached(prefix: str, name: str, args: tuple) -> str:
    return _reverse(name, args=args)


class EditConflict(Exception):
    """An editor saved a row that someone else changed since the editor opened it."""

    def __init__(self, instance: models.Model, expected: int):
        self.instance = instance
        self.expected = expected
        super().__init__(
            f"{instance._meta.verbose_name} {instance.pk}: revision {expected} is no longer current"
        )


class HttpsURLField(models.URLField):
    """An address whose forms read "www.esante.gouv.fr/x" as https://www.esante.gouv.fr/x.

    Django 5's forms assume http:// for an address typed without a scheme,
    Django 6's https://: every form built from the model (back-office,
    review queue) takes https:// now. Migrations see a plain URLField, as
    the database does: the difference is in forms only.
    """

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})

    def deconstruct(self):
        name, _, args, kwargs = super().deconstruct()
        return name, "django.db.models.URLField", args, kwargs


class Revisioned(models.Model):
    """A row editors change by hand: a revision number guards against lost updates.

    Editors save with `save_edit(expected_revision)`, a compare-and-set: the
    UPDATE ... WHERE revision = expected claims the next revision, so of two
    editors who opened revision 4, exactly one writes revision 5 and the other
    gets `EditConflict`, whatever the timing. Any other save that touches
    editor fields (a pack load, an accepted redirect) moves the revision
    forward too, so an editor's stale form cannot undo it. A job that writes
    only its own columns lists them in `UNVERSIONED_FIELDS` and saves with
    `update_fields`, or uses `.update()`: that is no edit, the revision stays.
    """

    UNVERSIONED_FIELDS: ClassVar[frozenset[str]] = frozenset()

    revision = models.PositiveIntegerField("révision", default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        fields = kwargs.get("update_fields")
        claimed = self.__dict__.pop("_claimed_revision", None)
        with transaction.atomic(using=kwargs.get("using")):
            if self._state.adding:
                pass
            elif claimed is not None:
                self.revision = claimed
            elif fields is None or set(fields) - self.UNVERSIONED_FIELDS - {"revision"}:
                self.revision = self._next_revision()
            else:
                return super().save(*args, **kwargs)
            if fields is not None and not self._state.adding:
                kwargs["update_fields"] = {*fields, "revision"}
            return super().save(*args, **kwargs)

    def save_edit(self, expected_revision: int, **kwargs) -> None:
        """Save an editor's form that was opened at `expected_revision`, or raise EditConflict."""
        if self._state.adding:
            return self.save(**kwargs)
        rows = type(self)._base_manager.filter(pk=self.pk, revision=expected_revision)
        with transaction.atomic():
            if not rows.update(revision=expected_revision + 1):
                raise EditConflict(self, expected_revision)
            self._claimed_revision = expected_revision + 1
            self.save(**kwargs)

    def current_revision(self) -> int | None:
        """The revision in the database now (None once the row is deleted)."""
        rows = type(self)._base_manager.filter(pk=self.pk)
        return rows.values_list("revision", flat=True).first()

    def changes_since(self, revision: int) -> "ConcurrentChanges":
        """What others changed after `revision`, read from the history."""
        return ConcurrentChanges.between(self, revision)

    def _next_revision(self) -> int:
        # An atomic increment inside the caller's transaction: two writers that
        # are not editors (a pack load, a job) never hand out the same number.
        rows = type(self)._base_manager.filter(pk=self.pk)
        rows.update(revision=models.F("revision") + 1)
        return rows.values_list("revision", flat=True).get()


class ConcurrentChanges:
    """The fields changed between the revision an editor saw and the current one."""

    def __init__(self, fields: dict[str, tuple], records: list):
        self.fields = fields  # attname -> (value the editor saw, value now)
        self.records = records  # historical records after the editor's revision

    @classmethod
    def between(cls, instance: Revisioned, revision: int) -> "ConcurrentChanges":
        history = instance.history.filter(revision__gt=revision).select_related("history_user")
        records = list(history.order_by("history_date", "history_id"))
        base = (
            instance.history.filter(revision__lte=revision)
            .order_by("-revision", "-history_date", "-history_id")
            .first()
        )
        current = type(instance)._base_manager.filter(pk=instance.pk).first()
        fields = {}
        if base is not None and current is not None:
            for field in instance._meta.concrete_fields:
                if field.attname in ("revision",) or field.primary_key:
                    continue
                seen, now = getattr(base, field.attname), getattr(current, field.attname)
                if seen != now:
                    fields[field.attname] = (seen, now)
        return cls(fields, records)

    def authors(self) -> list[str]:
        names = []
        for record in self.records:
            user = record.history_user
            name = (user.get_full_name() or user.get_username()) if user else "un traitement"
            if name not in names:
                names.append(name)
        return names

    def last_date(self):
        return self.records[-1].history_date if self.records else None


class Term(CleanText):
    """A controlled vocabulary entry: same shape for kinds, formats, profiles, waves."""

    slug = models.SlugField("identifiant", max_length=60, unique=True)
    label = models.CharField("libellé", max_length=120)
    description = models.CharField("description", max_length=300, blank=True)
    order = models.PositiveIntegerField("ordre", default=0)

    class Meta:
        abstract = True
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.label


class Kind(Term):
    class Meta(Term.Meta):
        verbose_name = "type de document"
        verbose_name_plural = "types de document"


class Format(Term):
    class Meta(Term.Meta):
        verbose_name = "format"
        verbose_name_plural = "formats"

    def is_file(self) -> bool:
        """A downloadable file, as opposed to a web page, a video or an address."""
        return self.slug not in {"page-web", "video", "email"}


class SoftwareProfile(Term):
    class Meta(Term.Meta):
        verbose_name = "profil logiciel"
        verbose_name_plural = "profils logiciels"


class Wave(Term):
    class Meta(Term.Meta):
        verbose_name = "vague"
        verbose_name_plural = "vagues"


class Publisher(CleanText):
    slug = models.SlugField("identifiant", max_length=60, unique=True)
    name = models.CharField("nom", max_length=200)
    short_name = models.CharField("nom court", max_length=60)
    url = HttpsURLField("site", max_length=500, blank=True)
    order = models.PositiveIntegerField("ordre", default=0)

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = "éditeur"
        verbose_name_plural = "éditeurs"

    def __str__(self) -> str:
        return self.short_name


class Region(CleanText):
    code = models.CharField("code", max_length=3, unique=True)
    name = models.CharField("nom", max_length=100)
    insee = models.CharField("code INSEE", max_length=2, unique=True)
    iso = models.CharField("code ISO 3166-2", max_length=6, unique=True)
    order = models.PositiveIntegerField("ordre", default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "région"
        verbose_name_plural = "régions"

    def __str__(self) -> str:
        return self.name

    @classmethod
    def lookup(cls, code: str) -> "Region | None":
        """Find a region by any of its official codes: OCC, 76 or FR-OCC."""
        code = code.strip().upper()
        return cls.objects.filter(
            models.Q(code=code) | models.Q(insee=code) | models.Q(iso=code)
        ).first()


class Section(CleanText, Revisioned):
    slug = models.SlugField("identifiant", max_length=60, unique=True)
    title = models.CharField("titre", max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name="section parente",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    heading = models.CharField("rubrique du sommaire", max_length=120, blank=True)
    intro = models.TextField("introduction", blank=True)
    is_home = models.BooleanField("page d’accueil", default=False)
    is_glossary = models.BooleanField("glossaire", default=False)
    order = models.PositiveIntegerField("ordre", default=0)

    history = HistoricalRecords(verbose_name="historique de section")

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = "section"
        verbose_name_plural = "sections"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        if self.is_home:
            return reverse("public:home")
        if self.is_glossary:
            return reverse("public:glossary")
        return reverse("public:section", args=[self.slug])

    def intro_paragraphs(self) -> list[str]:
        return [p.strip() for p in self.intro.split("\n\n") if p.strip()]


class ResourceQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Resource.Status.ACTIVE)

    def described(self):
        """With everything a listing shows, in a constant number of queries."""
        return self.select_related("kind", "format", "publisher", "profile", "wave", "region")


class Resource(CleanText, Revisioned):
    class Status(models.TextChoices):
        ACTIVE = "active", "en vigueur"
        ARCHIVED = "archived", "archivée"

    key = models.SlugField("clé", max_length=100, unique=True)
    title = models.CharField("titre", max_length=300)
    url = HttpsURLField("adresse", max_length=2000, unique=True)
    kind = models.ForeignKey(Kind, verbose_name="type", on_delete=models.PROTECT)
    format = models.ForeignKey(Format, verbose_name="format", on_delete=models.PROTECT)
    publisher = models.ForeignKey(Publisher, verbose_name="éditeur", on_delete=models.PROTECT)
    profile = models.ForeignKey(
        SoftwareProfile,
        verbose_name="profil logiciel",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    wave = models.ForeignKey(
        Wave, verbose_name="vague", null=True, blank=True, on_delete=models.PROTECT
    )
    version = models.CharField("version", max_length=40, blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name="région",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text="Vide pour une ressource nationale.",
    )
    description = models.TextField("description", blank=True)
    status = models.CharField(
        "statut", max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    added_at = models.DateTimeField("ajoutée le", default=timezone.now)
    changed_at = models.DateTimeField("modifiée le", default=timezone.now)
    sections = models.ManyToManyField(Section, through="Placement", related_name="resources")
    replaces = models.ForeignKey(
        "self",
        verbose_name="remplace",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaced_by",
        help_text="La version précédente de ce document, archivée quand celle-ci l’a remplacée.",
    )

    objects = ResourceQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="historique de ressource")

    class Meta:
        ordering = ["title"]
        verbose_name = "ressource"
        verbose_name_plural = "ressources"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("public:resource", args=[self.key])

    def placements_in_order(self) -> list["Placement"]:
        return sorted(
            self.placements.select_related("section"), key=lambda p: (p.section.order, p.order)
        )

    def primary_placement(self) -> "Placement | None":
        placements = self.placements_in_order()
        return placements[0] if placements else None

    def is_archived(self) -> bool:
        return self.status == self.Status.ARCHIVED

    def successor(self) -> "Resource | None":
        """The resource that replaces this one ("remplacé par"), newest first."""
        return self.replaced_by.order_by("-added_at", "-pk").first()


class Placement(CleanText):
    """A resource standing in a section, under a group, at a position."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="placements")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="placements")
    group = models.CharField("groupe", max_length=200, blank=True)
    order = models.PositiveIntegerField("ordre", default=0)

    history = HistoricalRecords(verbose_name="historique d’emplacement")

    class Meta:
        ordering = ["section__order", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "section"], name="one_placement_per_section"
            )
        ]
        verbose_name = "emplacement"
        verbose_name_plural = "emplacements"

    def __str__(self) -> str:
        return f"{self.resource} → {self.section}"


class GlossaryTerm(CleanText, Revisioned):
    term = models.CharField("sigle", max_length=40, unique=True)
    expansion = models.CharField("forme développée", max_length=300)
    definition = models.TextField("définition", blank=True)
    # The language of the expansion when it is not French ("en" for LOINC, JSON),
    # for the lang attribute screen readers need (RGAA 8.7).
    lang = models.CharField(
        "langue de la forme développée",
        max_length=10,
        blank=True,
        help_text="Vide pour le français ; « en » pour une forme développée en anglais.",
    )
    order = models.PositiveIntegerField("ordre", default=0)

    history = HistoricalRecords(verbose_name="historique du glossaire")

    class Meta:
        ordering = ["order", "term"]
        verbose_name = "terme du glossaire"
        verbose_name_plural = "glossaire"

    def __str__(self) -> str:
        return self.term

    def get_absolute_url(self) -> str:
        return reverse("public:glossary") + "#" + self.anchor

    @property
    def anchor(self) -> str:
        """A stable HTML id: "CI-SIS" -> "terme-ci-sis", "MSSanté" -> "terme-mssante"."""
        return "terme-" + slugify(self.term.replace("_", "-"))

    @property
    def section_slug(self) -> str:
        """The slug of the section this term names, if there is one: "INS" -> "ins"."""
        return slugify(self.term.replace("_", "-"))

    def section(self) -> "Section | None":
        """The published section named after this term (INS, DMP, CI-SIS), or None."""
        return Section.objects.filter(slug=self.section_slug).first()


class ContactQuerySet(models.QuerySet):
    def national(self):
        return self.filter(region__isnull=True)

    def answering(self, sections) -> "ContactQuerySet":
        """National contacts for any of these sections (a section page passes itself
        and its ancestors: a contact of "Documentation par cible" answers for each couloir)."""
        return self.national().filter(sections__in=sections).distinct()


class Contact(CleanText, Revisioned):
    """Who answers a reader's questions: a regional body (ARS, GRADeS) or, with no
    region, a national one (ANS, ASP, DGOS) for the sections it answers for."""

    region = models.ForeignKey(
        Region,
        verbose_name="région",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contacts",
        help_text="Vide pour un contact national.",
    )
    name = models.CharField("nom", max_length=200)
    organisation = models.CharField("organisme", max_length=200, blank=True)
    role = models.CharField("rôle", max_length=200, blank=True)
    questions = models.TextField(
        "questions à lui poser",
        blank=True,
        help_text="Suite de « Pour vos questions sur » : « le dépôt des demandes de paiement… »",
    )
    email = models.EmailField("courriel", blank=True)
    phone = models.CharField("téléphone", max_length=40, blank=True)
    url = HttpsURLField("site", max_length=500, blank=True)
    source = HttpsURLField(
        "source",
        max_length=2000,
        default="",
        help_text="La page publique officielle où ce contact a été trouvé.",
    )
    sections = models.ManyToManyField(
        Section,
        verbose_name="rubriques",
        blank=True,
        related_name="contacts",
        help_text="Pour un contact national : les rubriques sur lesquelles il répond.",
    )
    order = models.PositiveIntegerField("ordre", default=0)

    objects = ContactQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="historique de contact")

    class Meta:
        ordering = ["region__order", "order", "name"]
        verbose_name = "contact"
        verbose_name_plural = "contacts"

    def __str__(self) -> str:
        return f"{self.name} ({self.region or 'national'})"


PARIS = ZoneInfo("Europe/Paris")


def paris_today(now: datetime | None = None) -> date:
    """Today in Europe/Paris, whatever the server's clock zone."""
    return (now or timezone.now()).astimezone(PARIS).date()


class Deadline(CleanText, Revisioned):
    """A date readers must not miss, as an official page states it.

    `time` is empty when the page gives the day only ("clôturé le 14/12/2023"):
    such a deadline lasts the whole day in Paris.
    """

    slug = models.SlugField("identifiant", max_length=100, unique=True)
    section = models.ForeignKey(
        Section, verbose_name="rubrique", on_delete=models.PROTECT, related_name="deadlines"
    )
    wave = models.ForeignKey(
        Wave, verbose_name="vague", on_delete=models.PROTECT, related_name="deadlines"
    )
    label = models.CharField("libellé", max_length=300)
    date = models.DateField("date")
    time = models.TimeField(
        "heure",
        null=True,
        blank=True,
        help_text="Heure de Paris ; vide quand la page officielle ne donne que le jour.",
    )
    source = HttpsURLField(
        "source", max_length=2000, help_text="La page officielle qui donne cette date."
    )
    order = models.PositiveIntegerField("ordre", default=0)
    changed_at = models.DateTimeField("modifiée le", default=timezone.now)

    history = HistoricalRecords(verbose_name="historique d’échéance")

    class Meta:
        ordering = ["date", "order", "slug"]
        verbose_name = "échéance"
        verbose_name_plural = "échéances"

    def __str__(self) -> str:
        return f"{self.label} ({self.date:%d/%m/%Y})"

    def starts_at(self) -> datetime:
        return datetime.combine(self.date, self.time or dt_time(0), PARIS)

    def ends_at(self) -> datetime:
        """The moment it is past: its time, or the end of its day in Paris."""
        if self.time is not None:
            return self.starts_at()
        return datetime.combine(self.date + timedelta(days=1), dt_time(0), PARIS)

    def is_past(self, now: datetime | None = None) -> bool:
        return self.ends_at() <= (now or timezone.now())

    def days_left(self, now: datetime | None = None) -> int:
        return (self.date - paris_today(now)).days

    def when_label(self) -> str:
        """ "15 décembre 2027 à 12 h", "20 septembre 2023 à 12 h 30", or the day alone."""
        day = date_format(self.date, "j F Y")
        if self.time is None:
            return day
        minutes = f" {self.time:%M}" if self.time.minute else ""
        return f"{day} à {self.time.hour} h{minutes}"

    def countdown_label(self, now: datetime | None = None) -> str:
        """How far it is, in days as a reader counts them (Paris dates)."""
        days = self.days_left(now)
        if days <= 0:
            return "aujourd’hui"
        return "demain" if days == 1 else f"dans {days} jours"

    def sort_key(self) -> tuple:
        return (self.ends_at(), self.order, self.slug)


def split_deadlines(deadlines, now: datetime | None = None) -> tuple[list, list]:
    """(coming, soonest first; past, latest first)."""
    now = now or timezone.now()
    ordered = sorted(deadlines, key=Deadline.sort_key)
    coming = [d for d in ordered if not d.is_past(now)]
    past = [d for d in reversed(ordered) if d.is_past(now)]
    return coming, past


class PackInfo(CleanText):
    """The identity of the loaded content pack: its name, title and introduction."""

    name = models.SlugField("identifiant", max_length=60, unique=True)
    title = models.CharField("titre", max_length=200)
    intro = models.TextField("présentation", blank=True)

    class Meta:
        verbose_name = "paquet de contenu"
        verbose_name_plural = "paquets de contenu"

    def __str__(self) -> str:
        return self.title


class CatalogEvent(models.Model):
    """What happened to the published catalog, for "Quoi de neuf" and its feeds.

    Written by the paths that change what readers see (a pack load after the
    first, an accepted candidate, an archive), never derived from dates on the
    rows: an edit to a typo must not look like a new publication.
    """

    class Kind(models.TextChoices):
        ADDED = "added", "ajoutée"
        REPLACED = "replaced", "remplacée"
        ARCHIVED = "archived", "archivée"
        UPDATED = "updated", "mise à jour"

    kind = models.CharField("nature", max_length=10, choices=Kind.choices)
    resource = models.ForeignKey(
        Resource, verbose_name="ressource", on_delete=models.CASCADE, related_name="events"
    )
    previous = models.ForeignKey(
        Resource,
        verbose_name="version précédente",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField("date", default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "événement du catalogue"
        verbose_name_plural = "événements du catalogue"

    def __str__(self) -> str:
        return f"{self.resource} {self.get_kind_display()}"

    @classmethod
    def record(cls, kind: str, resource: Resource, previous: Resource | None = None):
        event = cls.objects.create(kind=kind, resource=resource, previous=previous)
        # The news page and feeds are cached under the generation.
        CatalogState.bump()
        return event


class CatalogState(models.Model):
    """A single row whose generation grows with every catalog change.

    Pages, the PDF edition and the feeds are cached under the generation, so a
    change anywhere invalidates them on every app process at once.
    """

    generation = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "état du catalogue"

    def __str__(self) -> str:
        return f"génération {self.generation}"

    @classmethod
    def current(cls) -> int:
        row = cls.objects.filter(pk=1).values_list("generation", flat=True).first()
        return row or 0

    @classmethod
    def bump(cls) -> None:
        if not cls.objects.filter(pk=1).update(generation=models.F("generation") + 1):
            cls.objects.get_or_create(pk=1, defaults={"generation": 1})
