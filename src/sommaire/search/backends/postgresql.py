"""PostgreSQL full-text: the generated column `search_entry.vector` (see the migration)."""

from sommaire.search.analysis import AllOf, Node, Term

NAME = "PostgreSQL full-text"
# ts_rank_cd weights, in PostgreSQL's order {D, C, B, A}: body, meta, title, code.
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


def ranked(node: Node, tiers, restrict, limit: int, offset: int) -> tuple[str, list]:
    params = [render(node), render(tiers.literal, TIER_COLUMNS)]
    code_tier = "0"
    if tiers.code is not None:
        code_tier = "(e.vector @@ %s::tsquery)::int * 2"
        params.append(render(tiers.code, CODE_COLUMNS))
    where = ""
    if restrict is not None:
        where = f" AND e.resource_id IN ({restrict[0]})"
        params.extend(restrict[1])
    # Parameters in the order they appear: match, literal (in q), code, restrict.
    sql = (
        f"SELECT e.resource_id, ts_rank_cd('{WEIGHTS}', e.vector, q.match) AS score, e.active,"
        f" {code_tier} + (e.vector @@ q.literal)::int AS tier"
        " FROM search_entry e, (SELECT %s::tsquery AS match, %s::tsquery AS literal) q"
        f" WHERE e.vector @@ q.match{where}"
        " ORDER BY e.active DESC, tier DESC, score DESC, e.resource_id"
        " LIMIT %s OFFSET %s"
    )
    return sql, [*params, limit, offset]


def optimize(cursor) -> None:
    # The GIN index takes rows as they come; statistics are the planner's business.
    cursor.execute("ANALYZE search_entry")


def passages(node: Node, first_id: int, last_id: int, limit: int) -> tuple[str, list]:
    """The best passages with ids in [first_id, last_id]: one resource's (see
    sommaire.documents), read through the primary key, then matched."""
    sql = (
        "SELECT p.id FROM documents_passage p, (SELECT %s::tsquery AS match) q"
        " WHERE p.id BETWEEN %s AND %s AND p.vector @@ q.match"
        f" ORDER BY ts_rank_cd('{WEIGHTS}', p.vector, q.match) DESC, p.id LIMIT %s"
    )
    return sql, [render(node), first_id, last_id, limit]
