"""SQLite FTS5: the `search_fts` table mirrors `search_entry` (see the migration)."""

from sommaire.search.analysis import AllOf, Node, Term

NAME = "SQLite FTS5"
# bm25 weights of the columns code, title, meta, body, documents.
WEIGHTS = "10.0, 5.0, 2.0, 1.0, 0.5"
# bm25 weights of a passage's columns code, body (see sommaire.documents).
PASSAGE_WEIGHTS = "10.0, 1.0"
CODE_COLUMNS = ("code",)
TIER_COLUMNS = ("code", "title")
# Not correlated: SQLite runs it once and keeps the rowids in a temporary index.
_SUBMATCH = "SELECT rowid FROM search_fts WHERE search_fts MATCH %s"


def render(node: Node, columns: tuple[str, ...] | None = None) -> str:
    text = _render(node)
    return f"{{{' '.join(columns)}}} : ({text})" if columns else text


def _render(node: Node) -> str:
    if isinstance(node, Term):
        # Datasette's escape_fts: a quoted string is always a plain token.
        return '"' + node.token.replace('"', '""') + '"'
    joiner = " AND " if isinstance(node, AllOf) else " OR "
    return "(" + joiner.join(_render(item) for item in node.items) + ")"


def matching(node: Node) -> tuple[str, list]:
    return "SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [render(node)]


def ranked(node: Node, tiers, restrict, limit: int, offset: int) -> tuple[str, list]:
    params: list = []
    code_tier = "0"
    if tiers.code is not None:
        code_tier = f"search_fts.rowid IN ({_SUBMATCH}) * 2"
        params.append(render(tiers.code, CODE_COLUMNS))
    params += [render(tiers.literal, TIER_COLUMNS), render(node)]
    where = ""
    if restrict is not None:
        where = f" AND search_fts.rowid IN ({restrict[0]})"
        params.extend(restrict[1])
    sql = (
        f"SELECT e.resource_id, -bm25(search_fts, {WEIGHTS}) AS score, e.active,"
        f" {code_tier} + (search_fts.rowid IN ({_SUBMATCH})) AS tier"
        " FROM search_fts JOIN search_entry e ON e.resource_id = search_fts.rowid"
        f" WHERE search_fts MATCH %s{where}"
        " ORDER BY e.active DESC, tier DESC, score DESC, e.resource_id"
        " LIMIT %s OFFSET %s"
    )
    return sql, [*params, limit, offset]


def optimize(cursor) -> None:
    # Merge the b-tree segments that row-by-row inserts leave behind.
    cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")


def passages(node: Node, first_id: int, last_id: int, limit: int) -> tuple[str, list]:
    """The best passages with ids in [first_id, last_id]: one resource's, a rowid range
    that FTS5 searches alone."""
    sql = (
        "SELECT rowid FROM documents_passage_fts WHERE documents_passage_fts MATCH %s"
        " AND rowid BETWEEN %s AND %s"
        f" ORDER BY bm25(documents_passage_fts, {PASSAGE_WEIGHTS}), rowid LIMIT %s"
    )
    return sql, [render(node), first_id, last_id, limit]
