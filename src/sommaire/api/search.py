"""GET /api/v1/search: the /recherche/ page as JSON, same engine, same filters and facets."""

from django.http import QueryDict
from ninja import Query, Router

from sommaire.api import schemas
from sommaire.api.http import absolute, page_links
from sommaire.catalog.models import Resource
from sommaire.search import services
from sommaire.search.highlight import snippet
from sommaire.search.listing import FACETS, Filters

router = Router(tags=["recherche"])


@router.get(
    "/search",
    response={200: schemas.SearchPage, 422: schemas.ValidationProblem},
    summary="Chercher dans le catalogue et dans le texte des documents",
)
def search(request, params: Query[schemas.SearchParams], paging: Query[schemas.SearchPaging]):
    text = _text(params.q).strip()
    filters = _filters(params)
    query = services.analyse(text, correct=not params.original)
    found = {"query": text, "corrected": False, "relaxed": False, "facets": []}
    if query.is_empty():
        return {**found, **page_links(request, paging, 0), "items": []}
    found.update(query=query.corrected_text(), corrected=bool(query.corrections))
    # Counted as on /recherche/ (search.page.build): one reading of the matches.
    tally = filters.tally_matches(query)
    if not tally.matches and query.all_but_one() is not None:
        found["relaxed"], tally = True, filters.tally_matches(query, relaxed=True)
    count = tally.total
    found["facets"] = [_facet(counts) for counts in tally.facets]
    hits = []
    if count > paging.offset:
        restrict = filters.apply(Resource.objects.all()) if filters else None
        hits = services.search(
            query,
            limit=paging.limit,
            offset=paging.offset,
            restrict=restrict,
            relaxed=found["relaxed"],
        ).hits
        hits = services.attach_passages(services.describe(hits), query)
    tokens = query.tokens()
    return {
        **found,
        **page_links(request, paging, count),
        "items": [_hit(hit, tokens) for hit in hits],
    }


def _filters(params: schemas.SearchParams) -> Filters:
    given = QueryDict(mutable=True)
    for facet in FACETS:
        value = getattr(params, facet.name)
        if value:
            given[facet.name] = _text(value)
    return Filters.from_query(given, keep=())


def _text(value: str) -> str:
    # PostgreSQL refuses NUL in a string (a 500 otherwise); no word or slug holds one.
    return value.replace("\x00", " ")


def _facet(counts) -> dict:
    return {
        "name": counts.facet.name,
        "label": counts.facet.label,
        "choices": [
            {"value": c.value, "label": c.label, "count": c.count, "selected": c.selected}
            for c in counts.choices
        ],
    }


def _hit(hit: services.Hit, tokens: set[str]) -> dict:
    resource = hit.resource
    return {
        "key": resource.key,
        "url": resource.url,
        "title": resource.title,
        "section": hit.placement.section.slug if hit.placement else None,
        "score": hit.score,
        "snippet": str(snippet(resource.description, tokens)),
        "passages": [
            {
                "place": p.place(),
                "url": p.link(resource.url),
                "snippet": str(snippet(p.text, tokens)),
            }
            for p in hit.passages
        ],
        "status": resource.status,
        "page_url": absolute(resource.get_absolute_url()),
    }
