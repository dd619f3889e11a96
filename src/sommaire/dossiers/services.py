"""The dossiers app's public functions: what the pages, the API, the command,
the alerts and the editors' workspace call.

One validation for every door: `validate` reads a `DossierInput` (from the
editor's form or from the API), says in French what to fix for each field
and each item, and `save` writes the dossier and its items in one
transaction, through `sommaire.editors.permissions`, with the revision check
of `catalog.models.Revisioned` (no lost update) and the history under the
editor's name.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.text import slugify

from sommaire.catalog.models import Region, Resource
from sommaire.dossiers.models import Dossier, DossierItem, Notice
from sommaire.editors import permissions
from sommaire.linkcheck.services import links_by_url

MAX_ITEMS = 200
# Addresses of the editor's screens under /gestion/dossiers/: no dossier may take them.
RESERVED_SLUGS = {"nouveau", "dossier"}
TEXT_LIMITS = {"title": 200, "audience": 300, "heading": 200, "note": 2000}


@dataclass
class ItemInput:
    resource: str | None = None  # a resource key, or None for a heading
    heading: str = ""
    note: str = ""


@dataclass
class DossierInput:
    slug: str
    title: str
    audience: str = ""
    region: str | None = None  # OCC, 76 or FR-OCC; None: national
    visibility: str = Dossier.Visibility.LISTED
    status: str = Dossier.Status.DRAFT
    items: list[ItemInput] = field(default_factory=list)


class Invalid(Exception):
    """What to fix: (field, message) pairs; an item's field is named `items.<n>.<name>`."""

    def __init__(self, errors: list[tuple[str, str]]):
        self.errors = errors
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors))


@dataclass
class Checked:
    """A valid input, resolved: the region and each item's resource."""

    data: DossierInput
    region: Region | None
    items: list[tuple[Resource | None, str, str]]  # (resource, heading, note)


# --- reading -----------------------------------------------------------------------


def published_for_region(region: Region) -> QuerySet[Dossier]:
    """The listed dossiers of a region, for its page."""
    return Dossier.objects.listed().filter(region=region).order_by("title", "slug")


def listed() -> QuerySet[Dossier]:
    """Every dossier that may be announced (sitemap, API listing, command), with its items."""
    return with_items(Dossier.objects.listed()).order_by("slug")


def with_items(dossiers: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """What `as_dict` reads, in three queries whatever the number of dossiers."""
    items = DossierItem.objects.select_related("resource").order_by("order", "pk")
    return dossiers.select_related("region").prefetch_related(Prefetch("items", queryset=items))


def as_dict(dossier: Dossier) -> dict:
    """A dossier as the API and `sommaire dossiers list --format json` give it."""
    return {
        "slug": dossier.slug,
        "title": dossier.title,
        "region": dossier.region.code if dossier.region else None,
        "audience": dossier.audience,
        "visibility": dossier.visibility,
        "status": dossier.status,
        "items": [
            {
                "resource": item.resource.key if item.resource else None,
                "note": item.note,
                "heading": item.heading if item.is_heading() else None,
            }
            for item in dossier.items.all()
        ],
        "updated": dossier.updated_at,
        "url": settings.SITE_URL + dossier.get_absolute_url(),
        "pdf": settings.SITE_URL + dossier.get_pdf_url(),
    }


def for_reader(slug: str, user=None) -> Dossier | None:
    """The dossier at /dossiers/<slug>/ for this person; None (a 404) for a stranger's draft."""
    dossier = Dossier.objects.select_related("region", "owner").filter(slug=slug).first()
    if dossier is None or not permissions.can_read_dossier(user, dossier):
        return None
    return dossier


def editable_dossiers(user) -> QuerySet[Dossier]:
    return permissions.in_scope(user, Dossier.objects.select_related("region", "owner"))


def notices_for_editor(user) -> list[Notice]:
    """What needs the attention of this dossier owner: for the workspace and the digest."""
    dossiers = Dossier.objects.filter(owner=user).order_by("title", "slug")
    if not dossiers:
        return []
    links = links_by_url()
    return [notice for dossier in dossiers for notice in dossier.notices(links)]


def find_citable(text: str, region_id: int | None, limit: int = 10) -> list[Resource]:
    """Resources an editor may add to a dossier of that region: by exact key, else by search."""
    from sommaire.search.services import search

    citable = permissions.citable_resources(region_id)
    text = text.strip()
    if not text:
        return []
    exact = list(citable.filter(key=text.lower()).described())
    hits = search(text, limit=limit, restrict=citable).hits
    found = {r.pk: r for r in citable.filter(pk__in=[h.resource_id for h in hits]).described()}
    ranked = [found[h.resource_id] for h in hits if h.resource_id in found]
    return (exact + [r for r in ranked if r not in exact])[:limit]


# --- writing -----------------------------------------------------------------------


def validate(data: DossierInput, dossier: Dossier | None = None) -> Checked:
    """Every field and every item checked; Invalid lists all the problems at once."""
    errors: list[tuple[str, str]] = []
    _check_slug(data.slug, dossier, errors)
    for name in ("title", "audience"):
        _check_text(name, getattr(data, name), TEXT_LIMITS[name], errors)
    if not data.title.strip():
        errors.append(("title", "titre vide : donnez un titre au dossier"))
    if data.visibility not in Dossier.Visibility.values:
        errors.append(("visibility", "visibilité inconnue : listed ou unlisted"))
    if data.status not in Dossier.Status.values:
        errors.append(("status", "statut inconnu : draft ou published"))
    region = None
    if data.region:
        region = Region.lookup(_safe(data.region))
        if region is None:
            errors.append(
                (
                    "region",
                    f"région inconnue : « {data.region} » ; un code comme OCC, 76 ou FR-OCC, "
                    "ou rien pour un dossier national",
                )
            )
    items = _check_items(data.items, region, dossier, errors)
    if errors:
        raise Invalid(errors)
    return Checked(data, region, items)


def save(user, dossier: Dossier | None, data: DossierInput, expected: int | None = None):
    """Create (dossier None) or replace a dossier; raises Invalid, PermissionDenied,
    or catalog.models.EditConflict when it changed since revision `expected`."""
    checked = validate(data, dossier)
    adding = dossier is None
    if adding:
        dossier = Dossier(owner=user)
    dossier.slug = data.slug
    dossier.title = data.title.strip()
    dossier.audience = data.audience.strip()
    dossier.region = checked.region
    dossier.visibility = data.visibility
    dossier.status = data.status
    dossier.updated_at = timezone.now()
    permissions.check_dossier_write(user, dossier)
    dossier._history_user = user
    try:
        with transaction.atomic():
            if adding or expected is None:
                dossier.save()
            else:
                dossier.save_edit(expected)
            _store_items(user, dossier, checked.items)
    except IntegrityError:
        raise Invalid([("slug", "un autre dossier vient de prendre cet identifiant")]) from None
    return dossier


def _store_items(user, dossier: Dossier, wanted: list[tuple]) -> None:
    """Make the items those wanted, updating rows in place so the history reads well."""
    current = list(dossier.items.order_by("order", "pk"))
    for position, (resource, heading, note) in enumerate(wanted, start=1):
        item = current[position - 1] if position <= len(current) else DossierItem(dossier=dossier)
        shown = (item.order, item.resource_id, item.heading, item.note)
        if item.pk and shown == (position, resource and resource.pk, heading, note):
            continue
        item.order, item.resource, item.heading, item.note = position, resource, heading, note
        item._history_user = user
        item.save()
    for item in current[len(wanted) :]:
        item._history_user = user
        item.delete()


def _check_slug(slug: str, dossier: Dossier | None, errors: list) -> None:
    suggestion = slugify(slug)[:80] or "ehpad-sons-dui"
    if not slug or slugify(slug) != slug or len(slug) > 80:
        errors.append(
            (
                "slug",
                "identifiant refusé : lettres minuscules sans accent, chiffres et tirets "
                f"(80 au plus), par exemple « {suggestion} »",
            )
        )
        return
    if slug in RESERVED_SLUGS:
        errors.append(("slug", f"« {slug} » est réservé : choisissez un autre identifiant"))
        return
    taken = Dossier.objects.filter(slug=slug)
    if dossier is not None:
        taken = taken.exclude(pk=dossier.pk)
    if taken.exists():
        errors.append(("slug", "cet identifiant est déjà celui d’un autre dossier"))


def _check_text(name: str, value: str, limit: int, errors: list) -> None:
    if len(value) > limit:
        errors.append((name, f"trop long : {limit} caractères au plus"))
    if any(ord(c) < 32 and c not in "\n\r\t" for c in value):
        errors.append((name, "caractères de contrôle refusés : retirez-les"))


def _check_items(items: list[ItemInput], region, dossier, errors: list) -> list[tuple]:
    if len(items) > MAX_ITEMS:
        errors.append(("items", f"trop d’éléments : {MAX_ITEMS} au plus"))
        return []
    keys = [_safe(item.resource) for item in items if item.resource]
    resources = Resource.objects.in_bulk(keys, field_name="key")
    # A resource already in the dossier stays even once archived: the page then
    # points to its new version, and the editor decides when to swap it.
    kept = set(dossier.items.values_list("resource_id", flat=True)) if dossier else set()
    region_id = region.pk if region else None
    checked = []
    for number, item in enumerate(items):
        where = f"items.{number}"
        heading, note = item.heading.strip(), item.note.strip()
        _check_text(f"{where}.heading", item.heading, TEXT_LIMITS["heading"], errors)
        _check_text(f"{where}.note", item.note, TEXT_LIMITS["note"], errors)
        resource = resources.get(_safe(item.resource)) if item.resource else None
        if item.resource and heading:
            errors.append((f"{where}.heading", "un élément est une ressource ou un intertitre"))
        elif not item.resource and not heading:
            errors.append(
                (f"{where}.resource", "élément vide : une clé de ressource ou un intertitre")
            )
        elif item.resource and resource is None:
            errors.append((f"{where}.resource", f"aucune ressource n’a la clé « {item.resource} »"))
        elif resource is not None and not _citable(resource, region_id, kept):
            errors.append((f"{where}.resource", _not_citable(resource, region)))
        checked.append((resource, heading, note))
    return checked


def _citable(resource: Resource, region_id, kept: set) -> bool:
    if permissions.can_cite(resource, region_id):
        return True
    return resource.pk in kept and resource.region_id in (None, region_id)


def _not_citable(resource: Resource, region) -> str:
    if resource.is_archived():
        return f"« {resource.key} » est archivée : choisissez sa nouvelle version"
    where = f"de la région {region.name}" if region else "national"
    return (
        f"« {resource.key} » appartient à la région {resource.region.name} : un dossier {where} "
        "ne cite que des ressources nationales ou de sa région"
    )


def _safe(value: str) -> str:
    # PostgreSQL refuses NUL in a string; no key or code holds one.
    return value.replace("\x00", "\ufffd")
