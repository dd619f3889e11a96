"""The editors' report: counts over time (an SVG chart and its table), by host,
the problems with their last error, and the same as CSV.
"""

import csv
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import urldefrag

from django.db import transaction
from django.utils import timezone

from sommaire.catalog.models import Resource
from sommaire.catalog.services import change_resource_url
from sommaire.editors import permissions
from sommaire.linkcheck.models import (
    FAILING,
    Link,
    RedirectAcceptance,
    Run,
    Status,
    french_date,
)
from sommaire.linkcheck.services import link_url

RUNS_SHOWN = 30
# One colour per status; the chart is never the only carrier of a number (table beside).
COLOURS = {
    Status.OK: "#18753c",
    Status.REDIRECTED: "#0063cb",
    Status.RESTRICTED: "#716043",
    Status.BROKEN: "#ce0500",
    Status.SOFT_404: "#a94645",
    Status.SERVER_ERROR: "#b34000",
    Status.TIMEOUT: "#8d533e",
    Status.UNREACHABLE: "#6a6af4",
    Status.TLS_ERROR: "#7d4e5b",
    Status.BLOCKED: "#3a3a3a",
    Status.REDIRECT_ERROR: "#695240",
}


@dataclass
class Problem:
    link: Link
    resources: list[Resource] = field(default_factory=list)
    # Resources at this address that the reader of the report may not change.
    outside: int = 0

    @property
    def since(self):
        return self.link.first_failure_at or self.link.last_checked_at

    @property
    def acceptable(self) -> bool:
        """A permanent redirect an editor can take as the resources' new URL."""
        return self.link.has_moved() and bool(self.resources) and not self.outside

    @property
    def known(self) -> bool:
        return self.link.is_known()


@dataclass
class Report:
    runs: list[Run]
    totals: Counter
    by_host: list[tuple[str, Counter]]
    problems: list[Problem]

    @classmethod
    def build(cls, in_scope=None) -> "Report":
        """The report; `in_scope` (a resource queryset) keeps the problems of those resources."""
        links = list(Link.objects.exclude(status=""))
        runs = list(
            Run.objects.filter(outcome__in=[Run.Outcome.DONE, Run.Outcome.NETWORK_DOWN]).order_by(
                "-started_at"
            )[:RUNS_SHOWN]
        )[::-1]
        hosts: dict[str, Counter] = defaultdict(Counter)
        for link in links:
            hosts[link.host][link.status] += 1
        by_host = sorted(hosts.items(), key=lambda item: (-_problems(item[1]), item[0]))
        return cls(
            runs=runs,
            totals=Counter(link.status for link in links),
            by_host=by_host,
            problems=_problems_of(links, in_scope),
        )

    def statuses(self) -> list[tuple[str, str]]:
        """(status, label) of every status this report has a number for, in order."""
        seen = set(self.totals)
        for run in self.runs:
            seen.update(run.counts)
        return [(s.value, s.label) for s in Status if s.value in seen]

    def chart(self) -> dict:
        return status_chart(self.runs, self.statuses())


def _problems(counts: Counter) -> int:
    return sum(n for status, n in counts.items() if status in FAILING)


def _problems_of(links: list[Link], in_scope=None) -> list[Problem]:
    wanted = {
        link.url: Problem(link)
        for link in links
        if link.is_failing() or link.status == Status.RESTRICTED or link.has_moved()
    }
    mine = None if in_scope is None else set(in_scope.values_list("pk", flat=True))
    fields = ("pk", "key", "title", "url", "region_id", "status")
    for resource in Resource.objects.only(*fields).order_by("title"):
        problem = wanted.get(link_url(resource.url))
        if problem is None:
            continue
        if mine is None or resource.pk in mine:
            problem.resources.append(resource)
        else:
            problem.outside += 1
    shown = [p for p in wanted.values() if p.resources or mine is None]
    return sorted(
        shown,
        key=lambda p: (
            p.known,
            not p.link.is_confirmed_broken(),
            p.link.status == Status.REDIRECTED,
            p.link.url,
        ),
    )


def status_chart(runs: list[Run], statuses: list[tuple[str, str]]) -> dict:
    """Stacked bars, one per run, drawn server-side; the template writes the SVG."""
    width, height, left, bottom, top = 640, 240, 40, 24, 8
    most = max([sum(run.counts.values()) for run in runs] or [0]) or 1
    slot = (width - left) / max(len(runs), 1)
    bar = max(min(slot * 0.7, 40), 2)
    scale = (height - bottom - top) / most
    bars = []
    for index, run in enumerate(runs):
        x = left + index * slot + (slot - bar) / 2
        y = height - bottom
        segments = []
        for status, label in statuses:
            count = run.counts.get(status, 0)
            if not count:
                continue
            h = count * scale
            y -= h
            segments.append(
                {
                    "y": round(y, 1),
                    "h": round(h, 1),
                    "colour": COLOURS[status],
                    "label": label,
                    "count": count,
                }
            )
        bars.append(
            {
                "x": round(x, 1),
                "width": round(bar, 1),
                "date": french_date(run.started_at),
                "network_down": run.outcome == Run.Outcome.NETWORK_DOWN,
                "segments": segments,
            }
        )
    return {
        "width": width,
        "height": height,
        "baseline": height - bottom,
        "left": left,
        "most": most,
        "bars": bars,
        "legend": [{"label": label, "colour": COLOURS[s]} for s, label in statuses],
        "description": _describe(runs, statuses),
    }


def _describe(runs: list[Run], statuses: list[tuple[str, str]]) -> str:
    if not runs:
        return "Aucune vérification n’a encore eu lieu."
    last = runs[-1]
    parts = [f"{last.counts[s]} {label}" for s, label in statuses if last.counts.get(s)]
    period = f"du {french_date(runs[0].started_at)} au {french_date(last.started_at)}"
    return (
        f"Nombre de liens par état pour les {len(runs)} dernières vérifications, {period}. "
        f"Dernière vérification : {', '.join(parts) or 'aucun lien'}."
    )


CSV_FIELDS = [
    "url",
    "status",
    "http_status",
    "final_url",
    "permanent",
    "content_type",
    "error",
    "first_failure_at",
    "consecutive_failures",
    "confirmed_broken",
    "last_checked_at",
    "last_ok_at",
    "resources",
]


def report_csv() -> str:
    """Every checked link with its state and the keys of the resources that use it."""
    users: dict[str, list[str]] = defaultdict(list)
    for key, url in Resource.objects.values_list("key", "url").order_by("key"):
        users[link_url(url)].append(key)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_FIELDS)
    for link in Link.objects.exclude(status="").order_by("url"):
        writer.writerow(
            [
                link.url,
                link.status,
                link.http_status or "",
                link.final_url,
                "oui" if link.permanent else "non",
                link.content_type,
                link.error,
                _iso(link.first_failure_at),
                link.consecutive_failures,
                "oui" if link.is_confirmed_broken() else "non",
                _iso(link.last_checked_at),
                _iso(link.last_ok_at),
                " ".join(users.get(link.url, [])),
            ]
        )
    return out.getvalue()


def _iso(moment) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else ""


# --- one-click acceptance of a permanent redirect -----------------------------------


class NotAcceptable(Exception):
    """The redirect cannot be taken as the new URL; the message says why, in French."""


@transaction.atomic
def accept_redirect(link: Link, user) -> list[RedirectAcceptance]:
    """Every resource at `link` now points where it permanently moved; recorded.

    All or nothing, and only within `user`'s scope: a link shared by a
    national resource and a regional one is accepted by someone who may
    write both, never half-way by someone who may write one.
    """
    if not link.has_moved():
        raise NotAcceptable("ce lien n’est pas redirigé de façon permanente")
    resources = [
        r for r in Resource.objects.filter(url__startswith=link.url) if link_url(r.url) == link.url
    ]
    if not resources:
        raise NotAcceptable("aucune ressource n’utilise plus cette adresse")
    outside = [r for r in resources if not permissions.can_edit_region(user, r.region_id)]
    if outside:
        titles = ", ".join(f"« {r.title} »" for r in outside)
        raise NotAcceptable(
            f"cette adresse sert aussi à {titles}, hors de votre périmètre : un éditeur qui "
            "peut les modifier doit accepter la nouvelle adresse"
        )
    accepted = []
    for resource in resources:
        fragment = urldefrag(resource.url)[1]
        new_url = link.final_url + (f"#{fragment}" if fragment else "")
        if Resource.objects.filter(url=new_url).exclude(pk=resource.pk).exists():
            raise NotAcceptable(f"l’adresse {new_url} est déjà celle d’une autre ressource")
        old_url = resource.url
        change_resource_url(resource, new_url, user, "redirection permanente acceptée")
        accepted.append(
            RedirectAcceptance.objects.create(
                resource=resource, old_url=old_url, new_url=new_url, accepted_by=user
            )
        )
    _carry_state(link)
    return accepted


def _carry_state(link: Link) -> None:
    """The new address answered at the last check: readers keep "vérifié le …"."""
    Link.objects.update_or_create(
        url=link_url(link.final_url),
        defaults={
            "status": Status.OK,
            "http_status": link.http_status,
            "final_url": link.final_url,
            "permanent": False,
            "content_type": link.content_type,
            "content_length": link.content_length,
            "error": "",
            "first_failure_at": None,
            "consecutive_failures": 0,
            "last_checked_at": link.last_checked_at,
            "last_ok_at": link.last_ok_at,
        },
    )
