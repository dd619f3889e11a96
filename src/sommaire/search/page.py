"""The /recherche/ page, as data: what the view hands to its template."""

from dataclasses import dataclass, field
from functools import cached_property

from django.core.paginator import Paginator

from sommaire.catalog.models import GlossaryTerm, Resource, Section
from sommaire.search import services
from sommaire.search.highlight import highlight, snippet
from sommaire.search.listing import FacetCounts, Filters

PER_PAGE = 20
MAX_QUERY_LENGTH = 200


@dataclass
class Excerpt:
    """A passage of the document, shown beneath its resource: "p. 12", the words marked."""

    place: str
    url: str
    snippet: str


@dataclass
class Result:
    hit: services.Hit
    title: str
    snippet: str
    excerpts: list[Excerpt] = field(default_factory=list)

    @property
    def resource(self) -> Resource:
        return self.hit.resource


@dataclass
class SearchPage:
    text: str
    filters: Filters
    query: object = None
    results: list[Result] = field(default_factory=list)
    total: int = 0
    relaxed: bool = False
    facets: list[FacetCounts] = field(default_factory=list)
    page: object = None
    original_url: str = ""
    # Relaxed: the words the results lack ("2" in "AF DPI vague 2").
    dropped: list[str] = field(default_factory=list)
    # The query is a glossary term: its entry, and the section named after it.
    definition: GlossaryTerm | None = None
    definition_section: Section | None = None

    @cached_property
    def chips(self) -> list[FacetCounts]:
        """The facets with a filter in use, each with the URL that lifts it (asked
        by the template once the page is built)."""
        return [counts for counts in self.facets if counts.selected()]


def build(params) -> SearchPage:
    """Analyse, count, facet and fetch one page of results for the request's parameters."""
    text = params.get("q", "").strip()[:MAX_QUERY_LENGTH]
    filters = Filters.from_query(params)
    found = SearchPage(text=text, filters=filters)
    if not text:
        return found
    found.query = query = services.analyse(text, correct=not params.get("original"))
    if query.is_empty():
        return found
    found.definition = services.definition(text)
    if found.definition is not None:
        found.definition_section = found.definition.section()
    if query.corrections:
        found.original_url = filters.url(q=text, original="1")
    tally = filters.tally_matches(query)
    if not tally.matches and query.all_but_one() is not None:
        found.relaxed, tally = True, filters.tally_matches(query, relaxed=True)
    found.total, found.facets = tally.total, tally.facets
    paginator = Paginator(range(found.total), PER_PAGE)
    found.page = paginator.get_page(params.get("page"))
    if not found.total:
        return found
    offset = (found.page.number - 1) * PER_PAGE
    restrict = filters.apply(Resource.objects.all()) if filters else None
    if found.relaxed:
        found.dropped = services.words_left_out(query, restrict)
    hits = services.search(
        query, limit=PER_PAGE, offset=offset, restrict=restrict, relaxed=found.relaxed
    ).hits
    tokens = query.tokens()
    described = services.attach_passages(services.describe(hits), query)
    found.results = [
        Result(
            hit,
            highlight(hit.resource.title, tokens),
            snippet(hit.resource.description, tokens),
            [
                Excerpt(p.place(), p.link(hit.resource.url), snippet(p.text, tokens))
                for p in hit.passages
            ],
        )
        for hit in described
    ]
    return found
