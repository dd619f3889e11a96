"""A resource's history beyond its own row: where it stood in the sommaire.

Placements keep their own history (`Placement.history`). The back-office
reads it to list a resource's placement changes next to its own, to show
where it stood at an old version, and to put it back there when an editor
reverts to that version.
"""

from dataclasses import dataclass
from datetime import datetime
from math import inf

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone
from django.utils.formats import date_format

from sommaire.catalog.models import Placement, Resource, Section


@dataclass(frozen=True)
class Standing:
    """A resource standing in one section, under a group, at a position."""

    section_id: int
    section: Section | None  # None once the section has been deleted
    title: str
    group: str
    order: int


@dataclass(frozen=True)
class PlacementChange:
    """One line of a resource's placement history, as an editor reads it."""

    date: datetime
    user: AbstractBaseUser | None  # None: a job or a pack load
    section: str
    change: str
    reason: str


def reverted_to(version) -> str:
    """The reason kept with every record a revert to `version` writes."""
    when = date_format(timezone.localtime(version.history_date), "j F Y à H:i")
    return f"retour à la version du {when}"


def placements_at(version) -> list[Standing]:
    """Where a resource stood at `version`, one of its historical records.

    A version stands until the resource's next record. The admin saves a
    resource before the placements edited with it, so those are recorded just
    after the version itself and belong to it.
    """
    records = Placement.history.filter(resource_id=version.id)
    following = version.next_record
    if following is not None:
        records = records.filter(history_date__lt=following.history_date)
    latest = [record for record in records.latest_of_each() if record.history_type != "-"]
    ids = {record.section_id for record in latest}
    sections, titles = Section.objects.in_bulk(ids), _section_titles(ids)
    standings = [
        Standing(r.section_id, sections.get(r.section_id), titles[r.section_id], r.group, r.order)
        for r in latest
    ]
    return sorted(standings, key=lambda s: (s.section.order if s.section else inf, s.order))


def placements_at_revision(resource: Resource, revision: int) -> list[Standing] | None:
    """Where `resource` stood when it was at `revision` (None: no history says)."""
    version = (
        resource.history.filter(revision__lte=revision)
        .order_by("-revision", "-history_date", "-history_id")
        .first()
    )
    return None if version is None else placements_at(version)


def sections_left_since(resource_id: int, standings: list[Standing]) -> list[Section]:
    """The sections a resource stands in now but not in `standings`."""
    kept = [standing.section_id for standing in standings]
    return list(Section.objects.filter(placements__resource_id=resource_id).exclude(pk__in=kept))


def restore_placements(resource: Resource, version, user) -> list[Standing]:
    """Put `resource` back where it stood at `version`, recorded as done by `user`.

    Placements are matched by section (a resource stands once in a section):
    those added since are removed, those removed since come back, and the
    group and order of the others are restored. A placement without any
    history (written behind the models' back) is left alone: nothing says it
    came after `version`. Returns the placements that could not come back
    because their section has been deleted.
    """
    wanted = {standing.section_id: standing for standing in placements_at(version)}
    recorded = set(Placement.history.filter(resource_id=resource.pk).values_list("id", flat=True))
    reason = reverted_to(version)
    for placement in resource.placements.all():
        then = wanted.pop(placement.section_id, None)
        placement._history_user, placement._change_reason = user, reason
        if then is None:
            if placement.pk in recorded:
                placement.delete()
        elif (placement.group, placement.order) != (then.group, then.order):
            placement.group, placement.order = then.group, then.order
            placement.save(update_fields=["group", "order"])
    for then in wanted.values():
        if then.section is not None:
            placement = Placement(
                resource=resource, section=then.section, group=then.group, order=then.order
            )
            placement._history_user, placement._change_reason = user, reason
            placement.save()
    return [then for then in wanted.values() if then.section is None]


def placement_changes(resource_id: int) -> list[PlacementChange]:
    """Every recorded change to where a resource stands, newest first."""
    records = (
        Placement.history.filter(resource_id=resource_id)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    titles = _section_titles({record.section_id for record in records})
    previous, changes = {}, []
    for record in records:
        before = previous.get(record.id)
        previous[record.id] = record
        change = _described(record, before, titles)
        if change:
            changes.append(
                PlacementChange(
                    record.history_date,
                    record.history_user,
                    titles[record.section_id],
                    change,
                    record.history_change_reason or "",
                )
            )
    return changes[::-1]


def _described(record, before, titles: dict[int, str]) -> str:
    """What one record did, in French; empty when it changed nothing shown."""
    group = f"groupe « {record.group} »" if record.group else "sans groupe"
    where = f"{group}, ordre {record.order}"
    if record.history_type == "+":
        return f"ajouté ({where})"
    if record.history_type == "-":
        return f"retiré ({where})"
    if before is None:
        return f"modifié ({where})"
    shown = {
        "section": lambda r: titles[r.section_id],
        "groupe": _group,
        "ordre": lambda r: str(r.order),
    }
    moves = [
        f"{label} : {show(before)} → {show(record)}"
        for label, show in shown.items()
        if show(before) != show(record)
    ]
    return f"modifié ({', '.join(moves)})" if moves else ""


def _group(record) -> str:
    return f"« {record.group} »" if record.group else "aucun"


def _section_titles(section_ids: set[int]) -> dict[int, str]:
    """Section titles; a section deleted since goes by its last recorded title."""
    titles = dict(Section.objects.filter(pk__in=section_ids).values_list("pk", "title"))
    gone = Section.history.filter(id__in=section_ids - titles.keys()).latest_of_each()
    titles.update((record.id, f"{record.title} (section supprimée)") for record in gone)
    return {pk: titles.get(pk, "(section supprimée)") for pk in section_ids}
