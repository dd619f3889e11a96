"""One watch run: fetch the sources, compare each page with its last good parse,
propose candidates.

Steps of `run`:
1. choose the sources (due ones, all of them, or one) and claim each with a
   compare-and-set, so two runs at once never process one page twice;
2. fetch them all concurrently through `sommaire.fetch` (address guard,
   per-host politeness), after the host's robots.txt (fetched once per host
   per run) allows it, with the ETag / Last-Modified of the last fetch: a
   304 ends the work for that page;
3. for each page that changed: keep a compressed snapshot, extract the
   publications, and trust the parse only when it is plausible (no login
   wall, a publication count close to the last good one); an untrusted parse
   changes nothing, so a maintenance page neither removes documents nor
   announces them again when the site recovers;
4. compare with the last good parse and the catalog: each new publication
   becomes a candidate (or a newer version of a known resource), each known
   resource gone from the page a removal to review;
5. release the claims.
"""

import asyncio
import hashlib
import re
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sommaire.catalog.models import Format, Kind, Publisher, Resource, SoftwareProfile, Wave
from sommaire.catalog.validation import clean_text, url_problem
from sommaire.fetch.client import FetchConfig, Fetcher, FetchResult, Validators
from sommaire.watch.conventions import Name, Vocabulary, guess, is_newer, read_name
from sommaire.watch.links import Link, asks_for_login, extract_links, normalise_url, publications
from sommaire.watch.models import Candidate, Snapshot, Source

HTML_TYPES = {"text/html", "application/xhtml+xml", ""}
ROBOTS_MAX_BYTES = 512 * 1024
META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_-]+)", re.IGNORECASE)

Progress = Callable[[str], None]


@dataclass
class SourceReport:
    url: str
    status: str
    new_links: list[str] = field(default_factory=list)
    removed_links: list[str] = field(default_factory=list)
    candidates: list[str] = field(default_factory=list)
    error: str = ""

    def as_dict(self) -> dict:
        return {
            "url": self.url,
            "status": self.status,
            "new_links": self.new_links,
            "removed_links": self.removed_links,
            "candidates": self.candidates,
            "error": self.error,
        }


@dataclass
class Fetched:
    result: FetchResult | None
    refusal: str = ""


# --- 1. choose and claim ----------------------------------------------------


def choose(url: str | None = None, everything: bool = False) -> list[Source]:
    if url:
        wanted = normalise_url(url) or url
        return [s for s in Source.objects.all() if s.url in (url, wanted)]
    if everything:
        return list(Source.objects.order_by("pk"))
    return Source.objects.due()


# --- 2. fetch ---------------------------------------------------------------


class Robots:
    """robots.txt rules per site, fetched once per run through the shared client.

    As RFC 9309 says: a 4xx answer means no rules, a server error or no
    answer means "do not crawl" until the next run.
    """

    def __init__(self, fetcher: Fetcher, agent: str):
        self.fetcher, self.agent = fetcher, agent
        self._sites: dict[str, asyncio.Task] = {}

    async def refusal(self, url: str) -> str:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._sites:
            self._sites[origin] = asyncio.ensure_future(self._load(origin))
        rules = await self._sites[origin]
        if isinstance(rules, str):
            return rules
        if rules is not None and not rules.can_fetch(self.agent, url):
            return "exclue par le fichier robots.txt du site"
        return ""

    async def _load(self, origin: str):
        result = await self.fetcher.fetch(origin + "/robots.txt", max_bytes=ROBOTS_MAX_BYTES)
        if result.error:
            return f"robots.txt injoignable ({result.error_detail or result.error})"
        if result.status and 400 <= result.status < 500:
            return None
        if result.status != 200:
            return f"robots.txt en erreur (HTTP {result.status})"
        rules = urllib.robotparser.RobotFileParser()
        rules.parse((result.body or b"").decode("utf-8", "replace").splitlines())
        return rules


async def fetch_sources(
    sources: list[Source], config: FetchConfig, progress: Progress | None = None
) -> dict[int, Fetched]:
    agent = config.user_agent.split("/")[0].split()[0] or "Sommaire"

    async with Fetcher(config) as fetcher:
        robots = Robots(fetcher, agent)

        async def one(source: Source) -> tuple[int, Fetched]:
            refusal = await robots.refusal(source.url)
            if refusal:
                fetched = Fetched(None, refusal)
            else:
                validators = Validators(etag=source.etag, last_modified=source.last_modified)
                fetched = Fetched(await fetcher.fetch(source.url, conditional=validators))
            if progress:
                progress("fetched")
            return source.pk, fetched

        return dict(await asyncio.gather(*(one(source) for source in sources)))


# --- 3 and 4. compare and propose -------------------------------------------


class CatalogIndex:
    """The catalog as the watcher compares against it, loaded once per run."""

    def __init__(self):
        resources = list(Resource.objects.described())
        self.by_url: dict[str, Resource] = {}
        self.by_stem: dict[str, list[tuple[Name, Resource]]] = {}
        for resource in resources:
            self.by_url[normalise_url(resource.url) or resource.url] = resource
            name = read_name(resource.url)
            if name.version and resource.status == Resource.Status.ACTIVE:
                self.by_stem.setdefault(name.stem, []).append((name, resource))
        models = {"kinds": Kind, "formats": Format, "profiles": SoftwareProfile, "waves": Wave}
        self.terms = {
            key: {t.slug: t for t in model.objects.all()} for key, model in models.items()
        }
        self.vocabulary = Vocabulary(
            **{key: set(terms) for key, terms in self.terms.items()},
            labels={
                slug: term.label for terms in self.terms.values() for slug, term in terms.items()
            },
        )
        self.publishers = [
            (urlsplit(p.url).hostname or "", p) for p in Publisher.objects.all() if p.url
        ]

    def predecessor(self, name: Name) -> Resource | None:
        """The highest known version this document supersedes."""
        older = [(n, r) for n, r in self.by_stem.get(name.stem, []) if is_newer(name, n)]
        return max(older, key=lambda pair: pair[0].version_key)[1] if older else None

    def publisher(self, url: str) -> Publisher | None:
        host = (urlsplit(url).hostname or "").removeprefix("www.")
        for publisher_host, publisher in self.publishers:
            if publisher_host.removeprefix("www.") == host:
                return publisher
        return None


def decode(result: FetchResult) -> str:
    body = result.body or b""
    charset = ""
    for part in result.headers.get("Content-Type", "").split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset":
            charset = value.strip("\"' ")
    if not charset:
        match = META_CHARSET.search(body[:4096])
        charset = match.group(1).decode() if match else "utf-8"
    try:
        return body.decode(charset, "replace")
    except LookupError:
        return body.decode("utf-8", "replace")


def implausible(html: str, links: list[Link], good_count: int | None) -> str:
    """Why this parse must not be trusted, or ''."""
    if asks_for_login(html):
        return "la page demande une connexion : analyse ignorée"
    if not good_count:
        return ""
    floor = good_count * settings.WATCH_MIN_LINK_PERCENT / 100
    if len(links) < floor:
        return (
            f"page peu plausible : {len(links)} publication(s) au lieu de {good_count} "
            "(maintenance, page vide ou d’erreur ?) : analyse ignorée"
        )
    return ""


def propose(
    source: Source, new: list[Link], removed: list[str], catalog: CatalogIndex
) -> list[str]:
    """Candidates for what appeared and for known resources that vanished."""
    proposed = []
    for link in new:
        known = catalog.by_url.get(link.url)
        if known is not None:
            # Back on its page: the removal is moot if nobody decided on it yet.
            Candidate.objects.open().filter(url=link.url, change=Candidate.Change.REMOVED).delete()
            continue
        if url_problem(link.url):
            # An ftp:// file or an intranet host: no editor could publish it.
            continue
        g = guess(link.url, link.text, catalog.vocabulary)
        predecessor = catalog.predecessor(g.name)
        change = Candidate.Change.VERSION if predecessor else Candidate.Change.NEW
        terms = catalog.terms
        _, created = Candidate.propose(
            link.url,
            change,
            title=clean_text(g.title)[:300],
            link_text=clean_text(link.text)[:500],
            kind=terms["kinds"].get(g.kind),
            format=terms["formats"].get(g.format),
            profile=terms["profiles"].get(g.profile),
            wave=terms["waves"].get(g.wave),
            publisher=catalog.publisher(link.url) or (predecessor and predecessor.publisher),
            version=g.version,
            section=source.section,
            region=source.region,
            source=source,
            predecessor=predecessor,
        )
        if created:
            proposed.append(link.url)
    for url in removed:
        resource = catalog.by_url.get(url)
        if resource is None or resource.is_archived():
            continue
        _, created = Candidate.propose(
            url,
            Candidate.Change.REMOVED,
            title=resource.title,
            kind=resource.kind,
            format=resource.format,
            profile=resource.profile,
            wave=resource.wave,
            publisher=resource.publisher,
            version=resource.version,
            section=source.section,
            region=resource.region,
            source=source,
            resource=resource,
        )
        if created:
            proposed.append(url)
    return proposed


def process(source: Source, fetched: Fetched, catalog: CatalogIndex) -> SourceReport:
    now = timezone.now()
    report = SourceReport(source.url, Source.Status.ERROR)
    result = fetched.result
    if fetched.refusal or result is None:
        report.error = fetched.refusal
    elif result.error:
        report.error = result.error_detail or result.error
    elif result.status == 304:
        report.status = Source.Status.NOT_MODIFIED
    elif result.status != 200:
        report.error = f"réponse HTTP {result.status}"
    elif result.content_type not in HTML_TYPES:
        report.error = f"ce n’est pas une page HTML ({result.content_type})"
    elif result.truncated:
        report.error = f"page trop volumineuse, tronquée à {len(result.body or b'')} octets"
    else:
        return _compare(source, result, catalog, report, now)
    source.record(checked_at=now, status=report.status, error=report.error[:500])
    return report


def _compare(source, result: FetchResult, catalog, report: SourceReport, now) -> SourceReport:
    body = result.body or b""
    digest = hashlib.sha256(body).hexdigest()
    validators = {
        "etag": result.headers.get("ETag", "")[:300],
        "last_modified": result.headers.get("Last-Modified", "")[:100],
    }
    if digest == source.content_hash:
        report.status = Source.Status.UNCHANGED
        source.record(checked_at=now, status=report.status, error="", **validators)
        return report
    html = decode(result)
    links = publications(extract_links(html, result.final_url, source.selector), result.final_url)
    problem = implausible(html, links, source.good_link_count)
    with transaction.atomic():
        if problem:
            # Kept for diagnosis, but neither compared nor trusted; the
            # validators stay those of the last good page.
            Snapshot.keep(source, body, digest, links, plausible=False)
            report.error = problem
            source.record(checked_at=now, status=report.status, error=problem[:500])
        else:
            previous = source.last_good_snapshot()
            before = previous.link_urls() if previous else set()
            now_urls = {link.url for link in links}
            new = [link for link in links if link.url not in before]
            removed = sorted(before - now_urls)
            report.status = Source.Status.CHANGED
            report.new_links = [link.url for link in new]
            report.removed_links = removed
            report.candidates = propose(source, new, removed, catalog)
            Snapshot.keep(source, body, digest, links, plausible=True)
            source.record(
                checked_at=now,
                changed_at=now,
                status=report.status,
                error="",
                content_hash=digest,
                good_link_count=len(links),
                **validators,
            )
        Snapshot.prune(source, settings.WATCH_SNAPSHOTS_KEPT)
    return report


# --- the run ------------------------------------------------------------------


@dataclass
class RunReport:
    sources: list[SourceReport]
    skipped: int = 0

    def summary(self) -> dict[str, int]:
        counts = {status: 0 for status in Source.Status.values}
        for report in self.sources:
            counts[report.status] += 1
        counts["skipped"] = self.skipped
        counts["candidates"] = sum(len(r.candidates) for r in self.sources)
        return counts

    def as_dict(self) -> dict:
        return {"sources": [r.as_dict() for r in self.sources], "summary": self.summary()}


def run(
    sources: list[Source],
    *,
    config: FetchConfig | None = None,
    progress: Progress | None = None,
) -> RunReport:
    lease = timedelta(seconds=settings.WATCH_LEASE_SECONDS)
    claimed = [source for source in sources if source.claim(lease)]
    try:
        fetched = asyncio.run(
            fetch_sources(claimed, config or FetchConfig.from_settings(), progress)
        )
        catalog = CatalogIndex()
        reports = []
        for source in claimed:
            reports.append(process(source, fetched[source.pk], catalog))
            if progress:
                progress("processed")
    finally:
        Source.objects.filter(pk__in=[s.pk for s in claimed]).update(claimed_until=None)
    return RunReport(reports, skipped=len(sources) - len(claimed))
