"""How a page of hits is found without scoring every match: the steps of a ranking plan.

The engines' scores (bm25, ts_rank) are computed row by row, and a
common word matches a quarter of a large catalog: scoring every match costs
more than anything else a search does. The order of hits (see
`sommaire.search.backends`) puts active resources first, then the tiers,
then the score; so the first hits usually all come from the small set of
resources whose code or title hold the words as typed (the upper tiers),
or else from those whose code or title hold the words or their
equivalents (tier 1 and above), and only those need a score.

A plan is a list of steps tried in order. Each step is one statement giving
at most `window` hits, in the final order, among the matches of some set
that holds every match of a higher tier than its own rows: the candidates
of the upper tiers, those of tier 1 and above, then every match. Of such a
set, the top rows by (tier, score, id) that are active outrank every active
match outside it: so a step that returns `need` active hits has found the
first `need` hits of the whole ranking. A step over every match that
returns fewer rows than it asked for has seen them all. Otherwise the next
step runs; the last one ranks every match, as a plain query would. On a
small index the plan is that last step alone.

The relevance and conformance suites hold the order; `test_ranking_plan`
holds that each shortcut gives the very hits of the plain query.
"""

from typing import NamedTuple

# Rows a step asks for, per hit wanted: archived resources in the window
# push active ones out, and a window with too few active ones falls back to
# the next step.
WINDOW_FACTOR = 2
# Entries from which the shortcuts pay: on a smaller index, ranking every
# match costs less than the statement a shortcut that fails adds (on the
# Ségur catalog, 166 resources, p50 0.35 ms without them, 0.55 ms with).
SHORTCUTS_FROM = 2000


def window(need: int) -> int:
    return WINDOW_FACTOR * need


def for_size(steps: list, entries: int) -> list:
    """The steps worth trying on an index of `entries` rows: on a small one, the last."""
    return steps if entries >= SHORTCUTS_FROM else steps[-1:]


class Step(NamedTuple):
    sql: str
    params: list
    # Rows asked for; None: the last step, which ranks every match.
    window: int | None = None
    # The step ranks every match, not only the candidates.
    complete: bool = False

    def answers(self, rows: list, need: int) -> bool:
        """Whether `rows` (resource_id, score, active, tier) hold the first `need` hits."""
        if self.window is None or sum(1 for row in rows if row[2]) >= need:
            return True
        return self.complete and len(rows) < self.window
