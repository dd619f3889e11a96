"""The watcher's public functions: reviewing candidates, and the pack's sources.

Reviewing: every door that decides on a candidate (the back-office queue,
the editors' workspace) calls `accept_candidate`, `accept_removal`,
`dismiss_candidate` or `snooze_candidate`, which check the person's scope on
everything the decision changes, not only on the candidate: accepting a new
version archives its predecessor and copies its places, so the predecessor
must be this person's to change too.

Sources: the pack declares the pages to watch (`sources.yaml`); loading
writes the editors' columns of each Source (section, selector, interval,
region) and never the watcher's state, so reloading a pack keeps the ETags
and the last good parse.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from sommaire.catalog.models import CatalogEvent, Placement, Region, Resource, Section
from sommaire.catalog.pack import PackSource, format_interval, parse_interval
from sommaire.editors import permissions
from sommaire.watch.models import Candidate, Source, default_interval


class AlreadyDecided(Exception):
    """Someone decided on this candidate first (or it is snoozed): nothing was changed."""


def reviewable(user, queryset: models.QuerySet) -> models.QuerySet:
    """The candidates this person may decide on: those whose scope region they write.

    The scope is the region of the resource a decision changes (the
    predecessor of a new version, the resource of a removal), else the
    region of the page the candidate was seen on.
    """
    version, removal = Candidate.Change.VERSION, Candidate.Change.REMOVED
    with_predecessor = Q(change=version, predecessor__isnull=False)
    with_resource = Q(change=removal, resource__isnull=False)
    return queryset.filter(
        (with_predecessor & _writable(user, "predecessor__region"))
        | (with_resource & _writable(user, "resource__region"))
        | (~with_predecessor & ~with_resource & _writable(user, "region"))
    )


def _writable(user, region_path: str) -> Q:
    """Rows whose region at `region_path` this person writes (a national one: None)."""
    regions = [r.pk for r in Region.objects.all() if permissions.can_edit_region(user, r.pk)]
    where = Q(**{f"{region_path}__in": regions})
    if permissions.can_edit_region(user, None):
        where |= Q(**{f"{region_path}__isnull": True})
    return where


def check_review(user, candidate: Candidate) -> None:
    """Refuse (PermissionDenied) unless this person may decide on `candidate`."""
    if not permissions.is_editor(user):
        raise PermissionDenied("Seul un éditeur examine les candidats.")
    touched = candidate.touched()
    if touched is not None and not permissions.can_edit_region(user, touched.region_id):
        raise PermissionDenied(
            f"« {touched.title} », que cette décision archiverait, n’est pas dans votre "
            "périmètre : un éditeur de sa région (ou de l’équipe nationale) en décide."
        )
    if not permissions.can_edit_region(user, candidate.scope_region_id()):
        raise PermissionDenied("Ce candidat n’est pas dans votre périmètre.")


def _locked_open(candidate: Candidate) -> Candidate:
    # Of two editors who decide at once, the second waits here, then finds
    # the candidate decided: one resource is published, never two.
    fresh = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if not fresh.is_open():
        raise AlreadyDecided(candidate.pk)
    return fresh


def accept_candidate(candidate: Candidate, resource: Resource, user, group: str = "") -> Resource:
    """Publish a new document or a new version; archive what it replaces.

    `resource` is the unsaved resource the editor completed. A successor
    takes its predecessor's places in the sommaire and links to it
    ("remplace" / "remplacé par"); anything else goes to the candidate's
    section, under `group`. PermissionDenied unless `user` may write the
    resource as it will be saved and the predecessor it archives;
    AlreadyDecided if someone decided first.
    """
    check_review(user, candidate)
    permissions.check_resource_write(user, resource)
    with transaction.atomic():
        section = candidate.section
        candidate = _locked_open(candidate)
        check_review(user, candidate)  # the predecessor as it is now, under the lock
        candidate.section = section
        now = timezone.now()
        old = candidate.touched()
        resource.replaces = old
        resource.added_at = resource.changed_at = now
        resource._history_user = user
        resource.save()
        if old is not None:
            places = [(p.section_id, p.group, p.order) for p in old.placements.all()]
            _archive(old, user, now)
            CatalogEvent.record(CatalogEvent.Kind.REPLACED, resource, previous=old)
        else:
            last = Placement.objects.filter(section=section).aggregate(models.Max("order"))
            places = [(section.pk, group, (last["order__max"] or 0) + 1)]
            CatalogEvent.record(CatalogEvent.Kind.ADDED, resource)
        for section_id, place_group, order in places:
            placement = Placement(
                resource=resource, section_id=section_id, group=place_group, order=order
            )
            placement._history_user = user
            placement.save()
        candidate.resource = resource
        candidate._decide(Candidate.Status.ACCEPTED, user, "resource")
    return resource


def accept_removal(candidate: Candidate, user) -> None:
    """A document gone from its page: archive it (never delete it)."""
    check_review(user, candidate)
    with transaction.atomic():
        candidate = _locked_open(candidate)
        check_review(user, candidate)
        resource = candidate.resource
        if resource is not None and not resource.is_archived():
            _archive(resource, user, timezone.now())
            CatalogEvent.record(CatalogEvent.Kind.ARCHIVED, resource)
        candidate._decide(Candidate.Status.ACCEPTED, user)


def dismiss_candidate(candidate: Candidate, user, reason: str = "") -> None:
    """Never propose this document again (for this change); `reason` says why."""
    check_review(user, candidate)
    with transaction.atomic():
        _locked_open(candidate).dismiss(user, reason)


def snooze_candidate(candidate: Candidate, user, days: int = 7, until=None) -> None:
    """Out of the queue until `until` (a moment), or for `days` days."""
    check_review(user, candidate)
    with transaction.atomic():
        _locked_open(candidate).snooze(days, user, until)


def _archive(resource: Resource, user, now) -> None:
    resource.status, resource.changed_at = Resource.Status.ARCHIVED, now
    resource._history_user = user
    resource.save(update_fields=["status", "changed_at"])


def load_sources(items: list[PackSource]) -> list[str]:
    """Create or update the pack's sources; return an outcome per source."""
    sections = {s.slug: s for s in Section.objects.all()}
    regions = {r.code: r for r in Region.objects.all()}
    outcomes = []
    for item in items:
        values = {
            "section": sections[item.section],
            "selector": item.selector,
            "interval": parse_interval(item.interval) if item.interval else default_interval(),
            "region": regions.get(item.region),
        }
        source = Source.objects.filter(url=item.url).first()
        if source is None:
            Source.objects.create(url=item.url, **values)
            outcomes.append("created")
            continue
        changed = [name for name, value in values.items() if getattr(source, name) != value]
        if changed:
            Source.objects.filter(pk=source.pk).update(**{n: values[n] for n in changed})
        outcomes.append("updated" if changed else "unchanged")
    return outcomes


def dump_sources() -> list[dict]:
    default = settings.WATCH_INTERVAL_MINUTES * 60
    rows = []
    for source in Source.objects.select_related("section", "region").order_by("pk"):
        row = {"url": source.url, "section": source.section.slug}
        if source.selector:
            row["selector"] = source.selector
        if source.interval.total_seconds() != default:
            row["interval"] = format_interval(source.interval)
        if source.region:
            row["region"] = source.region.code
        rows.append(row)
    return rows
