"""The text of the catalog's documents: one state per resource, its passages.

A passage is a piece of a document that keeps its place: a PDF page, a
spreadsheet row (its cells kept as fields), a slide, the text under a
heading. Passages carry their analysed tokens (`code`, `body`), which the
database indexes by itself as it does the catalog's entries (see the
migration): an FTS5 table on SQLite, a generated tsvector on PostgreSQL.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from sommaire.catalog.models import HttpsURLField, Resource

# A passage's id is its resource's id times this, plus its position in the
# document. So the rowids of one resource's passages form one range, which
# FTS5 can search alone (`rowid BETWEEN`), with no lookup per match.
ID_SPAN = 1_000_000
MAX_PASSAGES = ID_SPAN - 1


class DocumentState(models.Model):
    """What the extractor last saw at a resource's address, and what it made of it.

    Written only by `sommaire extract-documents` (with `.update()`, never
    the resource row): an editor's save never races with it.
    """

    class Status(models.TextChoices):
        EXTRACTED = "extracted", "texte extrait"
        ERROR = "error", "en erreur"

    resource = models.OneToOneField(
        Resource, primary_key=True, on_delete=models.CASCADE, related_name="document"
    )
    url = HttpsURLField("adresse lue", max_length=2000, blank=True)
    status = models.CharField("état", max_length=10, choices=Status.choices, blank=True)
    reason = models.CharField("motif", max_length=500, blank=True)
    format = models.CharField("format reconnu", max_length=10, blank=True)
    size = models.PositiveBigIntegerField("taille (octets)", null=True, blank=True)
    content_hash = models.CharField("empreinte du texte extrait", max_length=64, blank=True)
    seen_hash = models.CharField("empreinte du dernier fichier lu", max_length=64, blank=True)
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    units = models.PositiveIntegerField("pages, lignes ou diapositives", default=0)
    passage_count = models.PositiveIntegerField("passages", default=0)
    codes = models.TextField("codes (index)", blank=True, help_text="Whole code tokens.")
    words = models.TextField("mots (index)", blank=True, help_text="Distinct tokens.")
    extracted_at = models.DateTimeField("extrait le", null=True, blank=True)
    checked_at = models.DateTimeField("lu le", null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    # Written by editors (the workspace), never by the extractor: "I have read the new text".
    reviewed_at = models.DateTimeField("relu le", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "état de document"
        verbose_name_plural = "états des documents"

    def __str__(self) -> str:
        return f"{self.resource_id}: {self.status or 'jamais lu'}"

    def claim(self, lease: timedelta) -> bool:
        """Take this document for one run; False when another run holds it.

        A compare-and-set on `claimed_until`: of two runs started together,
        exactly one updates the row. A run that dies lets the claim expire.
        """
        now = timezone.now()
        free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
        rows = DocumentState.objects.filter(free, pk=self.pk)
        if not rows.update(claimed_until=now + lease):
            return False
        # Read again under the claim: a run that finished since this row was
        # read may have stored newer text, which must not be announced twice.
        self.refresh_from_db()
        return True

    def release(self) -> None:
        DocumentState.objects.filter(pk=self.pk).update(claimed_until=None)

    def record(self, **state) -> None:
        """Write some columns only: another run's claim is never overwritten."""
        DocumentState.objects.filter(pk=self.pk).update(**state)
        for name, value in state.items():
            setattr(self, name, value)

    @classmethod
    def mark_reviewed(cls, resource: Resource, user) -> None:
        """An editor read the document's new text: it leaves their to-do list."""
        cls.objects.filter(resource=resource).update(reviewed_at=timezone.now(), reviewed_by=user)

    def was_extracted(self) -> bool:
        return bool(self.content_hash)


class Passage(models.Model):
    """A piece of a document, at its place: page, sheet and row, slide or heading."""

    id = models.BigIntegerField(primary_key=True)
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="passages")
    position = models.PositiveIntegerField("rang")
    page = models.PositiveIntegerField("page", null=True, blank=True)
    sheet = models.CharField("onglet", max_length=200, blank=True)
    row = models.PositiveIntegerField("ligne", null=True, blank=True)
    slide = models.PositiveIntegerField("diapositive", null=True, blank=True)
    heading = models.CharField("titre de partie", max_length=500, blank=True)
    identifier = models.CharField("identifiant", max_length=100, blank=True)
    text = models.TextField("texte")
    fields = models.JSONField("champs", default=dict, blank=True)
    code = models.TextField(blank=True, help_text="Index: the identifier as whole tokens.")
    body = models.TextField(blank=True, help_text="Index: the analysed text.")

    class Meta:
        ordering = ["id"]
        verbose_name = "passage"
        verbose_name_plural = "passages"

    def __str__(self) -> str:
        return f"{self.resource_id} {self.place()}"

    @staticmethod
    def make_id(resource_id: int, position: int) -> int:
        return resource_id * ID_SPAN + position

    def place(self) -> str:
        """Where the passage stands, as a reader says it: "p. 12", "diapositive 3"."""
        if self.page:
            return f"p. {self.page}"
        if self.slide:
            return f"diapositive {self.slide}"
        if self.row and self.sheet:
            return f"onglet {self.sheet}, ligne {self.row}"
        if self.row:
            return f"ligne {self.row}"
        return self.heading

    def link(self, url: str) -> str:
        """The document's address, opened at the page for a PDF."""
        return f"{url}#page={self.page}" if self.page else url

    def location(self) -> dict:
        """The place as data: `page`, or `sheet` and `row`, or `slide`, or `heading`."""
        if self.page:
            return {"page": self.page}
        if self.slide:
            return {"slide": self.slide}
        if self.row:
            return {"sheet": self.sheet, "row": self.row}
        return {"heading": self.heading} if self.heading else {}
