"""Published editions of the sommaire, and the cache of the live PDFs.

An `Edition` is a dated issue of the full sommaire, kept for good with its PDF
and a snapshot of the resources it listed: the next edition compares the live
catalog with that snapshot to open with "Nouveautés depuis l’édition du …".

A `BuiltPdf` is the last PDF built for one scope (the whole sommaire, some
sections, a region). It lives in the database rather than in one process's
memory or one machine's disk, so every app process serves the same file and
only one rebuild per catalog change is needed, wherever it lands.
"""

from dataclasses import dataclass, field

from django.db import models
from django.urls import reverse
from django.utils import timezone

from sommaire.catalog.models import Resource


class Edition(models.Model):
    number = models.PositiveIntegerField("numéro", unique=True)
    published_at = models.DateTimeField("publiée le", default=timezone.now)
    generation = models.PositiveBigIntegerField("génération du catalogue")
    resources = models.JSONField(
        "ressources",
        default=dict,
        help_text="Clé → {titre, statut} de chaque ressource du catalogue à la publication.",
    )
    pdf = models.BinaryField("PDF")

    class Meta:
        ordering = ["-number"]
        verbose_name = "édition publiée"
        verbose_name_plural = "éditions publiées"

    def __str__(self) -> str:
        return f"Édition n° {self.number} du {timezone.localdate(self.published_at)}"

    def get_absolute_url(self) -> str:
        return reverse("edition:published", args=[self.number])

    @classmethod
    def latest(cls) -> "Edition | None":
        return cls.objects.defer("pdf").order_by("-number").first()

    @staticmethod
    def snapshot() -> dict[str, dict]:
        """The catalog's resources as an edition remembers them."""
        rows = Resource.objects.values_list("key", "title", "status")
        return {key: {"title": title, "status": status} for key, title, status in rows}

    def changes_since(self, keys: set[str] | None = None) -> "Changes":
        """What the live catalog added, replaced and archived since this edition.

        `keys` limits the answer to the resources of a partial edition; the
        resources deleted from the catalog are only known to a full one.
        """
        live = {r.key: r for r in Resource.objects.described().order_by("title")}
        changes = Changes(since=self.published_at)
        for key, resource in live.items():
            if keys is not None and key not in keys:
                continue
            before = self.resources.get(key)
            was_active = before is not None and before["status"] == Resource.Status.ACTIVE
            if not resource.is_archived() and not was_active:
                changes.added.append(resource)
            elif resource.is_archived() and was_active:
                successor = _successor(resource)
                if successor is not None:
                    changes.replaced.append((resource, successor))
                else:
                    changes.archived.append(resource)
        if keys is None:
            for key, before in sorted(self.resources.items(), key=lambda kv: kv[1]["title"]):
                if key not in live and before["status"] == Resource.Status.ACTIVE:
                    changes.removed.append(before["title"])
        replacing = {successor.pk for _, successor in changes.replaced}
        changes.added = [r for r in changes.added if r.pk not in replacing]
        return changes


def _successor(resource: Resource) -> Resource | None:
    """The resource that replaces `resource`, once the catalog knows successors.

    The watcher (another app) links a version to the next one (Va1 -> Va2) by
    giving Resource a `successor()`; until it exists every archived resource is
    simply archived, and nothing here has to change when it arrives.
    """
    successor = getattr(resource, "successor", None)
    return successor() if callable(successor) else None


@dataclass
class Changes:
    since: object
    added: list[Resource] = field(default_factory=list)
    replaced: list[tuple[Resource, Resource]] = field(default_factory=list)
    archived: list[Resource] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (self.added or self.replaced or self.archived or self.removed)


class BuiltPdf(models.Model):
    scope = models.CharField("périmètre", max_length=300, unique=True)
    generation = models.PositiveBigIntegerField("génération du catalogue")
    edition_number = models.PositiveIntegerField("dernière édition publiée", default=0)
    built_at = models.DateTimeField("construit le", default=timezone.now)
    pdf = models.BinaryField("PDF")

    class Meta:
        verbose_name = "PDF en cache"
        verbose_name_plural = "PDF en cache"

    def __str__(self) -> str:
        return f"{self.scope} (génération {self.generation})"

    def is_current(self, generation: int, edition_number: int) -> bool:
        return self.generation == generation and self.edition_number == edition_number
