"""Extract the text of the catalog's documents into passages, for search.

Steps: choose the documents (every active resource in pdf, xlsx, xls, ods,
docx, pptx, odt or csv, or just the `--url` ones), then, a few at a time:
claim each (a document another run holds is skipped), fetch it through
`sommaire.fetch` (conditional request, size cap SOMMAIRE_DOCUMENTS_MAX_BYTES),
skip it when the file is the same as last time, otherwise extract its
passages (PDF page, spreadsheet sheet and row, slide, heading path) and,
when its text changed, replace them and refresh its search entry; a
document extracted before whose text changed is "mis à jour" in /nouveautes/.
A corrupt, encrypted, oversize or unreachable file gets a reason and the run
goes on. Idempotent: a second run finds every document not modified or
unchanged.

Output: a line per document (or `--format json`: a list of objects with
`url`, `key`, `status` (`extracted`, `unchanged`, `not_modified`, `error`,
`skipped`), `format`, `passages`, `units`, `reason`). A progress bar on a
terminal.
"""

import json

from django.core.management.base import BaseCommand, CommandError
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from sommaire.documents import extraction


class Command(BaseCommand):
    help = "Extrait le texte des documents du catalogue pour la recherche."

    def add_arguments(self, parser):
        parser.add_argument(
            "--url", action="append", default=[], help="seulement ce document (répétable)"
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, url: list[str], format: str, **options):
        resources = extraction.choose(url)
        unknown = sorted(set(url) - {r.url for r in resources})
        if unknown:
            raise CommandError(
                f"not in the catalog: {', '.join(unknown)} (add it with `sommaire resources add`)"
            )
        if format == "text" and self.stdout.isatty():
            columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
            with Progress(*columns, TimeElapsedColumn(), transient=True) as bar:
                task = bar.add_task("documents", total=len(resources))
                report = extraction.run(resources, progress=lambda _url: bar.advance(task))
        else:
            report = extraction.run(resources)
        if format == "json":
            rows = [document.as_dict() for document in report.documents]
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for item in report.documents:
            line = f"{item.status:<13} {item.url}"
            if item.passages:
                line += f"  {item.passages} passage(s)"
            if item.reason:
                line += f"  {item.reason}"
            self.stdout.write(line)
        summary = report.summary()
        self.stdout.write(
            ", ".join(f"{n} {name}" for name, n in sorted(summary.items())) or "No document."
        )
