"""One interface, two engines. Each backend module has the same shape:

- `render(node, columns=None)`: a query tree written in the engine's own query
  language, every token quoted; `columns` restricts the match to some columns;
- `matching(node)`: SQL selecting the ids of the resources that match;
- `ranked(node, tiers, restrict, need)`: the plan for the first `need` hits
  (resource_id, score, active, tier), best first: statements tried in turn
  until one has them (see `backends.plan`);
- `id_list(expression)`: SQL of an aggregate that gathers the values of
  `expression` (ids) into one comma-separated string, NULLs left out, for
  facets counted in Python (`search.listing.count`);
- `optimize(cursor)`: tidy the index after a full rebuild;
- `passages(node, first_id, last_id, limit, columns=None)`: SQL of the ids
  of one resource's passages that match (sommaire.documents), in document
  order; `search.services.attach_passages` ranks them, the same on both.

Ranking is the same on both, and only the last step is the engine's own:

1. active resources before archived ones;
2. the tier: 2 when the query matches the resource's document code (the
   file name of DSR-HOP-DPI-Va1.pdf), plus 1 when the words as typed, without
   their equivalents, are all in its code or title, plus 1 when every word,
   as typed or by an equivalent, is in its code or title (« labo » finds
   the titles that say « laboratoire » before the resources filed under
   « Biologie médicale »);
3. the engine's score with column weights, code > title > meta > body >
   documents, the words of the linked document (bm25 on SQLite, ts_rank
   on PostgreSQL: ts_rank_cd's cover search cost about 10 µs a row with
   equivalents in the query, three to four times ts_rank; both weigh
   frequency);
4. the resource id, so that equal scores come in a stable order.

`tiers` is `Tiers(code, literal)`: the trees that decide step 2 with the
query itself (code may be None when no word of the query looks like a code).
"""

from typing import NamedTuple

from django.db import connection

from sommaire.search.analysis import Node
from sommaire.search.backends import postgresql, sqlite


class Tiers(NamedTuple):
    code: Node | None
    literal: Node


BACKENDS = {"sqlite": sqlite, "postgresql": postgresql}


def current():
    """The backend module of the default database."""
    try:
        return BACKENDS[connection.vendor]
    except KeyError:
        raise NotImplementedError(
            f"search has no backend for {connection.vendor}: use SQLite or PostgreSQL"
        ) from None
