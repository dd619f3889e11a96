"""Watch the official pages and propose what is new.

Steps: choose the sources that are due (or `--all`, or `--source URL`),
claim each (another run's sources are skipped), fetch them through
`sommaire.fetch` with conditional requests after their site's robots.txt,
compare each changed page with its last plausible parse and with the
catalog, record candidates, release the claims. Idempotent: a second run
finds every page not modified and proposes nothing twice.

Output: a line per source (or `--format json`: per source `status`
(`not_modified`, `unchanged`, `changed`, `error`), `new_links`,
`removed_links`, `candidates`, `error`). A progress bar on a terminal.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from sommaire.watch import watcher
from sommaire.watch.progress import progress_bar


class Command(BaseCommand):
    help = "Surveille les pages officielles et propose les nouvelles publications."

    def add_arguments(self, parser):
        parser.add_argument("--source", metavar="URL", help="une seule page, même si pas due")
        parser.add_argument("--all", action="store_true", help="toutes les pages, dues ou non")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, source: str | None, all: bool, format: str, **options):
        sources = watcher.choose(url=source, everything=all)
        if source and not sources:
            raise CommandError(f"{source} is not watched: add it with `sommaire sources add`")
        with progress_bar(self.stdout, total=len(sources) * 2, enabled=format == "text") as step:
            report = watcher.run(sources, progress=step)
        if format == "json":
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
            return
        for item in report.sources:
            line = f"{item.status:<13} {item.url}"
            if item.new_links or item.removed_links:
                line += f"  +{len(item.new_links)} -{len(item.removed_links)}"
            if item.candidates:
                line += f"  {len(item.candidates)} candidate(s)"
            if item.error:
                line += f"  {item.error}"
            self.stdout.write(line)
        summary = report.summary()
        self.stdout.write(
            ", ".join(f"{n} {name}" for name, n in summary.items() if n) or "Nothing due."
        )
