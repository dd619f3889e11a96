"""The search app's public functions: what views, commands and other apps call.

    search("pharmacie dsr")          -> Results (hits, best first)
    matching(query), matching_ids(query) -> every match, to count and facet
    describe(results.hits)           -> the hits with their resources
    attach_passages(hits, query)     -> each hit with the best passages of its document
    reindex()                        -> rebuild the index from scratch
    load_synonyms(...), dump_synonyms()  for the content pack

The glossary and the synonyms (the thesaurus) and the index vocabulary are
read once per catalog generation and kept per process.
"""

import threading
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Prefetch
from django.db.models.expressions import RawSQL

from sommaire.catalog.models import CatalogState, GlossaryTerm, Placement, Resource
from sommaire.documents.models import DocumentState, Passage
from sommaire.public import cache as page_cache
from sommaire.search import analysis, backends, index
from sommaire.search.backends import plan
from sommaire.search.models import Entry, Synonym

DEFAULT_LIMIT = 20


@dataclass
class Hit:
    resource_id: int
    score: float
    active: bool
    tier: int
    resource: Resource | None = None
    placement: Placement | None = None
    # The best passages of the resource's document (sommaire.documents), best first.
    passages: list = field(default_factory=list)


@dataclass
class Results:
    query: analysis.Query
    hits: list[Hit] = field(default_factory=list)
    # No resource holds every word: the hits hold some of them.
    relaxed: bool = False


# --- thesaurus and vocabulary, per catalog generation -------------------------


class _State:
    """What queries need from the catalog, for one generation."""

    def __init__(self, generation: int):
        self.generation = generation
        self.thesaurus = _build_thesaurus()
        self._vocabulary = None
        self._entries = None
        # Resources shown in results, with their vocabularies and first
        # placement: read once per generation, at most DESCRIBED_KEPT of them.
        self.described: dict[int, tuple[Resource, Placement | None]] = {}
        self.kept: dict[str, object] = {}

    def vocabulary(self) -> analysis.Vocabulary:
        # Built on first need only: most queries have no unknown word.
        if self._vocabulary is None:
            self._vocabulary = _build_vocabulary()
        return self._vocabulary

    def entries(self) -> int:
        """The size of the index, which decides whether ranking takes shortcuts."""
        if self._entries is None:
            self._entries = Entry.objects.count()
        return self._entries


_lock = threading.Lock()
_shared: dict[str, _State] = {}
DESCRIBED_KEPT = 5000


def _generation() -> int:
    # The generation the page cache reads (kept per process a second at most,
    # forgotten at once on a change made here): what a page keeps is never
    # older than the generation the page is cached under. A search with its
    # own memory of the generation could cache, under the new generation, a
    # page built from what it kept of the old one.
    if connection.in_atomic_block:
        return CatalogState.current()
    return page_cache.current_generation()


def forget() -> None:
    """Drop what this process keeps, as if it had just started (for tests)."""
    _shared.clear()


def _state() -> _State:
    generation = _generation()
    state = _shared.get("state")
    if state is not None and state.generation == generation:
        return state
    state = _State(generation)
    # Inside a transaction the catalog may hold changes that others cannot
    # see yet or that will be rolled back, and a rolled-back generation
    # number is handed out again: only what was read outside a transaction
    # may be shared.
    if not connection.in_atomic_block:
        with _lock:
            _shared["state"] = state
    return state


def per_generation(name: str, read):
    """`read()`, kept by this process until the catalog changes (vocabularies, ...).

    Inside a transaction the catalog may hold what others cannot see: read afresh.
    """
    if connection.in_atomic_block:
        return read()
    state = _state()
    if name not in state.kept:
        value = read()
        if _shared.get("state") is not state:
            return value
        state.kept[name] = value
    return state.kept[name]


def _build_thesaurus() -> analysis.Thesaurus:
    thesaurus = analysis.Thesaurus()
    for term, expansion in GlossaryTerm.objects.values_list("term", "expansion"):
        thesaurus.add_equivalents([term, thesaurus.without_asides(expansion)])
    for synonym in Synonym.objects.all():
        if synonym.is_one_way():
            thesaurus.add_one_way(synonym.words[0], synonym.means)
        else:
            thesaurus.add_equivalents(synonym.words)
    return thesaurus


def _build_vocabulary() -> analysis.Vocabulary:
    counts: Counter = Counter()
    for words in Entry.objects.values_list("words", flat=True).iterator(chunk_size=2000):
        counts.update(words.split())
    for term, expansion in GlossaryTerm.objects.values_list("term", "expansion"):
        counts.update(analysis.surface_words(f"{term} {expansion}"))
    for synonym in Synonym.objects.all():
        counts.update(analysis.surface_words(" ".join([*synonym.words, *synonym.means])))
    return analysis.Vocabulary.build(counts)


# --- searching -----------------------------------------------------------------


def analyse(text: str, correct: bool = True) -> analysis.Query:
    """What a reader typed, analysed with the current glossary, synonyms and vocabulary."""
    state = _state()
    return analysis.analyse_query(text, state.thesaurus, state.vocabulary, correct=correct)


def search(
    text: str | analysis.Query,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
    restrict=None,
    correct: bool = True,
    relaxed: bool | None = None,
) -> Results:
    """The resources that match, best first.

    `restrict` is a Resource queryset the hits must belong to (filters).
    Every word must match; when no resource has them all and `relaxed` is
    not False, the hits are the resources that have all words but one.
    """
    query = text if isinstance(text, analysis.Query) else analyse(text, correct)
    if query.is_empty():
        return Results(query)
    if not relaxed:
        hits = _ranked(query.all_words(), query, restrict, limit, offset)
        if hits or relaxed is False or query.all_but_one() is None or offset:
            return Results(query, hits)
    if query.all_but_one() is None:
        return Results(query, [], True)
    return Results(query, _ranked(query.all_but_one(), query, restrict, limit, offset), True)


def _ranked(node, query, restrict, limit: int, offset: int) -> list[Hit]:
    need = offset + limit
    with connection.cursor() as cursor:
        for step in ranking_steps(node, query, restrict, need):
            cursor.execute(step.sql, step.params)
            rows = cursor.fetchall()
            if step.answers(rows, need):
                break
    return [
        Hit(rid, float(score), bool(active), int(tier))
        for rid, score, active, tier in rows[offset:need]
    ]


def ranking_steps(node, query, restrict=None, need=DEFAULT_LIMIT) -> list[plan.Step]:
    """The engine's statements for the first `need` hits, tried in turn (see
    `backends.plan`)."""
    restriction = None
    if restrict is not None:
        # Without its ordering: the ids are a set, and sorting them costs.
        restriction = restrict.order_by().values("pk").query.sql_with_params()
    tiers = backends.Tiers(query.all_words() if query.has_code else None, query.literal_words())
    steps = backends.current().ranked(node, tiers, restriction, need)
    return plan.for_size(steps, _state().entries())


def matching(query: analysis.Query, relaxed: bool = False):
    """A Resource queryset of every match, to count and facet."""
    node = _matched(query, relaxed)
    if node is None:
        return Resource.objects.none()
    sql, params = backends.current().matching(node)
    return Resource.objects.filter(pk__in=RawSQL(sql, params))


def matching_ids(query: analysis.Query, relaxed: bool = False) -> list[int]:
    """The ids of `matching`, read straight from the index: building the
    queryset's statement costs more than running it on a small catalog."""
    node = _matched(query, relaxed)
    if node is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(*backends.current().matching(node))
        return [pk for (pk,) in cursor.fetchall()]


def _matched(query: analysis.Query, relaxed: bool):
    return query.all_but_one() if relaxed else query.all_words()


# Up to this many resources in the index, a results page reads what it needs
# to count facets and find documents once per catalog generation and works
# in memory; beyond, the database counts (bench/README.md, 100,000 resources).
SMALL_CATALOG = 10_000


def is_small_catalog() -> bool:
    return _state().entries() <= SMALL_CATALOG


def words_left_out(query: analysis.Query, restrict=None) -> list[str]:
    """The words of a relaxed query that the matches lack: those without which
    some resource (of `restrict`, a Resource queryset) has every other word."""
    if query.all_but_one() is None:
        return []
    left_out = []
    for position, label in enumerate(query.labels):
        sql, params = backends.current().matching(query.without(position))
        if restrict is not None:
            found = restrict.filter(pk__in=RawSQL(sql, params)).exists()
        else:
            # The index holds the catalog's resources only: no need to join them.
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT EXISTS ({sql})", params)
                found = bool(cursor.fetchone()[0])
        if found:
            left_out.append(label)
    return left_out


def definition(text: str) -> GlossaryTerm | None:
    """The glossary term a query is, whatever its case ("ins", "DMP"), or None.

    The terms are read once per catalog generation (a query per results page
    cost more than the search); the term is shared, so nothing may change it.
    """
    text = text.strip()
    if not text or len(text) > GlossaryTerm._meta.get_field("term").max_length:
        return None
    return per_generation("glossary terms", _read_terms).get(text.upper())


def _read_terms() -> dict[str, GlossaryTerm]:
    return {term.term.upper(): term for term in GlossaryTerm.objects.order_by("-pk")}


def describe(hits: list[Hit]) -> list[Hit]:
    """Attach to each hit its resource (with its vocabularies) and its first placement.

    The resources are kept per process until the catalog changes: a results
    page reads from the database only those no earlier page showed. They are
    shared between requests, so nothing may change them.
    """
    state = _state()
    known = state.described
    missing = [hit.resource_id for hit in hits if hit.resource_id not in known]
    fetched = _read_described(missing) if missing else {}
    if fetched and _shared.get("state") is state:
        with _lock:
            if len(known) + len(fetched) > DESCRIBED_KEPT:
                known.clear()
            known.update(fetched)
    described = []
    for hit in hits:
        found = known.get(hit.resource_id) or fetched.get(hit.resource_id)
        if found is None:
            continue
        hit.resource, hit.placement = found
        described.append(hit)
    return described


def _read_described(ids: list[int]) -> dict[int, tuple[Resource, Placement | None]]:
    placements = Prefetch("placements", queryset=Placement.objects.select_related("section"))
    resources = Resource.objects.described().prefetch_related(placements).in_bulk(ids)
    described = {}
    for pk, resource in resources.items():
        ordered = sorted(resource.placements.all(), key=lambda p: (p.section.order, p.order))
        described[pk] = (resource, ordered[0] if ordered else None)
    return described


PASSAGES_PER_HIT = 3
# Matching passages read per resource and per round, in document order.
PASSAGE_CANDIDATES = 50


def attach_passages(hits: list[Hit], query: analysis.Query, limit: int = PASSAGES_PER_HIT):
    """Give each hit the best passages of its document.

    Candidates are each resource's first matching passages in document
    order, read in rounds: those whose requirement code matches (a code
    query), those with every word, then, if too few, those with any. They
    are ranked here, the same on both engines: code first, then the number
    of the query's words they hold, then how densely, then their order in
    the document. A query per round and hit, each on one resource's
    passages only (a range of ids): the cost follows the documents shown,
    not the size of the index.
    """
    if query.is_empty() or not hits:
        return hits
    ids = [hit.resource_id for hit in hits]
    with_text = _with_passages(ids)
    # (node, columns, only when too few found so far)
    rounds = [(query.all_words(), None, False)]
    if query.has_code:
        rounds.insert(0, (query.all_words(), ("code",), False))
    if len(query.nodes) > 1:
        rounds.append((analysis.any_of(query.nodes), None, True))
    candidates: dict[int, list[int]] = {}
    with connection.cursor() as cursor:
        for hit in hits:
            if hit.resource_id in with_text:
                candidates[hit.resource_id] = _candidates(cursor, hit.resource_id, rounds, limit)
    every = [pk for pks in candidates.values() for pk in pks]
    rank = _PassageRank(query)
    ranks = {pk: rank(pk, code, body) for pk, code, body in _passage_tokens(every)}
    chosen = {
        rid: sorted((pk for pk in pks if pk in ranks), key=ranks.__getitem__)[:limit]
        for rid, pks in candidates.items()
    }
    passages = Passage.objects.in_bulk([pk for pks in chosen.values() for pk in pks])
    for hit in hits:
        hit.passages = [passages[pk] for pk in chosen.get(hit.resource_id, []) if pk in passages]
    return hits


def _with_passages(ids: list[int]) -> set[int]:
    """Those of `ids` whose document has passages (most have none)."""
    # Inside a transaction nothing is kept (`per_generation`): ask for these only.
    if connection.in_atomic_block or not is_small_catalog():
        return _documents_with_passages(ids)
    return per_generation("documents with passages", _documents_with_passages).intersection(ids)


def _documents_with_passages(ids: list[int] | None = None) -> frozenset[int]:
    documents = DocumentState.objects.filter(passage_count__gt=0)
    if ids is not None:
        documents = documents.filter(pk__in=ids)
    return frozenset(documents.values_list("pk", flat=True))


def _candidates(cursor, resource_id: int, rounds: list, limit: int) -> list[int]:
    first, last = Passage.make_id(resource_id, 0), Passage.make_id(resource_id + 1, -1)
    found: list[int] = []
    for node, columns, fallback in rounds:
        if fallback and len(found) >= limit:
            break
        sql, params = backends.current().passages(node, first, last, PASSAGE_CANDIDATES, columns)
        cursor.execute(sql, params)
        found += [pk for (pk,) in cursor.fetchall() if pk not in found]
    return found


def _passage_tokens(ids: list[int]):
    if not ids:
        return []
    return Passage.objects.filter(pk__in=ids).values_list("pk", "code", "body")


def _contains(node, tokens: set[str]) -> bool:
    if isinstance(node, analysis.Term):
        return node.token in tokens
    check = all if isinstance(node, analysis.AllOf) else any
    return check(_contains(item, tokens) for item in node.items)


class _PassageRank:
    """The sort key of a candidate passage: code, words held, density, place."""

    def __init__(self, query: analysis.Query):
        self.all_words = query.all_words()
        self.nodes = query.nodes
        self.wanted = query.tokens()

    def __call__(self, pk: int, code: str, body: str) -> tuple:
        words = body.split()
        codes = set(code.split())
        present = set(words) | codes
        density = sum(1 for word in words if word in self.wanted) / (len(words) + 20)
        return (
            not (codes and _contains(self.all_words, codes)),
            -sum(1 for node in self.nodes if _contains(node, present)),
            -density,
            pk,
        )


# --- maintenance ------------------------------------------------------------------


def reindex(progress=None) -> int:
    """Rebuild the whole index; return the number of resources indexed."""
    return index.rebuild(progress)


def refresh(resource_ids) -> int:
    """Rewrite the entries of some resources, for code that wrote them with update()."""
    return index.refresh(resource_ids)


@transaction.atomic
def load_synonyms(entries: list[tuple[list[str], list[str]]]) -> str:
    """Replace the synonyms by the pack's (words, means) entries.

    Returns 'created', 'updated' or 'unchanged', as the pack report counts them.
    """
    current = [(s.words, s.means) for s in Synonym.objects.order_by("order", "pk")]
    wanted = [(list(words), list(means)) for words, means in entries]
    if current == wanted:
        return "unchanged"
    Synonym.objects.all().delete()
    for order, (words, means) in enumerate(wanted, start=1):
        Synonym.objects.create(words=words, means=means, order=order)
    return "created" if not current else "updated"


def dump_synonyms() -> list[dict]:
    """The synonyms as synonyms.yaml entries."""
    entries = []
    for synonym in Synonym.objects.order_by("order", "pk"):
        if synonym.is_one_way():
            entries.append({"word": synonym.words[0], "means": list(synonym.means)})
        else:
            entries.append({"words": list(synonym.words)})
    return entries
