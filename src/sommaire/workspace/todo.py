"""What waits for a person, in their scope: the "À traiter" list of the dashboard.

Each entry is a label, a count and the address of the work it counts. The
queries stay few and small whatever the size of the catalog: the link counts
start from the few links in trouble (indexes on the link table) and look up
the resources at those addresses by their unique URL; nothing scans every
resource or every link.

Reader reports, once they exist, join `todo()` as one more entry.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from sommaire.catalog.models import CatalogEvent, Resource
from sommaire.dossiers.services import notices_for_editor
from sommaire.editors import permissions
from sommaire.linkcheck.models import CONFIRMATION_DELAY, FAILING, Link, Run, Status
from sommaire.linkcheck.services import link_url, open_reports
from sommaire.watch import services
from sommaire.watch.models import Candidate

UNVERIFIED_DAYS = 14
UNVERIFIED_SHOWN = 50


@dataclass(frozen=True)
class Todo:
    label: str
    count: int
    url: str


def candidates_by_change(user) -> dict[str, int]:
    """Open candidates of this person's scope, counted by change, in one query."""
    rows = (
        services.reviewable(user, Candidate.objects.open())
        .values_list("change")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return dict(rows)


def scoped_resources(user):
    return permissions.editable_resources(user).filter(status=Resource.Status.ACTIVE)


def _troubled(since) -> QuerySet[Link]:
    """The links in trouble: confirmed broken, moved for good, or not reached since `since`.

    Few among all, found through the indexes on status and last_ok_at.
    """
    broken = Q(
        status__in=FAILING,
        consecutive_failures__gte=2,
        last_checked_at__gte=F("first_failure_at") + CONFIRMATION_DELAY,
    )
    moved = Q(status=Status.REDIRECTED, permanent=True) & ~Q(final_url="")
    stale = Q(last_ok_at__lt=since) | Q(last_ok_at__isnull=True, status__in=FAILING)
    fields = ("url", "status", "permanent", "final_url", "consecutive_failures")
    dates = ("first_failure_at", "last_checked_at", "last_ok_at", "known_until")
    return Link.objects.filter(broken | moved | stale).only(*fields, *dates)


def _what_is_wrong(links, today, since) -> dict[str, set[str]]:
    """By URL: "broken", "moved", "stale" (no check reached it since `since`).

    A problem an editor marked known is neither broken nor moved until its
    date, but still stale.
    """
    troubled: dict[str, set[str]] = {}
    for link in links:
        what = troubled.setdefault(link.url, set())
        never_ok = link.last_ok_at is None and link.is_failing()
        if never_ok or link.last_ok_at is not None and link.last_ok_at < since:
            what.add("stale")
        if link.is_known(today):
            continue
        if link.has_moved():
            what.add("moved")
        elif link.is_confirmed_broken():
            what.add("broken")
    return troubled


def _resources_at(user, links: list[Link]) -> list[tuple[str, Resource]]:
    """(address, resource) for this person's active resources at the addresses of `links`.

    Raw SQL, because the ORM cannot join on an expression: each link finds
    its resources by the unique index on Resource.url, at the exact address
    or at the address followed by a #fragment ("u#" <= url < "u$", a range
    of the index under the byte order of SQLite and of PostgreSQL's C
    collation; the Python check below drops anything else). Asked with IN
    or OR over the addresses instead, both planners read every resource.
    The links are named by id, already chosen; the scope and the status are
    checked on the rows found.
    """
    ids = [link.pk for link in links] or [None]  # IN (NULL): no row, the same statement
    marks = ", ".join(["%s"] * len(ids))
    select = (
        "SELECT r.id, r.key, r.title, r.url, r.region_id, r.status, t.url AS address "
        f"FROM (SELECT url FROM {Link._meta.db_table} WHERE id IN ({marks})) t "
        f"JOIN {Resource._meta.db_table} r ON "
    )
    sql = (
        f"{select} r.url = t.url UNION ALL {select} r.url >= t.url || '#' AND r.url < t.url || '$'"
    )
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # The planner guesses millions of rows for the range join (it finds a
            # few) and would spend 100 ms compiling it with JIT: not for this one.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        found = list(Resource.objects.raw(sql, [*ids, *ids]))
    mine = [
        (r.address, r)
        for r in found
        if r.status == Resource.Status.ACTIVE
        and permissions.can_edit_region(user, r.region_id)
        and link_url(r.url) == r.address
    ]
    return sorted(mine, key=lambda pair: pair[1].title)


def _checked_lately(since) -> bool:
    """Has a check of every link (not of one section) run since `since` and reached the
    network? One that found the network down verified nothing."""
    runs = Run.objects.filter(scope="", outcome=Run.Outcome.DONE, started_at__gte=since)
    return runs.exists()


def unverified(user) -> tuple[int, list[Resource]]:
    """How many of this person's active resources no check reached in UNVERIFIED_DAYS, and
    the first of them. Before any full check in that time, all of them."""
    since = timezone.now() - timedelta(days=UNVERIFIED_DAYS)
    if not _checked_lately(since):
        everything = scoped_resources(user).only("key", "title", "url").order_by("title")
        return everything.count(), list(everything[:UNVERIFIED_SHOWN])
    stale = _troubled(since).filter(Q(last_ok_at__lt=since) | Q(last_ok_at__isnull=True))
    found = [resource for _, resource in _resources_at(user, list(stale))]
    return len(found), found[:UNVERIFIED_SHOWN]


def link_counts(user) -> tuple[int, int, int]:
    """(links confirmed broken, links moved for good, resources not verified lately),
    over this person's active resources."""
    since = timezone.now() - timedelta(days=UNVERIFIED_DAYS)
    links = list(_troubled(since))
    troubled = _what_is_wrong(links, timezone.localdate(), since)
    used = _resources_at(user, links)
    broken = {address for address, _ in used if "broken" in troubled[address]}
    moved = {address for address, _ in used if "moved" in troubled[address]}
    if _checked_lately(since):
        stale = sum(1 for address, _ in used if "stale" in troubled[address])
    else:
        stale = scoped_resources(user).count()
    return len(broken), len(moved), stale


def changed_documents(user):
    """Resources of this person whose document text changed since an editor last read it.

    From the "updated" events (few) to the resources, never the reverse: a
    planner starting from the resources of a scope would read tens of thousands.
    """
    updated: dict[int, object] = {}
    events = CatalogEvent.objects.filter(kind=CatalogEvent.Kind.UPDATED)
    for resource_id, at in events.values_list("resource_id", "at"):
        updated[resource_id] = max(at, updated.get(resource_id, at))
    candidates = scoped_resources(user).filter(pk__in=list(updated))
    read = dict(candidates.values_list("pk", "document__reviewed_at"))
    unread = [pk for pk, reviewed in read.items() if reviewed is None or reviewed < updated[pk]]
    return scoped_resources(user).filter(pk__in=unread)


def todo(user) -> list[Todo]:
    broken, moved, unverified = link_counts(user)
    candidates = candidates_by_change(user)
    queue = "/gestion/candidats/?change="
    new, version, removed = (candidates.get(c, 0) for c in ("new", "version", "removed"))
    return [
        Todo("Nouvelles publications proposées par la veille", new, f"{queue}new"),
        Todo("Nouvelles versions proposées", version, f"{queue}version"),
        Todo("Documents retirés de leur page officielle", removed, f"{queue}removed"),
        Todo("Liens cassés (confirmés)", broken, "/gestion/liens/"),
        Todo("Redirections permanentes à adopter", moved, "/gestion/liens/"),
        Todo(
            "Documents dont le texte a changé depuis leur dernière lecture",
            changed_documents(user).count(),
            "/gestion/documents/",
        ),
        Todo(
            f"Ressources non vérifiées depuis {UNVERIFIED_DAYS} jours",
            unverified,
            "/gestion/liens/#non-verifiees",
        ),
        Todo(
            "Liens signalés cassés par des lecteurs",
            open_reports(permissions.editable_resources(user)).count(),
            "/gestion/liens/#signalements",
        ),
        Todo(
            "Documents de vos dossiers remplacés, retirés ou au lien cassé",
            len(notices_for_editor(user)),
            "/gestion/dossiers/#a-traiter",
        ),
    ]
