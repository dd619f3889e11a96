"""Building, caching and publishing the PDF edition: the app's public functions.

`build_pdf(scope)` lays out the live catalog with Typst; `cached_pdf(scope)`
returns the PDF of the current catalog generation, rebuilding it only when the
catalog (or the latest published edition) changed; `publish()` keeps a dated
edition for good.

Typst runs in-process from the `typst` wheel, with the fonts the wheel embeds
(Libertinus Serif, New Computer Modern, DejaVu Sans Mono) and the Noto fonts
of `sommaire.edition.fonts`, installed from PyPI with the project, for emoji,
symbols and other scripts: system fonts are ignored so that every machine
lays out the same pages, and the template imports no package, so nothing is
ever downloaded. Every text goes through `fonts.printable` first: PDF/UA-1
refuses a character no font has, and one such character in one description
would fail the whole edition.
"""

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import typst
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.db.models.functions import Length
from django.utils import timezone

from sommaire.catalog.models import CatalogState
from sommaire.edition import fonts
from sommaire.edition.content import Scope, edition_data
from sommaire.edition.models import BuiltPdf, Edition

logger = logging.getLogger(__name__)
TEMPLATE = Path(__file__).resolve().parent / "templates" / "edition" / "sommaire.typ"
# PDF/UA-1: tagged structure, document title shown, language set; Typst refuses
# to write a file that breaks its rules (a link in a header, an image without
# alternative text), so a bad template fails the build instead of shipping.
PDF_STANDARDS = ["ua-1"]


class EditionError(RuntimeError):
    """Typst could not lay out the edition; the message says where."""


def render(data: dict, now: datetime | None = None, template: str = TEMPLATE.name) -> bytes:
    """The PDF of `data` laid out by `template` (a file of templates/edition/).

    The sommaire's data is made by `content.edition_data`; other apps pass
    their own (a dossier's), laid out by their own template with the same
    guarantees (PDF/UA-1, embedded fonts, text as data).
    """
    try:
        pdf, warnings = typst.compile_with_warnings(
            str(TEMPLATE.parent / template),
            root=str(TEMPLATE.parent),
            sys_inputs={"data": json.dumps(_printable(data), ensure_ascii=False)},
            ignore_system_fonts=True,
            font_paths=list(fonts.font_paths()),
            pdf_standards=PDF_STANDARDS,
            timestamp=int((now or timezone.now()).timestamp()),
        )
    except typst.TypstError as error:
        raise EditionError(f"{error.message}\n{error.diagnostic}") from error
    for warning in warnings:
        # e.g. "layout did not converge": the pages are written, but a page
        # number or an acronym's first use may be off. Worth a look.
        logger.warning("Typst: %s", warning.message)
    return pdf


def _printable(data):
    """`data` with every string as the edition's fonts can print it."""
    if isinstance(data, str):
        return fonts.printable(data)
    if isinstance(data, dict):
        return {key: _printable(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [_printable(value) for value in data]
    return data


def build_pdf(scope: Scope, now: datetime | None = None) -> bytes:
    """The live edition of `scope`; raises content.UnknownScope for a bad slug or code."""
    return render(edition_data(scope, now=now), now=now)


def cached_pdf(scope: Scope) -> bytes:
    """The PDF of `scope` for the current catalog, built at most once per change."""
    return cached_build(scope.key, lambda: build_pdf(scope))


def cached_build(key: str, build: Callable[[], bytes]) -> bytes:
    """The PDF stored under `key` for the current catalog, or `build()`'s, then stored.

    Two processes missing the cache at the same moment both build and the last
    write wins: both wrote the same catalog generation, so either file is right.
    """
    generation = CatalogState.current()
    latest = Edition.latest()
    number = latest.number if latest else 0
    built = BuiltPdf.objects.filter(scope=key).first()
    if built is not None and built.is_current(generation, number):
        return bytes(built.pdf)
    pdf = build()
    try:
        with transaction.atomic():
            BuiltPdf.objects.update_or_create(
                scope=key,
                defaults={
                    "generation": generation,
                    "edition_number": number,
                    "built_at": timezone.now(),
                    "pdf": pdf,
                },
            )
    except IntegrityError:
        pass  # another process stored the same scope first: its file is as good
    return pdf


def built_size(scope: Scope, generation: int) -> int | None:
    """The size in bytes of the PDF of `scope` built for catalog `generation`, or
    None when none is built yet: pages say it without building or reading it."""
    built = BuiltPdf.objects.filter(scope=scope.key, generation=generation)
    return built.annotate(size=Length("pdf")).values_list("size", flat=True).first()


@dataclass
class Publication:
    edition: Edition
    created: bool


def publish(now: datetime | None = None) -> Publication:
    """Keep today's full edition, unless the catalog has not changed since the last one.

    Idempotent and safe to run twice at once: an edition is only published for
    a catalog generation that has none yet, and the unique edition number lets
    exactly one of two simultaneous runs insert it.
    """
    now = now or timezone.now()
    generation = CatalogState.current()
    latest = Edition.latest()
    if latest is not None and latest.generation == generation:
        return Publication(latest, created=False)
    number = (Edition.objects.aggregate(n=Max("number"))["n"] or 0) + 1
    # The snapshot is taken before the layout: a change landing in between is
    # then reported by the next edition rather than lost.
    edition = Edition(
        number=number, published_at=now, generation=generation, resources=Edition.snapshot()
    )
    edition.pdf = render(edition_data(Scope(), edition=edition, now=now), now=now)
    try:
        with transaction.atomic():
            edition.save()
    except IntegrityError:
        return Publication(Edition.objects.defer("pdf").get(number=number), created=False)
    return Publication(edition, created=True)
