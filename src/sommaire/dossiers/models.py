"""Dossiers: a short, ordered selection of catalog resources that an editor
composes for one establishment ("Pour un EHPAD qui prépare sa demande SONS
DUI"), with a note on each and headings between them.

A dossier is national (no region) or belongs to one region, like a resource.
It is a draft (seen by its editors only) or published; a published dossier is
listed (region page, sitemap, API listing) or unlisted (reachable by its link
only). It stays true by itself: `notices()` says which of its resources were
replaced by a new version, archived, or have a link confirmed broken.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from sommaire.catalog.models import Region, Resource, Revisioned
from sommaire.catalog.validation import CleanText
from sommaire.linkcheck.services import link_url

# A replacement chain longer than this is a loop in the data, not history.
MAX_SUCCESSORS = 20


class DossierQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Dossier.Status.PUBLISHED)

    def listed(self):
        """What may be announced: published and listed."""
        return self.published().filter(visibility=Dossier.Visibility.LISTED)


class Dossier(CleanText, Revisioned):
    class Visibility(models.TextChoices):
        LISTED = "listed", "listé"
        UNLISTED = "unlisted", "non listé (accessible par son lien seulement)"

    class Status(models.TextChoices):
        DRAFT = "draft", "brouillon"
        PUBLISHED = "published", "publié"

    slug = models.SlugField("identifiant", max_length=80, unique=True)
    title = models.CharField("titre", max_length=200)
    audience = models.CharField(
        "pour qui",
        max_length=300,
        blank=True,
        help_text="Par exemple : « Pour un EHPAD qui prépare sa demande SONS DUI ».",
    )
    region = models.ForeignKey(
        Region,
        verbose_name="région",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers",
        help_text="Vide pour un dossier national.",
    )
    visibility = models.CharField(
        "visibilité", max_length=10, choices=Visibility.choices, default=Visibility.LISTED
    )
    status = models.CharField("statut", max_length=10, choices=Status.choices, default=Status.DRAFT)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="responsable",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dossiers",
    )
    created_at = models.DateTimeField("créé le", default=timezone.now)
    updated_at = models.DateTimeField("modifié le", default=timezone.now)

    objects = DossierQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="historique de dossier")

    class Meta:
        ordering = ["title", "slug"]
        verbose_name = "dossier"
        verbose_name_plural = "dossiers"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("dossiers:page", args=[self.slug])

    def get_pdf_url(self) -> str:
        return reverse("dossiers:pdf", args=[self.slug])

    def get_edit_url(self) -> str:
        return reverse("dossiers-manage:edit", args=[self.slug])

    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def is_listed(self) -> bool:
        """Announced anywhere (region page, sitemap, API listing): published and listed."""
        return self.is_published() and self.visibility == self.Visibility.LISTED

    def items_in_order(self) -> list["DossierItem"]:
        """The items with their resources described, in the dossier's order."""
        described = Prefetch("resource", queryset=Resource.objects.described())
        return list(self.items.prefetch_related(described).order_by("order", "pk"))

    def notices(self, links: dict, items: list["DossierItem"] | None = None) -> list["Notice"]:
        """What readers and the owner must know: replaced, archived or broken resources.

        `links` is `linkcheck.services.links_by_url()`, read once by the caller.
        """
        found = []
        for item in items if items is not None else self.items_in_order():
            notice = item.notice(links)
            if notice is not None:
                found.append(notice)
        return found


class DossierItem(CleanText):
    """One line of a dossier: a resource with an optional note, or a heading."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveIntegerField("ordre", default=0)
    resource = models.ForeignKey(
        Resource,
        verbose_name="ressource",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="dossier_items",
    )
    heading = models.CharField("intertitre", max_length=200, blank=True)
    note = models.TextField("note", blank=True)

    history = HistoricalRecords(verbose_name="historique d’élément de dossier")

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "élément de dossier"
        verbose_name_plural = "éléments de dossier"

    def __str__(self) -> str:
        return self.heading or str(self.resource)

    def is_heading(self) -> bool:
        return self.resource_id is None

    def notice(self, links: dict) -> "Notice | None":
        resource = self.resource
        if resource is None:
            return None
        if resource.is_archived():
            successor = newest_successor(resource)
            kind = Notice.REPLACED if successor is not None else Notice.ARCHIVED
            return Notice(self.dossier, resource, kind, resource.changed_at, successor)
        link = links.get(link_url(resource.url))
        if link is not None and link.is_confirmed_broken():
            return Notice(self.dossier, resource, Notice.BROKEN, link.first_failure_at)
        return None


def newest_successor(resource: Resource) -> Resource | None:
    """The version in force that replaces `resource`, following Va1 → Va2 → Va3."""
    successor, seen = resource.successor(), {resource.pk}
    while successor is not None and successor.is_archived() and len(seen) < MAX_SUCCESSORS:
        seen.add(successor.pk)
        following = successor.successor()
        if following is None or following.pk in seen:
            break
        successor = following
    return successor


@dataclass(frozen=True)
class Notice:
    """One resource of a dossier that no longer stands as it did."""

    REPLACED = "replaced"
    ARCHIVED = "archived"
    BROKEN = "broken"

    dossier: Dossier
    resource: Resource
    kind: str
    since: datetime | None
    successor: Resource | None = None

    @property
    def key(self) -> str:
        """Stable across runs: what the e-mail digest remembers having sent."""
        return f"{self.kind}:{self.resource.pk}"

    def summary(self) -> str:
        """The sentence the editor reads (dashboard, list, digest)."""
        title = f"« {self.resource.title} »"
        if self.kind == self.REPLACED:
            return (
                f"{title} est remplacée : une nouvelle version existe, « {self.successor.title} »."
            )
        if self.kind == self.ARCHIVED:
            return f"{title} a été retirée du catalogue, sans nouvelle version."
        return f"Le lien de {title} est signalé indisponible."
