"""PostgreSQL full-text: the generated columns `search_entry.vector` and `title_vector`
(see the migrations)."""

from sommaire.search.analysis import AllOf, Node, Term
from sommaire.search.backends.plan import Step, window

NAME = "PostgreSQL full-text"
# ts_rank weights, in PostgreSQL's order {D, C, B, A}: body, meta, title, code.
WEIGHTS = "{0.1, 0.2, 0.5, 1.0}"
# Labels of the columns, as setweight() gave them in the migrations.
LABELS = {"code": "A", "title": "B", "meta": "C", "body": "D", "documents": "D"}
CODE_COLUMNS = ("code",)
TIER_COLUMNS = ("code", "title")


def render(node: Node, columns: tuple[str, ...] | None = None) -> str:
    labels = ":" + "".join(LABELS[c] for c in columns) if columns else ""
    return _render(node, labels)


def _render(node: Node, labels: str) -> str:
    if isinstance(node, Term):
        # Quoted lexemes are taken as they are by the ::tsquery cast.
        return "'" + node.token.replace("'", "''").replace("\\", "\\\\") + "'" + labels
    joiner = " & " if isinstance(node, AllOf) else " | "
    return "(" + joiner.join(_render(item, labels) for item in node.items) + ")"


def matching(node: Node) -> tuple[str, list]:
    return "SELECT resource_id FROM search_entry WHERE vector @@ %s::tsquery", [render(node)]


def ranked(node: Node, tiers, restrict, need: int) -> list[Step]:
    """The plan for the first `need` hits (see `backends.plan`): the candidates of the
    upper tiers, those of every tier above 0, then every match."""
    queries = {
        "match": render(node),
        "title": render(node, TIER_COLUMNS),
        "literal": render(tiers.literal, TIER_COLUMNS),
    }
    code_tier = "0"
    if tiers.code is not None:
        queries["code"] = render(tiers.code, CODE_COLUMNS)
        code_tier = "(e.title_vector @@ q.code)::int * 2"
    upper = " | ".join(queries[name] for name in ("literal", "code") if name in queries)
    queries["upper"] = upper
    queries["candidates"] = f"{upper} | {queries['title']}"
    only, only_params = "", []
    if restrict is not None:
        only, only_params = f" AND e.resource_id IN ({restrict[0]})", list(restrict[1])
    # Tiers and candidates are read from title_vector, whose GIN index
    # finds the entries with the words in their code or title without
    # reading those that hold them elsewhere (see migration 0003). A
    # candidate matches: its code or title hold every word or an
    # equivalent, and title_vector is part of vector. So the candidates'
    # statements leave `vector @@ match` out: with it, the planner reads
    # the index on vector too (a quarter of the catalog for a common word)
    # to intersect two sets of which one holds the other.
    select = (
        f"SELECT e.resource_id, ts_rank('{WEIGHTS}', e.vector, q.match) AS score, e.active,"
        f" {code_tier} + (e.title_vector @@ q.literal)::int + (e.title_vector @@ q.title)::int"
        " AS tier"
        f" FROM search_entry e, (SELECT {', '.join(f'%s::tsquery AS {n}' for n in queries)}) q"
    )
    order = " ORDER BY e.active DESC, tier DESC, score DESC, e.resource_id LIMIT %s"
    params, size = [*queries.values(), *only_params], window(need)
    steps = [
        Step(f"{select} WHERE e.title_vector @@ q.upper{only}{order}", [*params, size], size),
        Step(f"{select} WHERE e.title_vector @@ q.candidates{only}{order}", [*params, size], size),
        Step(f"{select} WHERE e.vector @@ q.match{only}{order}", [*params, need]),
    ]
    # Each statement evaluates the filter again (a section and a region:
    # 20 ms at 100,000 resources), and the upper tiers seldom hold a page
    # of a filtered search: it starts with the candidates of every tier.
    return steps if restrict is None else steps[1:]


def id_list(expression: str) -> str:
    """SQL aggregating the values of `expression` into one string, "12,5,12", NULLs left out."""
    return f"string_agg(CAST({expression} AS text), ',')"


INDEXES = ("search_entry_vector", "search_entry_title_vector")


def optimize(cursor) -> None:
    # A GIN index keeps new rows in a pending list (up to 4 MB) that every
    # search reads through until autovacuum merges it: after a rebuild,
    # hundreds of pages, several milliseconds a query. Merge it now, and
    # give the planner the new statistics. Only an index's owner may merge
    # it: a role that does not own them leaves the work to autovacuum, as
    # ANALYZE does (a warning) rather than failing the rebuild.
    cursor.execute(
        "SELECT gin_clean_pending_list(c.oid) FROM pg_class c"
        " WHERE c.oid = ANY(%s::regclass[]) AND pg_has_role(c.relowner, 'USAGE')",
        [list(INDEXES)],
    )
    cursor.execute("ANALYZE search_entry")


def passages(node: Node, first_id: int, last_id: int, limit: int, columns=None) -> tuple[str, list]:
    """Ids of the passages in [first_id, last_id] (one resource's) that match, in document order."""
    sql = (
        "SELECT id FROM documents_passage WHERE id BETWEEN %s AND %s AND vector @@ %s::tsquery"
        " ORDER BY id LIMIT %s"
    )
    return sql, [first_id, last_id, render(node, columns), limit]
