"""Search the catalog from the command line, with the engine of the site.

Steps: analyse the query (glossary, synonyms, typo correction) as the
/recherche/ page does, run it on the configured database's engine, print
the hits best first: a table, or with --format json a list of objects with
url, title, section, score (and key, kind, format, publisher, group,
status, and `passages`: the best passages of the linked document, each with
its place — `page`, or `sheet` and `row`, or `slide`, or `heading` — a
`snippet`, a `place` as readers read it and a `url`). A corrected query is
said on stderr in text mode.
"""

import html
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.html import strip_tags

from sommaire.search import services
from sommaire.search.highlight import snippet


def passage_dict(passage, url: str, tokens: set[str]) -> dict:
    return {
        **passage.location(),
        "place": passage.place(),
        "url": passage.link(url),
        "snippet": html.unescape(strip_tags(snippet(passage.text, tokens))),
    }


def as_dict(hit: services.Hit, tokens: frozenset[str] = frozenset()) -> dict:
    resource, placement = hit.resource, hit.placement
    return {
        "url": resource.url,
        "title": resource.title,
        "section": placement.section.slug if placement else None,
        "score": round(hit.score, 6),
        "key": resource.key,
        "page": resource.get_absolute_url(),
        "group": placement.group if placement else "",
        "kind": resource.kind.slug,
        "format": resource.format.slug,
        "publisher": resource.publisher.slug,
        "status": resource.status,
        "passages": [passage_dict(p, resource.url, set(tokens)) for p in hit.passages],
    }


class Command(BaseCommand):
    help = "Cherche dans le catalogue, comme la page /recherche/."

    def add_arguments(self, parser):
        parser.add_argument("query", nargs="+", help="les mots cherchés")
        parser.add_argument("--limit", type=int, default=10, help="nombre de résultats (10)")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, query: list[str], limit: int, format: str, **options):
        if limit < 1:
            raise CommandError("--limit must be 1 or more.")
        results = services.search(" ".join(query), limit=limit)
        hits = services.attach_passages(services.describe(results.hits), results.query)
        tokens = frozenset(results.query.tokens())
        rows = [as_dict(hit, tokens) for hit in hits]
        if format == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        if results.query.corrections:
            self.stderr.write(f"Results for: {results.query.corrected_text()}")
        if results.relaxed:
            self.stderr.write("No resource has every word: these have all but one.")
        if not rows:
            self.stdout.write("No result.")
        for rank, row in enumerate(rows, start=1):
            self.stdout.write(
                f"{rank:>3}  {row['score']:8.3f}  {row['title']}\n"
                f"     {row['section'] or '-'} · {row['kind']} · {row['url']}"
            )
            for passage in row["passages"]:
                self.stdout.write(f"       {passage['place'] or '-'}: {passage['snippet']}")
