"""Rebuild the search index from scratch.

Steps: in one transaction, take the index lock (a second run waits for the
first), delete every entry, analyse every resource again in batches and
write its entry (the engine's own index follows in the database: the FTS5
triggers, the generated tsvector column), then let the engine tidy up
(FTS5 'optimize', PostgreSQL ANALYZE). Readers keep seeing the old index
until the commit. Running it twice gives the same index.
"""

import json
import sys
import time

from django.core.management.base import BaseCommand
from rich.progress import Progress

from sommaire.catalog.models import Resource
from sommaire.search import backends, services


class Command(BaseCommand):
    help = "Reconstruit l’index de recherche à partir du catalogue."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, format: str, **options):
        started = time.perf_counter()
        if format == "text" and sys.stdout.isatty():
            with Progress(transient=True) as progress:
                task = progress.add_task("Indexation", total=Resource.objects.count())
                count = services.reindex(lambda n: progress.advance(task, n))
        else:
            count = services.reindex()
        seconds = round(time.perf_counter() - started, 3)
        engine = backends.current().NAME
        if format == "json":
            report = {"indexed": count, "seconds": seconds, "engine": engine}
            self.stdout.write(json.dumps(report, ensure_ascii=False, sort_keys=True))
            return
        self.stdout.write(f"{count} resource(s) indexed in {seconds} s ({engine}).")
