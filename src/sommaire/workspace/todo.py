"""What waits for a person, in their scope: the "À traiter" list of the dashboard.

Each entry is one function of the person that returns its count; the page
links each count to the work it counts. The number of queries does not grow
with the catalog: each count is one aggregate (the link counts share one
reading of the problem links and one of the resources that use them).

Reader reports, once they exist, join TODO as one more function.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce, Left, StrIndex
from django.utils import timezone

from sommaire.catalog.models import CatalogEvent, Resource
from sommaire.editors import permissions
from sommaire.linkcheck.models import CONFIRMATION_DELAY, FAILING, Link, Status
from sommaire.watch.models import Candidate

UNVERIFIED_DAYS = 14


@dataclass(frozen=True)
class Todo:
    label: str
    count: int
    url: str


def candidates_by_change(user) -> dict[str, int]:
    """Open candidates of this person's scope, counted by change, in one query."""
    rows = (
        permissions.in_scope(user, Candidate.objects.open())
        .values_list("change")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return dict(rows)


def address_without_fragment():
    """A resource's URL as the link checker keys it: without its #fragment."""
    return Case(
        When(url__contains="#", then=Left("url", StrIndex("url", Value("#")) - 1)),
        default=F("url"),
        output_field=CharField(),
    )


def scoped_resources(user):
    return permissions.editable_resources(user).filter(status=Resource.Status.ACTIVE)


def link_problems(user) -> tuple[int, int]:
    """(links confirmed broken, links moved for good) used by this person's resources.

    Problems marked known until a day not yet past are left out.
    """
    today = timezone.localdate()
    broken = Q(
        status__in=FAILING,
        consecutive_failures__gte=2,
        last_checked_at__gte=F("first_failure_at") + CONFIRMATION_DELAY,
    )
    moved = Q(status=Status.REDIRECTED, permanent=True) & ~Q(final_url="")
    problems = (
        Link.objects.filter(broken | moved)
        .exclude(known_until__gte=today)
        .values_list("url", "status")
    )
    kinds = {url: status != Status.REDIRECTED for url, status in problems}
    used = set(
        scoped_resources(user)
        .annotate(address=address_without_fragment())
        .filter(address__in=list(kinds))
        .values_list("address", flat=True)
    )
    broken_count = sum(1 for url in used if kinds[url])
    return broken_count, len(used) - broken_count


def unverified(user):
    """Active resources of this person whose address no check reached in UNVERIFIED_DAYS."""
    since = timezone.now() - timedelta(days=UNVERIFIED_DAYS)
    recent = Link.objects.filter(url=OuterRef("address"), last_ok_at__gte=since)
    return (
        scoped_resources(user).annotate(address=address_without_fragment()).filter(~Exists(recent))
    )


def changed_documents(user):
    """Resources of this person whose document text changed since an editor last read it."""
    epoch = timezone.now().replace(year=2000)
    updates = CatalogEvent.objects.filter(
        resource=OuterRef("pk"),
        kind=CatalogEvent.Kind.UPDATED,
        at__gt=Coalesce(OuterRef("document__reviewed_at"), epoch),
    )
    return scoped_resources(user).filter(Exists(updates))


def todo(user) -> list[Todo]:
    broken, moved = link_problems(user)
    candidates = candidates_by_change(user)
    queue = "/gestion/candidats/?change="
    return [
        Todo(
            "Nouvelles publications proposées par la veille",
            candidates.get("new", 0),
            f"{queue}new",
        ),
        Todo("Nouvelles versions proposées", candidates.get("version", 0), f"{queue}version"),
        Todo(
            "Documents retirés de leur page officielle",
            candidates.get("removed", 0),
            f"{queue}removed",
        ),
        Todo("Liens cassés (confirmés)", broken, "/gestion/liens/"),
        Todo("Redirections permanentes à adopter", moved, "/gestion/liens/"),
        Todo(
            "Documents dont le texte a changé depuis leur dernière lecture",
            changed_documents(user).count(),
            "/gestion/documents/",
        ),
        Todo(
            f"Ressources non vérifiées depuis {UNVERIFIED_DAYS} jours",
            unverified(user).count(),
            "/gestion/liens/#non-verifiees",
        ),
    ]
