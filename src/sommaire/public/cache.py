"""Whole public pages cached under the catalog generation.

A page is stored once per (path, query string, catalog generation): any
catalog change moves the generation forward, so every process stops serving
the old pages at once, with no list of keys to invalidate. Only anonymous
GET and HEAD requests read or fill the cache; editors always see fresh pages.

The cached HTML must not depend on the request: in particular it carries no
CSP nonce (the DSFR scripts are files of our own origin, allowed by
`script-src 'self'`), since a nonce served twice is no nonce.
"""

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import quote_etag

from sommaire.catalog.models import CatalogState

BROWSER_MAX_AGE = 60
# Old generations are never read again; let them expire rather than linger.
CACHE_TIMEOUT = 24 * 3600


# Reading the generation costs a database round trip (with SQLite, a new
# connection), more than serving a cached page. So each process keeps it for
# GENERATION_TTL seconds: a change made by another process reaches this one
# within that time; a change made by this process is seen at once (see
# `catalog_changed`).
GENERATION_TTL = 1.0
_generation: tuple[float, int] | None = None


def current_generation() -> int:
    global _generation
    now = time.monotonic()
    memo = _generation
    if memo is not None and now - memo[0] < GENERATION_TTL:
        return memo[1]
    generation = CatalogState.current()
    _generation = (now, generation)
    return generation


def forget_generation() -> None:
    global _generation
    _generation = None


def catalog_changed(sender, using=None, **kwargs) -> None:
    """A catalog row was written by this process: read the generation again.

    Forget now, for this thread's next request, and again on commit: another
    thread may have read the old generation in between.
    """
    # Dossiers move the generation too (region pages, sitemap, their own pages).
    if sender._meta.app_label in ("catalog", "dossiers"):
        forget_generation()
        transaction.on_commit(forget_generation, using=using)


def catalog_generation(request) -> int:
    """The catalog generation, read once per request."""
    if not hasattr(request, "catalog_generation"):
        request.catalog_generation = current_generation()
    return request.catalog_generation


def is_anonymous(request) -> bool:
    # Without a session cookie nobody is logged in: no need to load a session.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return True
    return not request.user.is_authenticated


# Pages that show deadlines say which are coming and which are past: that
# changes with the clock, not with the catalog. A page is kept for one quarter
# of an hour at most, so a deadline passes on the pages within that time.
CLOCK_SECONDS = 15 * 60


def clock_bucket() -> int:
    return int(time.time() // CLOCK_SECONDS)


def page_key(request, generation: int) -> str:
    # The reader's region (query string or cookie) may change what a page shows.
    region = getattr(getattr(request, "reader_region", None), "code", "")
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"sommaire:page:{generation}:{clock_bucket()}:{region}:{digest}"


def cached_page(view):
    """Serve an anonymous GET/HEAD from the page cache, filling it on a miss."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or not is_anonymous(request):
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True)
            return response
        key = page_key(request, catalog_generation(request))
        entry = cache.get(key)
        if entry is None:
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.streaming:
                return response
            if hasattr(response, "render"):
                response.render()
            content = response.content
            # The view's own headers only: the middleware adds theirs to every answer.
            entry = (content, dict(response.headers), quote_etag(_digest(content)))
            cache.set(key, entry, CACHE_TIMEOUT)
        content, headers, etag = entry
        response = HttpResponse(content, headers=headers)
        response["ETag"] = etag
        patch_cache_control(response, public=True, max_age=BROWSER_MAX_AGE)
        patch_vary_headers(response, ("Cookie",))
        return get_conditional_response(request, etag=etag, response=response)

    return wrapper


def _digest(content: bytes) -> str:
    return hashlib.blake2b(content, digest_size=16).hexdigest()


class SharedCacheMiddleware:
    """Keep shared caches (the nginx in front, a CDN) away from one person's answers.

    Whatever a view says, an answer under /gestion/ is never stored anywhere,
    and an answer to a request that carries a session or a token, or that
    sets a cookie, is for its browser only. Public pages stay public; they
    vary on Cookie, so a reader's region (a cookie) keeps its own copy.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/gestion/"):
            patch_cache_control(response, private=True, no_store=True)
        elif is_personal(request) or response.cookies:
            patch_cache_control(response, private=True)
        return response


def is_personal(request) -> bool:
    return settings.SESSION_COOKIE_NAME in request.COOKIES or "Authorization" in request.headers
