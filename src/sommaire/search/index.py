"""Keeping the index true: entries written in the transaction of every catalog change.

`refresh(ids)` rewrites the entries of some resources from the catalog;
`rebuild()` rewrites them all. The signal handlers in `connect()` call
`refresh` on every save or delete of a resource, a placement, or a section or
vocabulary term that resources show. Glossary terms and synonyms are read at
query time (see `services.thesaurus`), so they need no reindexing.

Hazard: `QuerySet.update()` and `bulk_create()` send no signals. Code that
changes indexed resource fields that way must call `refresh` itself (the
link checker and the watcher write only their own columns, which are not
indexed).
"""

from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.db.models.signals import post_delete, post_save

from sommaire.catalog import models as catalog
from sommaire.search import analysis
from sommaire.search.models import Entry, Synonym

# The resource fields an entry is made of: a save that touches none of them
# (a job writing its own columns with update_fields) leaves the entry alone.
INDEXED_FIELDS = frozenset(
    {"title", "url", "kind", "format", "publisher", "profile", "wave", "version", "region"}
    | {"description", "status"}
)
BATCH = 500
REBUILD_LOCK = 0x5EA4C4  # any number of our own, the same in every process


def _codes(resource: catalog.Resource) -> list[str]:
    """Document codes named by the address: the file or page name when it looks like a code.

    DSR-HOP-DPI-Va1.pdf -> DSR-HOP-DPI-Va1, .../JORFTEXT000043934117 ->
    JORFTEXT000043934117; a plain page name such as /segur/hopital is no code.
    """
    path = unquote(urlsplit(resource.url).path).rstrip("/")
    name = path.rsplit("/", 1)[-1]
    stem_name = name.rsplit(".", 1)[0] if "." in name else name
    if not stem_name or " " in stem_name:
        return []
    looks_like_code = any(c.isdigit() for c in stem_name) or any(c.isupper() for c in stem_name)
    return [stem_name] if looks_like_code else []


def _text(*parts: str) -> str:
    return " ".join(p for p in parts if p)


def entry_values(resource: catalog.Resource) -> dict:
    """The columns of a resource's entry; placements with their sections prefetched."""
    placements = list(resource.placements.all())
    sections = [p.section.title for p in placements]
    groups = [p.group for p in placements]
    profile = resource.profile
    meta = _text(
        *sections,
        *groups,
        resource.publisher.name,
        resource.publisher.short_name,
        profile.label if profile else "",
        profile.description if profile else "",
        resource.wave.label if resource.wave else "",
        resource.format.label,
        resource.region.name if resource.region else "",
        resource.version,
    )
    title = _text(resource.title, resource.kind.label)
    code = [
        analysis.chunk_tokens(chunk)[0]
        for name in _codes(resource)
        for chunk in analysis.chunks(name)
        if analysis.chunk_tokens(chunk)
    ]
    words = analysis.surface_words(_text(title, meta, resource.description))
    # The linked document's text, as sommaire.documents analysed it: its
    # requirement codes join the resource's codes, its words a column of their own.
    document = getattr(resource, "document", None)
    return {
        "active": resource.status == catalog.Resource.Status.ACTIVE,
        "code": _text(" ".join(code), document.codes if document else ""),
        "title": " ".join(analysis.tokens(title)),
        "meta": " ".join(analysis.tokens(meta)),
        "body": " ".join(analysis.tokens(resource.description)),
        "words": " ".join(sorted(set(words))),
        "documents": document.words if document else "",
    }


def _resources(ids=None):
    placements = Prefetch(
        "placements", queryset=catalog.Placement.objects.select_related("section")
    )
    rows = catalog.Resource.objects.described().select_related("document")
    rows = rows.prefetch_related(placements)
    return rows if ids is None else rows.filter(pk__in=ids)


def refresh(ids: Iterable[int], create: bool = True) -> int:
    """Rewrite the entries of these resources (those deleted lose theirs); return how many.

    With `create=False` only existing entries are rewritten.
    """
    ids = set(ids)
    if not ids:
        return 0
    with transaction.atomic():
        found = {r.pk: r for r in _resources(ids)}
        Entry.objects.filter(pk__in=ids - found.keys()).delete()
        existing = set(Entry.objects.filter(pk__in=found).values_list("pk", flat=True))
        for pk, resource in found.items():
            values = entry_values(resource)
            if pk in existing:
                Entry.objects.filter(pk=pk).update(**values)
            elif create:
                Entry.objects.create(resource_id=pk, **values)
    return len(found)


def rebuild(progress=None) -> int:
    """Rewrite every entry from scratch, in batches; `progress(n)` after each batch."""
    from sommaire.search.backends import current

    total = 0
    with transaction.atomic():
        _lock_index()
        Entry.objects.all().delete()
        batch = []
        for resource in _resources().order_by("pk").iterator(chunk_size=BATCH):
            batch.append(Entry(resource_id=resource.pk, **entry_values(resource)))
            if len(batch) >= BATCH:
                total += _flush(batch, progress)
        total += _flush(batch, progress)
        with transaction.get_connection().cursor() as cursor:
            current().optimize(cursor)
    return total


def _lock_index() -> None:
    """Two rebuilds at once queue up instead of interleaving their rows.

    SQLite needs nothing: its transactions take the write lock at BEGIN
    (IMMEDIATE mode, see settings). PostgreSQL gets a transaction-scoped
    advisory lock.
    """
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [REBUILD_LOCK])


def _flush(batch: list, progress) -> int:
    count = len(batch)
    Entry.objects.bulk_create(batch)
    batch.clear()
    if progress:
        progress(count)
    return count


# --- signals -----------------------------------------------------------------


def _resource_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and not set(update_fields) & INDEXED_FIELDS):
        return
    refresh([instance.pk])


def _placement_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh([instance.resource_id])


def _placement_deleted(sender, instance, origin=None, **kwargs):
    # Deleting a resource deletes its placements and its entry (cascade):
    # Django collects the rows first, then deletes them model by model,
    # sending this signal in between. An entry written here would not be in
    # the collected rows and would outlive its resource, an orphan that
    # fails the foreign-key check at commit (issue 3). So a placement going
    # with its resource re-indexes nothing, and otherwise only an entry
    # still there is rewritten.
    if _goes_with_its_resource(origin, instance.resource_id):
        return
    refresh([instance.resource_id], create=False)


def _goes_with_its_resource(origin, resource_id: int) -> bool:
    """Whether the deletion that removes a placement started from its resource.

    `origin` is the instance or queryset whose delete() started it. The only
    way from a resource to a placement is Placement.resource (CASCADE), so a
    placement deleted by deleting resources is one of theirs.
    """
    if isinstance(origin, catalog.Resource):
        return origin.pk == resource_id
    return isinstance(origin, QuerySet) and issubclass(origin.model, catalog.Resource)


def _section_saved(sender, instance, raw=False, created=False, **kwargs):
    if raw or created:
        return
    refresh(
        catalog.Placement.objects.filter(section=instance).values_list("resource_id", flat=True)
    )


def _term_saved(sender, instance, raw=False, created=False, **kwargs):
    """A kind, format, publisher, profile, wave or region renamed: its resources show it."""
    if raw or created:
        return
    field = {
        catalog.Kind: "kind",
        catalog.Format: "format",
        catalog.Publisher: "publisher",
        catalog.SoftwareProfile: "profile",
        catalog.Wave: "wave",
        catalog.Region: "region",
    }[sender]
    refresh(catalog.Resource.objects.filter(**{field: instance}).values_list("pk", flat=True))


def _bump(sender, raw=False, **kwargs):
    if not raw:
        catalog.CatalogState.bump()


def connect() -> None:
    post_save.connect(_resource_saved, sender=catalog.Resource, dispatch_uid="search-resource")
    post_save.connect(_placement_saved, sender=catalog.Placement, dispatch_uid="search-placed")
    post_delete.connect(
        _placement_deleted, sender=catalog.Placement, dispatch_uid="search-unplaced"
    )
    for signal in (post_save, post_delete):
        # Synonyms change what queries find: pages cached under the
        # generation must not outlive them.
        signal.connect(_bump, sender=Synonym, dispatch_uid=f"search-synonym-{id(signal)}")
    post_save.connect(_section_saved, sender=catalog.Section, dispatch_uid="search-section")
    for model in (
        catalog.Kind,
        catalog.Format,
        catalog.Publisher,
        catalog.SoftwareProfile,
        catalog.Wave,
        catalog.Region,
    ):
        post_save.connect(_term_saved, sender=model, dispatch_uid=f"search-{model.__name__}")
