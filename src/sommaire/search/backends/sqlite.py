"""SQLite FTS5: the `search_fts` table mirrors `search_entry`, `search_title_fts` its code
and title (see the migrations)."""

from sommaire.search.analysis import AllOf, Node, Term
from sommaire.search.backends.plan import Step, window

NAME = "SQLite FTS5"
# bm25 weights of the columns code, title, meta, body, documents.
WEIGHTS = "10.0, 5.0, 2.0, 1.0, 0.5"
CODE_COLUMNS = ("code",)
# The tiers are read from the table of codes and titles (migration 0003).
_SUBMATCH = "SELECT rowid FROM search_title_fts WHERE search_title_fts MATCH %s"


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


def ranked(node: Node, tiers, restrict, need: int) -> list[Step]:
    """The plan for the first `need` hits (see `backends.plan`): the candidates of the
    upper tiers, those of every tier above 0, every match, then every match with no
    shortcut."""
    # The resources of each tier, found once per statement and kept in
    # temporary tables; the candidates are those in any.
    # search_title_fts holds the code and title only: no column filter.
    subsets = {"literal": render(tiers.literal)}
    tier = "(search_fts.rowid IN literal)"
    upper = "search_fts.rowid IN literal"
    if tiers.code is not None:
        subsets["code"] = render(tiers.code, CODE_COLUMNS)
        tier += " + (search_fts.rowid IN code) * 2"
        upper = f"{upper} OR search_fts.rowid IN code"
    # Every row of the upper tiers holds every word or an equivalent in its
    # code or title: the first step, which reads those rows only, counts that
    # tier as 1 without the temporary table of the titles, the dearest of
    # the three (« sun-es » brings « ségur » and « santé », in most titles).
    upper_sql, upper_params = _with(subsets)
    subsets["title"] = render(node)
    tiers_sql, tier_params = _with(subsets)
    only, only_params = "", []
    if restrict is not None:
        # The unary + keeps the filter out of FTS5's reach: handed to it as
        # `rowid = ?`, it would run the whole query once per filtered id.
        only, only_params = f" AND +search_fts.rowid IN ({restrict[0]})", list(restrict[1])
    rest, size = [render(node), *only_params], window(need)
    title_tier = f"{tier} + (search_fts.rowid IN title)"
    candidates = f" AND +({upper} OR search_fts.rowid IN title){only}"
    steps = [
        # A scored row has to come from the engine's query for `node` alone
        # (bm25 weighs every word of the query it runs): the candidates
        # filter its rows, and only theirs get a score.
        Step(
            f"{upper_sql} {_window(f'{tier} + 1', f' AND +({upper}){only}')}",
            [*upper_params, *rest, size],
            size,
        ),
        Step(f"{tiers_sql} {_window(title_tier, candidates)}", [*tier_params, *rest, size], size),
        Step(
            f"{tiers_sql} {_window(title_tier, only)}",
            [*tier_params, *rest, size],
            size,
            complete=True,
        ),
        Step(f"{tiers_sql} {_everything(title_tier, only)}", [*tier_params, *rest, need]),
    ]
    # A filtered search seldom finds a page among the titles alone, and
    # that step reads every match to filter it: it goes on to every match.
    return steps if restrict is None else [steps[0], *steps[2:]]


def _with(subsets: dict[str, str]) -> tuple[str, list]:
    """The WITH clause keeping the resources of each named match in a temporary table."""
    tables = ", ".join(f"{name} AS MATERIALIZED ({_SUBMATCH})" for name in subsets)
    return f"WITH {tables}", list(subsets.values())


def _window(tier: str, where: str) -> str:
    """The best rows by tier and score, then whether they are active: search_entry is
    read for the window only, not for every match."""
    return (
        "SELECT w.id, w.score, e.active, w.tier FROM ("
        f"SELECT search_fts.rowid AS id, -bm25(search_fts, {WEIGHTS}) AS score, {tier} AS tier"
        f" FROM search_fts WHERE search_fts MATCH %s{where}"
        " ORDER BY tier DESC, score DESC, id LIMIT %s"
        ") w JOIN search_entry e ON e.resource_id = w.id"
        " ORDER BY e.active DESC, w.tier DESC, w.score DESC, w.id"
    )


def _everything(tier: str, where: str) -> str:
    return (
        f"SELECT e.resource_id, -bm25(search_fts, {WEIGHTS}) AS score, e.active, {tier} AS tier"
        " FROM search_fts JOIN search_entry e ON e.resource_id = search_fts.rowid"
        f" WHERE search_fts MATCH %s{where}"
        " ORDER BY e.active DESC, tier DESC, score DESC, e.resource_id LIMIT %s"
    )


def id_list(expression: str) -> str:
    """SQL aggregating the values of `expression` into one string, "12,5,12", NULLs left out."""
    return f"group_concat({expression})"


def optimize(cursor) -> None:
    # Merge the b-tree segments that row-by-row inserts leave behind.
    for table in ("search_fts", "search_title_fts"):
        cursor.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")


def passages(node: Node, first_id: int, last_id: int, limit: int, columns=None) -> tuple[str, list]:
    """Ids of the passages in [first_id, last_id] (one resource's) that match, in document order.

    No bm25 here: FTS5 counts, for its statistics, every row of the table
    that holds each term, whatever the rowid range, which costs tens of
    milliseconds per common word at a million passages. Read in rowid order
    within the range, a match costs next to nothing; the caller ranks.
    """
    sql = (
        "SELECT rowid FROM documents_passage_fts WHERE documents_passage_fts MATCH %s"
        " AND rowid BETWEEN %s AND %s ORDER BY rowid LIMIT %s"
    )
    return sql, [render(node, columns), first_id, last_id, limit]
