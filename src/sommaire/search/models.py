"""The search index: one row per resource, its text as analysed tokens.

The rows are the single source of both engines' indexes, which the database
keeps in step by itself (set up in the migrations): on SQLite an FTS5 table
fed by triggers, on PostgreSQL a generated tsvector column with a GIN index.
So an entry written in a transaction is searchable in that same transaction,
and never half-written.
"""

from django.db import models

from sommaire.catalog.models import Resource

# The columns of an entry, in ranking order: the engines weigh them
# 10 : 5 : 2 : 1 : 0.5 (SQLite bm25) and A : B : C : D : D (PostgreSQL).
COLUMNS = ("code", "title", "meta", "body", "documents")


class Entry(models.Model):
    resource = models.OneToOneField(
        Resource, primary_key=True, on_delete=models.CASCADE, related_name="search_entry"
    )
    active = models.BooleanField(default=True)
    code = models.TextField(blank=True, help_text="Codes of the document, whole: dsrhopdpiva1.")
    title = models.TextField(blank=True, help_text="Title and kind.")
    meta = models.TextField(blank=True, help_text="Sections, group, publisher, profile, wave.")
    body = models.TextField(blank=True, help_text="Description.")
    words = models.TextField(blank=True, help_text="Words as written, for typo correction.")
    documents = models.TextField(
        blank=True, help_text="Distinct words of the linked document (sommaire.documents)."
    )

    class Meta:
        verbose_name = "entrée de l’index de recherche"
        verbose_name_plural = "index de recherche"

    def __str__(self) -> str:
        return f"index: {self.resource_id}"


class Synonym(models.Model):
    """Words readers use for one another, from the content pack's synonyms.yaml.

    Two-way: `words` are all equivalent (pharmacie, officine). One-way: the
    single word in `words` also finds `means` (ehpad -> médico-social), not
    the reverse.
    """

    words = models.JSONField("mots")
    means = models.JSONField("signifie", default=list, blank=True)
    order = models.PositiveIntegerField("ordre", default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "synonyme"
        verbose_name_plural = "synonymes"

    def __str__(self) -> str:
        if self.means:
            return f"{self.words[0]} → {', '.join(self.means)}"
        return " = ".join(self.words)

    def is_one_way(self) -> bool:
        return bool(self.means)
