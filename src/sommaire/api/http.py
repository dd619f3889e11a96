"""What every read of the API shares: CORS, ETag and 304, preflight answers.

`read_only(view)` wraps a Django view (each URL of the API, the open-data
downloads): any origin may read (no credentials are involved in a read, so
`*` is safe), a GET whose `If-None-Match` names the current ETag gets a 304
before any query runs, and the ETag changes with the catalog generation, the
latest published edition and the latest link check, so a client polling an
unchanged catalog costs three indexed reads.

A view may set its own ETag (one resource: its revision, for `If-Match`);
it is kept, and a 304 answered against it. Writes (POST, PUT) pass through
untouched: no CORS header, so no other site's script may read their answer,
and the preflight never allows them.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.db.models import Max
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import quote_etag

from sommaire.catalog.models import CatalogState
from sommaire.edition.models import Edition
from sommaire.linkcheck.models import Run

API_VERSION = "1"
BROWSER_MAX_AGE = 60
# Headers a cross-origin script may send (If-None-Match makes it "non-simple",
# hence the preflight) and read back.
ALLOWED_HEADERS = "If-None-Match, Accept"
EXPOSED_HEADERS = "ETag"


def current_state() -> str:
    """What every response depends on: the catalog generation, the editions, the link checks."""
    latest = Edition.objects.aggregate(n=Max("number"))["n"] or 0
    # A run that changes nothing readers see leaves the generation alone, but
    # the API shows each link's check date and HTTP status.
    checked = Run.objects.aggregate(at=Max("finished_at"))["at"]
    return f"{CatalogState.current()}.{latest}.{checked.timestamp() if checked else 0}"


def _digest(text: str, size: int = 12) -> str:
    return hashlib.blake2b(text.encode(), digest_size=size).hexdigest()


def etag_for(request, state: str) -> str:
    return quote_etag(_digest(f"{API_VERSION}|{state}|{request.get_full_path()}"))


def resource_etag(key: str, revision: int, state: str) -> str:
    """`"r12-…"`: the revision first, for If-Match; then what else the answer shows (links)."""
    return quote_etag(f"r{revision}-{_digest(f'{API_VERSION}|{state}|{key}', 8)}")


def absolute(path: str) -> str:
    """Links in answers are absolute, on SOMMAIRE_SITE_URL, whatever host the client used."""
    return settings.SITE_URL + path


def page_links(request, paging, count: int) -> dict:
    """`count`, `limit`, `offset`, and the addresses of the next and previous pages."""

    def link(offset: int) -> str:
        query = request.GET.copy()
        query["offset"] = str(offset)
        query["limit"] = str(paging.limit)
        return absolute(request.path) + "?" + query.urlencode()

    after = paging.offset + paging.limit
    return {
        "count": count,
        "limit": paging.limit,
        "offset": paging.offset,
        "next": link(after) if after < count else None,
        "previous": link(max(paging.offset - paging.limit, 0)) if paging.offset > 0 else None,
    }


def allow_any_origin(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    return response


READS = ("GET", "HEAD", "OPTIONS")


def preflight(allowed=()) -> HttpResponse:
    """Other origins may read, never write; `Allow` still names every method of the address."""
    response = HttpResponse(status=204)
    response["Access-Control-Allow-Methods"] = ", ".join(READS)
    response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
    response["Access-Control-Max-Age"] = "86400"
    writes = sorted({m.strip().upper() for m in allowed} - set(READS) - {""})
    response["Allow"] = ", ".join([*READS, *writes])
    return allow_any_origin(response)


def _methods_of(view, request, args, kwargs) -> list[str]:
    # A django-ninja view answers a method it lacks with a 405 that lists the
    # ones it has, before any query: ask it with OPTIONS.
    answer = view(request, *args, **kwargs)
    return answer.get("Allow", "").split(",") if answer.status_code == 405 else []


def read_only(view, *, ninja: bool = False):
    """CORS for reads, ETag and 304 from the catalog generation, OPTIONS answered.

    `ninja`: the view is a django-ninja path, which may take writes too.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "OPTIONS":
            return preflight(_methods_of(view, request, args, kwargs) if ninja else ())
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        etag = etag_for(request, current_state())
        not_modified = get_conditional_response(request, etag=etag)
        if not_modified is None:
            # HEAD is a GET without a body: the view answers GET, the server
            # (or the test client) drops the body when it sees HEAD again.
            method, request.method = request.method, "GET"
            try:
                response = view(request, *args, **kwargs)
            finally:
                request.method = method
            if response.status_code != 200:
                return allow_any_origin(response)
            if response.has_header("ETag"):
                return allow_any_origin(_own_etag(request, response))
        else:
            response = not_modified
        response["ETag"] = etag
        patch_cache_control(response, public=True, max_age=BROWSER_MAX_AGE)
        patch_vary_headers(response, ("Accept",))
        return allow_any_origin(response)

    return wrapper


def _own_etag(request, response: HttpResponse) -> HttpResponse:
    """A view's own ETag: kept, a 304 against it, and revalidated on every use.

    No max-age: an editor's tool that just wrote must not read an older copy
    from its cache and send a stale If-Match with it.
    """
    etag = response["ETag"]
    # An answer the view made private (an editor's draft) stays private.
    private = "private" in response.get("Cache-Control", "")
    response = get_conditional_response(request, etag=etag, response=response)
    response["ETag"] = etag
    patch_cache_control(
        response, no_cache=True, **({"private": True} if private else {"public": True})
    )
    patch_vary_headers(response, ("Accept", "Authorization", "Cookie") if private else ("Accept",))
    return response
