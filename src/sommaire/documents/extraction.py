"""One extraction run: fetch the catalog's documents, cut their text into passages.

Steps of `run`, in batches of a few documents (memory holds a batch's files,
never the whole catalog's):
1. claim each document's state with a compare-and-set, so two runs at once
   never extract one document twice (another run's documents are skipped);
2. fetch the batch concurrently through `sommaire.fetch` (address guard,
   per-host politeness, body cap `DOCUMENTS_MAX_BYTES`), with the ETag /
   Last-Modified of the last good extraction: a 304 ends the work;
3. for each file: the same bytes as last time end the work too; otherwise
   detect its real format, extract its pieces (see `extractors`) and, when
   the text differs from the stored one, replace the document's passages,
   refresh its search entry and, if it had been extracted before, record an
   "updated" event for "Quoi de neuf"; all in one transaction per document;
4. record a clear reason for what fails (unreachable, HTTP error, oversize,
   corrupt, encrypted, not a document) and go on: the passages of the last
   good extraction stay searchable;
5. release the claims.
"""

import asyncio
import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sommaire.catalog.models import CatalogEvent, CatalogState, Resource
from sommaire.documents import extractors
from sommaire.documents.extractors import Extraction, ExtractionError, Piece
from sommaire.documents.models import DocumentState, Passage
from sommaire.fetch.client import FetchConfig, Fetcher, FetchResult, Validators
from sommaire.search import analysis
from sommaire.search import services as search

# The formats of the issue, which the catalog calls documents, plus ods.
FORMATS = ("pdf", "xlsx", "xls", "ods", "docx", "pptx", "odt", "csv")
BATCH = 8
LEASE = timedelta(minutes=30)
MAX_PASSAGES = 50_000
# Distinct words kept for a document's search entry: PostgreSQL refuses a
# tsvector over 1 MB, and beyond this a document matches nearly anything.
MAX_WORDS = 40_000

Progress = Callable[[str], None]


@dataclass
class DocumentReport:
    url: str
    key: str
    status: str  # extracted, unchanged, not_modified, error, skipped
    format: str = ""
    passages: int = 0
    units: int = 0
    reason: str = ""

    def as_dict(self) -> dict:
        return {
            "url": self.url,
            "key": self.key,
            "status": self.status,
            "format": self.format,
            "passages": self.passages,
            "units": self.units,
            "reason": self.reason,
        }


@dataclass
class RunReport:
    documents: list[DocumentReport]

    def summary(self) -> Counter:
        return Counter(report.status for report in self.documents)


def declared_format(resource: Resource) -> str:
    """What the catalog says the file is: its format, else its address's extension."""
    if resource.format.slug in FORMATS:
        return resource.format.slug
    name = unquote(urlsplit(resource.url).path).rsplit("/", 1)[-1]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return extension if extension in FORMATS else ""


def choose(urls: list[str] | None = None) -> list[Resource]:
    """The documents to read: those of `urls` (whatever their format), else every active one."""
    resources = Resource.objects.select_related("format").order_by("pk")
    if urls:
        return list(resources.filter(url__in=urls))
    return [r for r in resources.active() if declared_format(r)]


def run(
    resources: list[Resource], config: FetchConfig | None = None, progress: Progress | None = None
) -> RunReport:
    config = config or FetchConfig.from_settings(max_bytes=settings.DOCUMENTS_MAX_BYTES)
    reports = []
    for start in range(0, len(resources), BATCH):
        batch = resources[start : start + BATCH]
        states = {r.pk: DocumentState.objects.get_or_create(resource=r)[0] for r in batch}
        claimed = [r for r in batch if states[r.pk].claim(LEASE)]
        try:
            fetched = asyncio.run(_fetch(claimed, states, config))
            for resource in batch:
                if resource in claimed:
                    reports.append(process(resource, states[resource.pk], fetched[resource.pk]))
                else:
                    reports.append(_report(resource, "skipped", "lu par une autre exécution"))
                if progress:
                    progress(resource.url)
        finally:
            DocumentState.objects.filter(pk__in=[r.pk for r in claimed]).update(claimed_until=None)
    return RunReport(reports)


async def _fetch(resources, states, config: FetchConfig) -> dict[int, FetchResult]:
    async with Fetcher(config) as fetcher:

        async def one(resource: Resource) -> tuple[int, FetchResult]:
            state = states[resource.pk]
            conditional = None
            if state.url == resource.url and state.status == DocumentState.Status.EXTRACTED:
                conditional = Validators(etag=state.etag, last_modified=state.last_modified)
            return resource.pk, await fetcher.fetch(resource.url, conditional=conditional)

        return dict(await asyncio.gather(*(one(r) for r in resources)))


def _report(resource: Resource, status: str, reason: str = "", **values) -> DocumentReport:
    return DocumentReport(resource.url, resource.key, status, reason=reason, **values)


def _size(count: int) -> str:
    return f"{count // (1024 * 1024)} Mo" if count >= 1024 * 1024 else f"{count // 1024} Ko"


def process(resource: Resource, state: DocumentState, result: FetchResult) -> DocumentReport:
    """One fetched document: decide, extract, write; never raises for a bad file."""
    now = timezone.now()
    problem = _fetch_problem(result)
    if result.not_modified:
        state.record(checked_at=now)
        return _report(
            resource,
            "not_modified",
            format=state.format,
            passages=state.passage_count,
            units=state.units,
        )
    if problem:
        # seen_hash forgotten: when the file is back, it is read again (and,
        # its text unchanged, found "unchanged") instead of this reason repeated.
        state.record(
            status=DocumentState.Status.ERROR, reason=problem, seen_hash="", checked_at=now
        )
        return _report(resource, "error", problem)
    body = result.body or b""
    seen = hashlib.sha256(body).hexdigest()
    if seen == state.seen_hash and state.url == resource.url:
        # The very file of last time: its text (or its problem) is known.
        state.record(checked_at=now, **_validators(result))
        if state.status == DocumentState.Status.ERROR:
            return _report(resource, "error", state.reason)
        return _report(
            resource,
            "unchanged",
            format=state.format,
            passages=state.passage_count,
            units=state.units,
        )
    try:
        fmt, extraction = extractors.extract(body, declared_format(resource))
    except ExtractionError as exc:
        # No validators kept: the next run reads the file again, and its
        # hash (seen_hash) tells whether it is still the same broken file.
        state.record(
            status=DocumentState.Status.ERROR,
            reason=str(exc),
            seen_hash=seen,
            url=resource.url,
            etag="",
            last_modified="",
            size=len(body),
            checked_at=now,
        )
        return _report(resource, "error", str(exc))
    return write(resource, state, fmt, extraction, body, result)


def _fetch_problem(result: FetchResult) -> str:
    if result.error:
        return result.error_detail or result.error
    if result.not_modified:
        return ""
    if result.status != 200:
        return f"le serveur a répondu HTTP {result.status}"
    if result.truncated:
        limit = _size(len(result.body or b""))
        return f"fichier trop volumineux : plus de {limit} (SOMMAIRE_DOCUMENTS_MAX_BYTES)"
    return ""


def _validators(result: FetchResult) -> dict:
    found = result.validators
    return {"etag": found.etag[:500], "last_modified": found.last_modified[:100]}


def write(resource, state, fmt: str, extraction: Extraction, body: bytes, result) -> DocumentReport:
    """Store a successful extraction; passages change only when the text did."""
    now = timezone.now()
    pieces = extraction.pieces[:MAX_PASSAGES]
    reason = ""
    if len(extraction.pieces) > MAX_PASSAGES:
        reason = f"seuls les {MAX_PASSAGES} premiers passages sont indexés"
    elif not pieces:
        reason = "aucun texte dans ce document"
    passages = [_passage(resource.pk, position, piece) for position, piece in enumerate(pieces, 1)]
    text_hash = _text_hash(passages)
    changed = text_hash != state.content_hash
    with transaction.atomic():
        if changed:
            Passage.objects.filter(resource=resource).delete()
            Passage.objects.bulk_create(passages, batch_size=2000)
        values = {
            "status": DocumentState.Status.EXTRACTED,
            "reason": reason,
            "format": fmt,
            "url": resource.url,
            "size": len(body),
            "seen_hash": hashlib.sha256(body).hexdigest(),
            "checked_at": now,
            **_validators(result),
        }
        if changed:
            values.update(_index_columns(passages))
            values.update(
                content_hash=text_hash,
                units=extraction.units,
                passage_count=len(passages),
                extracted_at=now,
            )
        was_extracted = state.was_extracted()
        state.record(**values)
        if changed:
            search.refresh([resource.pk])
            if was_extracted:
                CatalogEvent.record(CatalogEvent.Kind.UPDATED, resource)
            else:
                # New passages change what searches find: cached pages must go.
                CatalogState.bump()
    return _report(
        resource,
        "extracted" if changed else "unchanged",
        reason,
        format=fmt,
        passages=state.passage_count,
        units=state.units,
    )


def code_tokens(identifier: str) -> list[str]:
    """A code as whole tokens only ("EX_3.1-1040" -> ex311040), as the catalog's codes are."""
    found = []
    for chunk in analysis.chunks(identifier):
        tokens = analysis.chunk_tokens(chunk)
        if tokens:
            found.append(tokens[0])
    return found


def _passage(resource_id: int, position: int, piece: Piece) -> Passage:
    return Passage(
        id=Passage.make_id(resource_id, position),
        resource_id=resource_id,
        position=position,
        page=piece.page,
        sheet=piece.sheet[:200],
        row=piece.row,
        slide=piece.slide,
        heading=piece.heading[:500],
        identifier=piece.identifier[:100],
        text=piece.text,
        fields=piece.fields,
        code=" ".join(code_tokens(piece.identifier)),
        body=" ".join(analysis.tokens(f"{piece.heading} {piece.text}")),
    )


def _text_hash(passages: list[Passage]) -> str:
    digest = hashlib.sha256()
    for p in passages:
        digest.update(f"{p.place()}\t{p.identifier}\t{p.text}\n".encode())
    return digest.hexdigest()


def _index_columns(passages: list[Passage]) -> dict:
    """The document as its resource's search entry holds it: distinct codes and words."""
    codes = dict.fromkeys(token for p in passages for token in p.code.split())
    words = Counter(token for p in passages for token in p.body.split())
    kept = sorted(token for token, _ in words.most_common(MAX_WORDS))
    return {"codes": " ".join(codes), "words": " ".join(kept)}
