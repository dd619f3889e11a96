"""Writes through the API: create a resource, replace one, with no lost update.

Every write goes through `sommaire.editors.permissions`, on the row as it is
and as it will be, exactly as the back-office does. A replacement names the
revision it was based on (`If-Match: "r12-…"`) and is saved with the
compare-and-set of `catalog.models.Revisioned`: of two clients that read
revision 12, one writes revision 13 and the other gets a 412 that lists what
changed, whatever the timing. The change is kept in the history under the
editor's name; the catalog generation moves on through the catalog's signals.
"""

import re

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from sommaire.api import schemas
from sommaire.catalog import validation
from sommaire.catalog.models import (
    CatalogEvent,
    EditConflict,
    Format,
    Kind,
    Placement,
    Publisher,
    Region,
    Resource,
    Section,
    SoftwareProfile,
    Wave,
)
from sommaire.editors import history, permissions

CHANGE_REASON = "modification par l’API"
# If-Match: one or more entity tags, strong or weak; ours start with r<revision>.
ENTITY_TAG = re.compile(r'\s*(?:W/)?"r(\d{1,10})(?:-[0-9a-f]*)?"\s*')

# The fields of ResourceIn that name a row of a vocabulary: model, what an unknown one is.
RELATED = {
    "kind": (Kind, "type de document inconnu"),
    "format": (Format, "format inconnu"),
    "publisher": (Publisher, "éditeur inconnu"),
    "profile": (SoftwareProfile, "profil logiciel inconnu"),
    "wave": (Wave, "vague inconnue"),
}
# The API name of each stored field a conflict may report, and how to show its value.
REPORTED = {
    "key": ("key", None),
    "title": ("title", None),
    "url": ("url", None),
    "kind_id": ("kind", (Kind, "slug")),
    "format_id": ("format", (Format, "slug")),
    "publisher_id": ("publisher", (Publisher, "slug")),
    "profile_id": ("profile", (SoftwareProfile, "slug")),
    "wave_id": ("wave", (Wave, "slug")),
    "version": ("version", None),
    "region_id": ("region", (Region, "code")),
    "description": ("description", None),
    "status": ("status", None),
}


class Problem(Exception):
    """An answer other than success: the view turns it into a JSON response."""

    def __init__(self, status: int, body: dict, headers: dict | None = None):
        self.status, self.body, self.headers = status, body, headers or {}
        super().__init__(f"{status}: {body}")


def invalid(errors: list[tuple[str, str]]) -> Problem:
    """A 422 in the shape of django-ninja's own: one entry per field, what to fix."""
    return Problem(
        422,
        {
            "detail": [
                {"loc": ["body", "payload", field], "msg": message, "type": "value_error"}
                for field, message in errors
            ]
        },
    )


# --- create ----------------------------------------------------------------------


def create_resource(user, data: schemas.ResourceCreate) -> Resource:
    if not permissions.is_editor(user):
        raise PermissionDenied("Seul un éditeur peut ajouter une ressource.")
    errors = []
    if slugify(data.key) != data.key:
        errors.append(
            (
                "key",
                "clé refusée : lettres minuscules sans accent, chiffres et tirets, "
                f"par exemple « {slugify(data.key) or 'guide-ins'} »",
            )
        )
    elif Resource.objects.filter(key=data.key).exists():
        errors.append(("key", "cette clé est déjà prise : choisissez-en une autre"))
    resource = Resource(key=data.key)
    placements = _apply(resource, data, errors)
    permissions.check_resource_write(user, resource)
    _save(user, resource, placements, expected=None)
    return resource


# --- replace ---------------------------------------------------------------------


def replace_resource(request, key: str, data: schemas.ResourceIn, if_match: str | None):
    user = request.user
    pk = Resource.objects.filter(key=safe(key)).values_list("pk", flat=True).first()
    if pk is None:
        raise Problem(404, {"detail": "Aucune ressource n’a cette clé."})
    resource = permissions.get_resource_for_editor(request, pk)
    named = named_revisions(if_match)
    expected = resource.revision if resource.revision in named else min(named, default=-1)
    if expected != resource.revision:
        raise conflict(resource, expected)
    was_active = not resource.is_archived()
    placements = _apply(resource, data, [])
    permissions.check_resource_write(user, resource)
    resource.changed_at = timezone.now()
    _save(user, resource, placements, expected=expected, was_active=was_active)
    return resource


def named_revisions(if_match: str | None, read: str = "GET /api/v1/resources/{key}") -> list[int]:
    """The revisions an If-Match names (none if unreadable); a 428 without If-Match.

    `read`: the request that gives the ETag to send back, for the message.
    """
    value = (if_match or "").strip()
    if not value or value == "*":
        raise Problem(
            428,
            {
                "detail": f"En-tête If-Match requis : renvoyez l’ETag lu avec {read} "
                '(par exemple If-Match: "r12-…"), pour ne pas écraser une modification '
                "faite entre-temps."
            },
        )
    tags = (ENTITY_TAG.fullmatch(tag) for tag in value.split(","))
    return [int(tag.group(1)) for tag in tags if tag]


def conflict(
    row, expected: int, *, key: str | None = None, reported=None, what: str = "La ressource"
) -> Problem:
    """The 412 of a stale If-Match: the current revision and what changed since.

    `row` is a resource, or another Revisioned row named by `key` whose
    fields worth reporting are `reported` (as REPORTED is for resources).
    """
    from sommaire.api.http import current_state, resource_etag

    current = row.current_revision()
    if current is None:
        return Problem(404, {"detail": f"{what} n’existe plus : rien n’a été enregistré."})
    changes = row.changes_since(expected) if expected > 0 else None
    changed = _reported(changes.fields, reported or REPORTED) if changes else []
    if changes and isinstance(row, Resource):
        changed += _sections_moved(row, expected)
    etag = resource_etag(key or row.key, current, current_state())
    return Problem(
        412,
        {
            "detail": f"{what} a changé depuis la révision que vous avez lue : révision "
            f"{current} maintenant. Rien n’a été enregistré ; relisez, reportez vos "
            "modifications et renvoyez-les avec le nouvel ETag.",
            "current_revision": current,
            "etag": etag,
            "changed": changed,
            "changed_by": changes.authors() if changes else [],
        },
        headers={"ETag": etag},
    )


def _reported(fields: dict[str, tuple], names: dict) -> list[dict]:
    reported = []
    for attname, (before, now) in fields.items():
        if attname not in names:
            continue
        name, related = names[attname]
        if related is not None:
            model, label = related
            shown = dict(model.objects.filter(pk__in=[before, now]).values_list("pk", label))
            before, now = shown.get(before), shown.get(now)
        reported.append({"field": name, "before": _text(before), "now": _text(now)})
    return reported


def _sections_moved(resource: Resource, expected: int) -> list[dict]:
    """The placements as `sections`, when they changed since `expected` (from their history)."""
    then = history.placements_at_revision(resource, expected)
    if then is None:
        return []
    now = resource.placements.select_related("section")
    shown_then = _sections_text((s.section.slug if s.section else s.title, s.group) for s in then)
    shown_now = _sections_text((p.section.slug, p.group) for p in now)
    if shown_then == shown_now:
        return []
    return [{"field": "sections", "before": shown_then, "now": shown_now}]


def _sections_text(placements) -> str:
    """ "hopital (Pour aller plus loin), officine": each section, with its group if any."""
    return ", ".join(sorted(f"{slug} ({group})" if group else slug for slug, group in placements))


def safe(value: str) -> str:
    # PostgreSQL refuses NUL in a string (a 500 otherwise); no slug, code or
    # key holds one, so such a value simply matches nothing.
    return value.replace("\x00", "\ufffd")


def _text(value) -> str | None:
    return None if value is None else str(value)


# --- shared ----------------------------------------------------------------------


def _apply(resource: Resource, data: schemas.ResourceIn, errors: list) -> list:
    """Validate the payload and set it on the resource; return the wanted placements.

    Raises a 422 listing every field to fix, not only the first.
    """
    for name, (model, unknown) in RELATED.items():
        value = getattr(data, name)
        if value is None:
            setattr(resource, name, None)
            continue
        row = model.objects.filter(slug=safe(value)).first()
        if row is None:
            errors.append((name, f"{unknown} : « {value} » ; voir /api/v1/vocabularies"))
        setattr(resource, name, row)
    region = None
    if data.region is not None:
        region = Region.lookup(safe(data.region))
        if region is None:
            errors.append(
                (
                    "region",
                    f"région inconnue : « {data.region} » ; un code comme OCC, 76 ou "
                    "FR-OCC, ou null pour une ressource nationale",
                )
            )
    resource.region = region
    resource.title = validation.clean_text(data.title)
    resource.url = validation.clean_text(data.url)
    resource.version = validation.clean_text(data.version or "")
    resource.description = validation.clean_text(data.description, multiline=True)
    resource.status = data.status
    problems = validation.problems(resource)
    for name, message in problems.items():
        errors.append((name, f"adresse refusée : {message}" if name == "url" else message))
    if "url" not in problems:
        taken = Resource.objects.filter(url=resource.url).exclude(pk=resource.pk).first()
        if taken is not None:
            errors.append(("url", f"adresse déjà celle de la ressource « {taken.key} »"))
    if not resource.title:
        errors.append(("title", "titre vide : donnez le titre du document"))
    placements = _placements(data.sections, errors)
    if errors:
        raise invalid(errors)
    return placements


def _placements(wanted: list[schemas.PlacementIn], errors: list) -> list[tuple]:
    slugs = [safe(p.section) for p in wanted]
    sections = Section.objects.in_bulk(slugs, field_name="slug")
    unknown = [slug for slug in slugs if slug not in sections]
    if unknown:
        errors.append(
            ("sections", f"section inconnue : {', '.join(unknown)} ; voir /api/v1/sections")
        )
    if len(set(slugs)) != len(slugs):
        errors.append(("sections", "une section est nommée deux fois : une fois suffit"))
    return [
        (sections.get(slug), validation.clean_text(p.group))
        for slug, p in zip(slugs, wanted, strict=True)
    ]


def _save(user, resource: Resource, placements: list, *, expected, was_active=False) -> None:
    """Write the row (compare-and-set) and its placements in one transaction."""
    resource._history_user = user
    resource._change_reason = CHANGE_REASON
    try:
        with transaction.atomic():
            if expected is None:
                resource.save()
            else:
                resource.save_edit(expected)
            _place(user, resource, placements)
            if expected is None and not resource.is_archived():
                CatalogEvent.record(CatalogEvent.Kind.ADDED, resource)
            elif was_active and resource.is_archived():
                CatalogEvent.record(CatalogEvent.Kind.ARCHIVED, resource)
    except EditConflict:
        # Someone saved between our check and our write; nothing was kept.
        raise conflict(resource, expected) from None
    except IntegrityError:
        # The key or the URL was taken by another write since we checked.
        raise invalid(
            [("key", "une autre ressource vient de prendre cette clé ou cette adresse")]
        ) from None


def _place(user, resource: Resource, wanted: list[tuple]) -> None:
    """Make the resource's placements those wanted, keeping the order of existing ones."""
    current = {p.section_id: p for p in resource.placements.all()}
    keep = {section.pk for section, _group in wanted}
    for section_id, placement in current.items():
        if section_id not in keep:
            placement._history_user = user
            placement.delete()
    for section, group in wanted:
        placement = current.get(section.pk)
        if placement is None:
            last = Placement.objects.filter(section=section).order_by("-order").first()
            placement = Placement(
                resource=resource, section=section, order=(last.order + 1) if last else 1
            )
        elif placement.group == group:
            continue
        placement.group = group
        placement._history_user = user
        placement.save()
