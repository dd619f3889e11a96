"""The domain: sections (a tree), resources placed in them, and the vocabularies
that describe resources. Vocabularies are data (kinds, formats, software
profiles, waves), so a new sector or wave is a pack change, not a code change.
"""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify


class Term(models.Model):
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


class Publisher(models.Model):
    slug = models.SlugField("identifiant", max_length=60, unique=True)
    name = models.CharField("nom", max_length=200)
    short_name = models.CharField("nom court", max_length=60)
    url = models.URLField("site", max_length=500, blank=True)
    order = models.PositiveIntegerField("ordre", default=0)

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = "éditeur"
        verbose_name_plural = "éditeurs"

    def __str__(self) -> str:
        return self.short_name


class Region(models.Model):
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


class Section(models.Model):
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

    def ancestors(self) -> list["Section"]:
        """From the top of the tree down to the parent of this section."""
        chain, node, seen = [], self.parent, {self.pk}
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            chain.append(node)
            node = node.parent
        return list(reversed(chain))

    def intro_paragraphs(self) -> list[str]:
        return [p.strip() for p in self.intro.split("\n\n") if p.strip()]


class ResourceQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Resource.Status.ACTIVE)

    def described(self):
        """With everything a listing shows, in a constant number of queries."""
        return self.select_related("kind", "format", "publisher", "profile", "wave", "region")


class Resource(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "en vigueur"
        ARCHIVED = "archived", "archivée"

    key = models.SlugField("clé", max_length=100, unique=True)
    title = models.CharField("titre", max_length=300)
    url = models.URLField("adresse", max_length=2000, unique=True)
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

    objects = ResourceQuerySet.as_manager()

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


class Placement(models.Model):
    """A resource standing in a section, under a group, at a position."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="placements")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="placements")
    group = models.CharField("groupe", max_length=200, blank=True)
    order = models.PositiveIntegerField("ordre", default=0)

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


class GlossaryTerm(models.Model):
    term = models.CharField("sigle", max_length=40, unique=True)
    expansion = models.CharField("forme développée", max_length=300)
    definition = models.TextField("définition", blank=True)
    order = models.PositiveIntegerField("ordre", default=0)

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


class Contact(models.Model):
    region = models.ForeignKey(
        Region, verbose_name="région", on_delete=models.PROTECT, related_name="contacts"
    )
    name = models.CharField("nom", max_length=200)
    organisation = models.CharField("organisme", max_length=200, blank=True)
    role = models.CharField("rôle", max_length=200, blank=True)
    email = models.EmailField("courriel", blank=True)
    phone = models.CharField("téléphone", max_length=40, blank=True)
    url = models.URLField("site", max_length=500, blank=True)
    order = models.PositiveIntegerField("ordre", default=0)

    class Meta:
        ordering = ["region__order", "order", "name"]
        verbose_name = "contact"
        verbose_name_plural = "contacts"

    def __str__(self) -> str:
        return f"{self.name} ({self.region})"


class PackInfo(models.Model):
    """The identity of the loaded content pack: its name, title and introduction."""

    name = models.SlugField("identifiant", max_length=60, unique=True)
    title = models.CharField("titre", max_length=200)
    intro = models.TextField("présentation", blank=True)

    class Meta:
        verbose_name = "paquet de contenu"
        verbose_name_plural = "paquets de contenu"

    def __str__(self) -> str:
        return self.title


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
