"""The link checker's public functions: what the command, the dashboard and the
public pages call.

A run: `catalog_targets` lists the URLs to check (each URL once, whatever
number of resources use it), `check_targets` fetches them through
`sommaire.fetch.client` and classifies each answer, `record_run` writes the
new states and the history in one transaction, unless the whole network was
down, in which case no link changes state.
"""

import asyncio
from collections import Counter, deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from email.utils import parsedate_to_datetime
from typing import TypeVar
from urllib.parse import urldefrag, urlsplit

from django.db import DatabaseError, connection, models, transaction
from django.db.models import Q
from django.utils import timezone

from sommaire.catalog.models import (
    CatalogState,
    Contact,
    Deadline,
    Format,
    Publisher,
    Resource,
    Section,
)
from sommaire.fetch.client import FetchConfig, Fetcher, FetchResult, Validators
from sommaire.linkcheck.classify import SNIFF_BYTES, classify, needs_get
from sommaire.linkcheck.models import Check, Link, LinkReport, Run, RunLock, french_date

T = TypeVar("T")
UNCHECKED_SCHEMES = {"mailto", "tel"}
STATE_FIELDS = [
    "status",
    "http_status",
    "final_url",
    "permanent",
    "content_type",
    "content_length",
    "etag",
    "last_modified",
    "error",
    "first_failure_at",
    "consecutive_failures",
    "last_checked_at",
    "last_ok_at",
]


class RunInProgress(Exception):
    """Another check-links run holds the lock."""


def link_url(url: str) -> str:
    """The address fetched for a catalog URL: the same document whatever its #fragment."""
    return urldefrag(url.strip())[0]


@dataclass(frozen=True)
class Target:
    url: str
    expects_document: bool = False


@dataclass
class Outcome:
    """One URL checked: the fields of a JSON line, and what the state needs besides."""

    url: str
    status: str
    http_status: int | None
    final_url: str
    permanent: bool
    content_type: str
    elapsed_ms: int
    error: str
    content_length: int | None = None
    etag: str = ""
    last_modified: str = ""
    not_modified: bool = False
    network_level: bool = False

    JSON_FIELDS = (
        "url",
        "status",
        "http_status",
        "final_url",
        "permanent",
        "content_type",
        "elapsed_ms",
        "error",
    )

    @classmethod
    def of(cls, target: Target, result: FetchResult) -> "Outcome":
        status, error = classify(result, target.expects_document)
        validators = result.validators
        return cls(
            url=target.url,
            status=status,
            http_status=result.status,
            final_url=result.final_url,
            permanent=result.permanent,
            content_type=result.content_type,
            elapsed_ms=result.elapsed_ms,
            error=error,
            content_length=result.size,
            etag=validators.etag,
            last_modified=validators.last_modified,
            not_modified=result.not_modified,
            network_level=result.network_level,
        )

    def as_json(self) -> dict:
        # Not dataclasses.asdict: it deep-copies every field, 10,000 times a run.
        return {name: getattr(self, name) for name in self.JSON_FIELDS}


# --- what to check ---------------------------------------------------------------


def catalog_targets(section_slug: str | None = None) -> list[Target]:
    """Every URL of the catalog (or of one section and its subsections), once each."""
    resources = Resource.objects.all()
    if section_slug:
        resources = resources.filter(placements__section__in=_subtree(section_slug)).distinct()
    expects: dict[str, bool] = {}
    is_file: dict[str | None, bool] = {}  # per format, not a Format object per resource
    for url, format_slug in resources.values_list("url", "format__slug"):
        if format_slug not in is_file:
            is_file[format_slug] = Format(slug=format_slug).is_file()
        _add(expects, url, is_file[format_slug])
    if not section_slug:
        for url in Publisher.objects.exclude(url="").values_list("url", flat=True):
            _add(expects, url, False)
        # Contacts' sites and the official pages contacts and deadlines were found on.
        for url, source in Contact.objects.values_list("url", "source"):
            for address in (url, source):
                if address:
                    _add(expects, address, False)
        for source in Deadline.objects.exclude(source="").values_list("source", flat=True):
            _add(expects, source, False)
    return [Target(url, document) for url, document in expects.items()]


def _add(expects: dict[str, bool], url: str, document: bool) -> None:
    if urlsplit(url).scheme.lower() in UNCHECKED_SCHEMES:
        return
    key = link_url(url)
    expects[key] = expects.get(key, False) or document


def _subtree(slug: str) -> list[int]:
    """Ids of a section and all its descendants; a missing slug raises DoesNotExist."""
    root = Section.objects.get(slug=slug)
    children: dict[int | None, list[int]] = {}
    for pk, parent in Section.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    ids, todo = [], [root.pk]
    while todo:
        pk = todo.pop()
        if pk not in ids:
            ids.append(pk)
            todo.extend(children.get(pk, []))
    return ids


# --- checking --------------------------------------------------------------------


async def check_targets(
    targets: Iterable[Target],
    *,
    config: FetchConfig | None = None,
    validators: dict[str, Validators] | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
    **fetcher_options,
) -> list[Outcome]:
    """Fetch and classify every target; politeness and limits are the fetcher's.

    Each host gets as many workers as it may have requests in flight, each
    taking that host's next URL when done: a task per URL would keep 10,000
    coroutines waiting on a few gates, and the garbage collector walking them
    costs more than the checks.
    """
    validators = validators or {}
    outcomes: list[Outcome] = []
    queues: dict[str, deque[Target]] = {}
    for target in targets:
        queues.setdefault(_host(target.url), deque()).append(target)

    async def work(fetcher: Fetcher, queue: deque[Target]) -> None:
        while queue:
            await check(fetcher, queue.popleft())

    async def check(fetcher: Fetcher, target: Target) -> None:
        conditional = validators.get(target.url)
        if target.expects_document:
            result = await fetcher.head_then_get(
                target.url, conditional=conditional, needs_get=needs_get, max_bytes=SNIFF_BYTES
            )
        else:
            # A page is judged on its content (an error page that answers 200),
            # so HEAD would be a wasted request: GET the first bytes only.
            result = await fetcher.fetch(
                target.url, "GET", conditional=conditional, max_bytes=SNIFF_BYTES
            )
        outcome = Outcome.of(target, result)
        outcomes.append(outcome)
        if on_outcome is not None:
            on_outcome(outcome)

    async with Fetcher(config, **fetcher_options) as fetcher:
        per_host = fetcher.config.per_host
        await asyncio.gather(
            *(
                work(fetcher, queue)
                for queue in queues.values()
                for _ in range(min(per_host, len(queue)))
            )
        )
    return outcomes


def _host(url: str) -> str:
    """The host a URL's requests queue for; a URL too broken to say shares one queue."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def stored_validators(urls: Iterable[str]) -> dict[str, Validators]:
    """ETag and Last-Modified from the last good check, for conditional requests."""
    wanted = set(urls)
    links = Link.objects.filter(Q(etag__gt="") | Q(last_modified__gt=""))
    return {
        url: Validators(etag, last_modified)
        for url, etag, last_modified in links.values_list("url", "etag", "last_modified")
        if url in wanted
    }


# --- recording -------------------------------------------------------------------


def start_run(scope: str = "") -> Run:
    """A new run holding the lock; RunInProgress if another one holds it."""
    run = Run.objects.create(scope=scope)
    if not RunLock.claim(run):
        run.delete()
        raise RunInProgress("une vérification des liens est déjà en cours")
    return run


async def holding_lock(run: Run | None, work: Awaitable[T]) -> T:
    """Await `work` while renewing the run's lock, so it never lapses under a live run."""
    if run is None:
        return await work
    every = RunLock.ttl().total_seconds() / 3
    renewer = asyncio.create_task(_keep_lock(run, every))
    try:
        return await work
    finally:
        renewer.cancel()


async def _keep_lock(run: Run, every: float) -> None:
    while True:
        await asyncio.sleep(every)
        await asyncio.to_thread(_renew_lock, run)


def _renew_lock(run: Run) -> None:
    # A worker thread of the event loop: its own connection, closed each time.
    try:
        RunLock.renew(run)
    except DatabaseError:
        pass  # the database is away; the next renewal tries again before the lock lapses
    finally:
        connection.close()


def abandon_run(run: Run) -> None:
    """An interrupted run: recorded as such, its lock released at once."""
    run.finish(Run.Outcome.FAILED, {})
    RunLock.release(run)


def network_is_down(outcomes: list[Outcome]) -> bool:
    """Every host failed before any HTTP exchange: our network, not the links."""
    return bool(outcomes) and all(outcome.network_level for outcome in outcomes)


def record_run(run: Run, outcomes: list[Outcome], now=None) -> str:
    """Write states and history; return the run's outcome. Releases the lock."""
    now = now or timezone.now()
    counts = dict(Counter(outcome.status for outcome in outcomes))
    run.url_count = len(outcomes)
    run.save(update_fields=["url_count"])
    try:
        if network_is_down(outcomes):
            run.finish(Run.Outcome.NETWORK_DOWN, counts)
            return run.outcome
        with transaction.atomic():
            visible_change = apply_outcomes(run, outcomes, now)
            Check.prune(now)
            if visible_change:
                # Public pages are cached under the catalog generation.
                CatalogState.bump()
        run.finish(Run.Outcome.DONE, counts)
        return run.outcome
    finally:
        RunLock.release(run)


def apply_outcomes(run: Run | None, outcomes: list[Outcome], now) -> bool:
    """New state for each link, one history row each; True if readers would see it."""
    links = _links_by_url({o.url for o in outcomes})
    new, changed, visible = [], [], False
    for outcome in outcomes:
        link = links.get(outcome.url)
        if link is None:
            link = links[outcome.url] = Link(url=outcome.url)
            new.append(link)
        else:
            changed.append(link)
        visible |= link.apply(outcome, now)
    _insert_many(Link, ["url", *STATE_FIELDS], new)
    _update_many(Link, STATE_FIELDS, changed)
    if new:
        ids = _link_ids({link.url for link in new})
        for link in new:
            link.pk = ids[link.url]
    history = [
        (
            links[o.url].pk,
            run,
            now,
            o.status,
            o.http_status,
            o.final_url[:2000],
            o.error[:500],
            o.elapsed_ms,
        )
        for o in outcomes
    ]
    _insert_rows(Check, HISTORY_FIELDS, history)
    return visible


HISTORY_FIELDS = [
    "link",
    "run",
    "checked_at",
    "status",
    "http_status",
    "final_url",
    "error",
    "elapsed_ms",
]
# Past this many URLs, one scan of the links table is cheaper than a query with
# a bound parameter per URL (and SQLite takes at most 999 of them per query).
SCAN_FROM = 500


def _links_by_url(urls: set[str]) -> dict[str, Link]:
    if len(urls) < SCAN_FROM:
        return Link.objects.in_bulk(list(urls), field_name="url")
    return {link.url: link for link in Link.objects.iterator(chunk_size=2000) if link.url in urls}


def _link_ids(urls: set[str]) -> dict[str, int]:
    if len(urls) < SCAN_FROM:
        rows = Link.objects.filter(url__in=urls).values_list("url", "pk")
    else:
        rows = Link.objects.values_list("url", "pk").iterator(chunk_size=2000)
    return {url: pk for url, pk in rows if url in urls}


# Why raw executemany: bulk_create and bulk_update compile one SQL statement per
# batch with a CASE per field and row; for 10,000 links that cost seconds of CPU,
# as much as fetching them. One prepared statement run for every row is what
# both SQLite and PostgreSQL (psycopg pipelines executemany) do fastest. Values
# still go through each field's get_db_prep_save, so time zones and types are
# Django's.


PLAIN_FIELDS = (models.CharField, models.IntegerField, models.BooleanField)


def _preparers(fields) -> list:
    """Per column, what makes a value the database driver's; None where it goes as it is.

    Decided once per column, not per value (a run prepares 40,000 values):
    text, numbers and booleans go as they are; a foreign key as its id (given
    as an id or an object); dates through the field (time zone handling differs
    between backends), once per value, since a run writes the same `now`
    20,000 times; anything else through the field.
    """
    memo = {}

    def through(field):
        def prepare(value):
            if value is None:
                return None
            key = (field.attname, value)
            if key not in memo:
                memo[key] = field.get_db_prep_save(value, connection)
            return memo[key]

        return prepare

    def preparer(field):
        if isinstance(field, models.ForeignKey):
            return _primary_key
        return None if isinstance(field, PLAIN_FIELDS) else through(field)

    return [preparer(field) for field in fields]


def _primary_key(value):
    return value.pk if isinstance(value, models.Model) else value


def _prepared(preparers: list, values) -> list:
    return [v if p is None else p(v) for p, v in zip(preparers, values, strict=True)]


def _insert_many(model, names: list[str], objects: list) -> None:
    fields = [model._meta.get_field(name) for name in names]
    _insert_rows(model, names, [[getattr(o, f.attname) for f in fields] for o in objects])


def _insert_rows(model, names: list[str], rows: list) -> None:
    """Rows of values in the order of `names`; a foreign key may be given as its object."""
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in names]
    qn = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        qn(model._meta.db_table),
        ", ".join(qn(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    preparers = _preparers(fields)
    rows = [_prepared(preparers, row) for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _update_many(model, names: list[str], objects: list) -> None:
    if not objects:
        return
    fields = [model._meta.get_field(name) for name in names]
    qn = connection.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        qn(model._meta.db_table),
        ", ".join(f"{qn(f.column)} = %s" for f in fields),
        qn(model._meta.pk.column),
    )
    preparers = _preparers(fields)
    rows = [[*_prepared(preparers, [getattr(o, f.attname) for f in fields]), o.pk] for o in objects]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


# --- what readers see ------------------------------------------------------------


@dataclass(frozen=True)
class LinkHealth:
    """What a public page shows beside a resource link."""

    href: str
    size: str = ""
    verified: str = ""
    broken: str = ""
    # "signalé indisponible depuis le 24 novembre 2026 (le document n’existe plus…)"
    unavailable: str = ""
    # The date the publisher's server gives the document (Last-Modified), when it does.
    published: str = ""

    @property
    def state(self) -> str:
        """Where the link stands, always said: unavailable, verified, or not yet verified."""
        return self.unavailable or self.verified or "pas encore vérifié"

    @property
    def suffix(self) -> str:
        """ " – 61,9 Ko – vérifié le 25 novembre 2026", to follow a link's format."""
        return "".join(f" – {part}" for part in (self.size, self.state) if part)

    def detail(self, format_label: str) -> str:
        """ "PDF – 61,9 Ko – vérifié le 25 novembre 2026", as DSFR download links say it."""
        return " – ".join(part for part in (format_label, self.size, self.state) if part)


def human_size(size: int | None) -> str:
    """A size as French readers write it: "850 octets", "61,9 Ko", "1,2 Mo"."""
    if not size:
        return ""
    if size < 1024:
        return f"{size} octets"
    for unit, factor in (("Ko", 1024), ("Mo", 1024**2), ("Go", 1024**3)):
        value = size / factor
        if value < 1024 or unit == "Go":
            return f"{value:.1f} {unit}".replace(".", ",").replace(",0 ", " ")
    return ""


def links_by_url() -> dict[str, Link]:
    """Every checked link, in one query: what a page needs for all its resources."""
    return {link.url: link for link in Link.objects.exclude(status="")}


def health_of(resource_url: str, links: dict[str, Link]) -> LinkHealth:
    link = links.get(link_url(resource_url))
    if link is None:
        return LinkHealth(href=resource_url)
    href = resource_url
    if link.has_moved():
        fragment = urldefrag(resource_url)[1]
        href = link.final_url + (f"#{fragment}" if fragment else "")
    broken = unavailable = ""
    if link.is_confirmed_broken():
        since = french_date(link.first_failure_at)
        broken = f"Lien signalé indisponible depuis le {since} : {link.reader_reason()}"
        unavailable = f"signalé indisponible depuis le {since} ({link.reader_reason()})"
    return LinkHealth(
        href=href,
        size=human_size(link.content_length),
        verified=f"vérifié le {french_date(link.last_ok_at)}" if link.last_ok_at else "",
        broken=broken,
        unavailable=unavailable,
        published=_http_date(link.last_modified),
    )


def _http_date(value: str) -> str:
    """ "Tue, 03 Mar 2026 10:00:00 GMT" as "3 mars 2026"; "" if absent or unreadable."""
    if not value:
        return ""
    try:
        return french_date(parsedate_to_datetime(value))
    except (TypeError, ValueError, IndexError, OverflowError):
        return ""


# --- readers' reports --------------------------------------------------------------

REPORTS_PER_HOUR = 5
# A link checked this recently is not fetched again for a report: readers cannot
# make us hammer a host.
RECHECK_AFTER = timedelta(minutes=10)


class TooManyReports(Exception):
    """The reader sent REPORTS_PER_HOUR reports within the hour."""


def report_broken_link(resource: Resource, comment: str = "", reporter: str = "", now=None):
    """Record a reader's report and check the link at once; return the report.

    A second report of the same resource by the same reader within the hour
    is the first one again. TooManyReports past REPORTS_PER_HOUR an hour.
    """
    now = now or timezone.now()
    recent = LinkReport.objects.filter(reporter=reporter, created_at__gte=now - timedelta(hours=1))
    if reporter:
        same = recent.filter(resource=resource).first()
        if same is not None:
            return same
        if recent.count() >= REPORTS_PER_HOUR:
            raise TooManyReports("trop de signalements en une heure")
    report = LinkReport.objects.create(
        resource=resource,
        url=resource.url,
        comment=comment[:500],
        reporter=reporter,
        created_at=now,
    )
    link = recheck(resource, now=now)
    if link is not None:
        report.status_after = link.status
        report.save(update_fields=["status_after"])
    return report


def recheck(resource: Resource, now=None) -> Link | None:
    """Check one resource's link now, unless checked in the last RECHECK_AFTER;
    the link's state afterwards (None for an address that is never checked)."""
    now = now or timezone.now()
    if urlsplit(resource.url).scheme.lower() in UNCHECKED_SCHEMES:
        return None
    url = link_url(resource.url)
    link = Link.objects.filter(url=url).first()
    if link is not None and link.last_checked_at and now - link.last_checked_at < RECHECK_AFTER:
        return link
    target = Target(url, resource.format.is_file())
    outcomes = asyncio.run(
        check_targets(
            [target], config=FetchConfig.from_settings(), validators=stored_validators([url])
        )
    )
    with transaction.atomic():
        if apply_outcomes(None, outcomes, now):
            CatalogState.bump()
    return Link.objects.get(url=url)


def open_reports(resources=None):
    """Readers' reports not yet dealt with, newest first; of `resources` (a
    Resource queryset, an editor's scope) when given. The editors' workspace counts them."""
    reports = LinkReport.objects.filter(closed_at__isnull=True).select_related("resource")
    if resources is not None:
        reports = reports.filter(resource__in=resources)
    return reports
