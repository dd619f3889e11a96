"""The PDF edition on the site: /sommaire.pdf, /<section>.pdf, /region/<code>.pdf,
and the published editions, /editions/<number>.pdf.

Live PDFs come from `build.cached_pdf` (rebuilt once per catalog change); their
ETag names the catalog generation and the latest edition, so a reader's second
download of an unchanged sommaire is a 304 without reading the file.
"""

import hashlib
from collections.abc import Callable

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import quote_etag
from django.views.decorators.http import require_safe

from sommaire.catalog.models import CatalogState
from sommaire.edition.build import cached_pdf
from sommaire.edition.content import Scope, UnknownScope
from sommaire.edition.models import Edition

BROWSER_MAX_AGE = 300


@require_safe
def full(request):
    return _live(request, Scope(), "sommaire.pdf")


@require_safe
def section(request, slug: str):
    return _live(request, Scope(sections=(slug,)), f"sommaire-{slug}.pdf")


@require_safe
def region(request, code: str):
    return _live(request, Scope(region=code.upper()), f"sommaire-region-{code.lower()}.pdf")


@require_safe
def published(request, number: int):
    edition = get_object_or_404(Edition, number=number)
    etag = quote_etag(f"edition-{edition.number}-{edition.generation}")
    response = _pdf(bytes(edition.pdf), f"sommaire-edition-{edition.number}.pdf", etag)
    # A published edition never changes.
    patch_cache_control(response, public=True, max_age=30 * 24 * 3600, immutable=True)
    return get_conditional_response(request, etag=etag, response=response)


def _live(request, scope: Scope, filename: str):
    def content() -> bytes:
        try:
            return cached_pdf(scope)
        except UnknownScope as error:
            raise Http404(str(error)) from error

    return live_pdf(request, scope.key, content, filename)


def live_pdf(request, key: str, content: Callable[[], bytes], filename: str) -> HttpResponse:
    """A live PDF answered with an ETag of its key, the catalog generation and the
    latest edition: a 304 before `content()` is called when the reader has it."""
    latest = Edition.latest()
    state = f"{key}|{CatalogState.current()}|{latest.number if latest else 0}"
    etag = quote_etag(hashlib.blake2b(state.encode(), digest_size=12).hexdigest())
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        not_modified["ETag"] = etag
        return not_modified
    response = _pdf(content(), filename, etag)
    patch_cache_control(response, public=True, max_age=BROWSER_MAX_AGE)
    return response


def _pdf(content: bytes, filename: str, etag: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["ETag"] = etag
    return response
