"""GET /api/v1/links, and the `link` object of each resource.

The link checker (`sommaire.linkcheck`) owns the state; this module only
reads it, one query per page: the links of a page of resources are fetched
together, as are the resources of a page of links.
"""

import re

from django.db.models import F, Q
from ninja import Query, Router

from sommaire.api import schemas
from sommaire.catalog.models import Resource
from sommaire.linkcheck.models import CONFIRMATION_DELAY, FAILING, Link
from sommaire.linkcheck.services import link_url

router = Router(tags=["liens"])

HOST = re.compile(r"[a-z0-9.-]+(:[0-9]{1,5})?")


def links_for(urls) -> dict[str, Link]:
    """The checked links of some catalog URLs, by link URL (fragment dropped): one query."""
    wanted = {link_url(url) for url in urls}
    return {link.url: link for link in Link.objects.filter(url__in=wanted).exclude(status="")}


def health(link: Link) -> dict:
    return {
        "status": link.status,
        "status_label": link.get_status_display(),
        "checked_at": link.last_checked_at,
        "http_status": link.http_status,
        "final_url": link.final_url,
        "permanent": link.permanent,
        "confirmed_broken": link.is_confirmed_broken(),
        "size": link.content_length,
        "content_type": link.content_type,
    }


def health_of(url: str, links: dict[str, Link]) -> dict | None:
    link = links.get(link_url(url))
    return health(link) if link is not None else None


@router.get(
    "/links",
    response={200: schemas.LinkPage, 422: schemas.ValidationProblem},
    summary="L’état des liens du catalogue, filtré et paginé",
)
def links(request, filters: Query[schemas.LinkFilters], paging: Query[schemas.Paging]):
    from sommaire.api.v1 import page_links

    found = _filtered(filters).order_by("url")
    count = found.count()
    page = list(found[paging.offset : paging.offset + paging.limit])
    users = _resources_of(page)
    return {
        **page_links(request, paging, count),
        "items": [
            {
                **health(link),
                "url": link.url,
                "host": link.host,
                "failing_since": link.first_failure_at,
                "last_ok_at": link.last_ok_at,
                "resources": users.get(link.url, []),
            }
            for link in page
        ],
    }


def _filtered(filters: schemas.LinkFilters):
    found = Link.objects.exclude(status="")
    if filters.status is not None:
        found = found.filter(status=filters.status)
    if filters.host is not None:
        found = found.filter(_on_host(filters.host))
    if filters.confirmed_broken is not None:
        # Link.is_confirmed_broken(), as a filter.
        broken = Q(
            status__in=FAILING,
            consecutive_failures__gte=2,
            first_failure_at__lte=F("last_checked_at") - CONFIRMATION_DELAY,
        )
        found = found.filter(broken if filters.confirmed_broken else ~broken)
    return found


def _on_host(host: str) -> Q:
    host = host.strip().lower().removeprefix("www.")
    if not HOST.fullmatch(host):
        return Q(pk__in=[])  # no host is spelt so: nothing matches
    # Only letters, digits, dots, dashes and a port are left: the pattern is
    # literal but for its dots, and reads the same to PostgreSQL and SQLite.
    pattern = r"^https?://(www\.)?" + host.replace(".", r"\.") + r"([:/?#]|$)"
    return Q(url__iregex=pattern)


def _resources_of(links: list[Link]) -> dict[str, list[str]]:
    """The resources behind a page of links, in one query (a URL may carry a #fragment)."""
    if not links:
        return {}
    where = Q()
    for link in links:
        where |= Q(url=link.url) | Q(url__startswith=link.url + "#")
    found: dict[str, list[str]] = {}
    for key, url in Resource.objects.filter(where).order_by("key").values_list("key", "url"):
        found.setdefault(link_url(url), []).append(key)
    return found
