"""Load a content pack into the catalog.

Steps: read every file of the pack and validate it (nothing touches the
database yet); on any problem print them all as `file:line: field: what to
fix` and exit 1; otherwise write everything in one transaction, updating
rows in place by their stable key. Running it twice changes nothing.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sommaire.catalog.pack import PackError
from sommaire.catalog.services import load_pack_directory


class Command(BaseCommand):
    help = "Valide puis charge un paquet de contenu (dossier YAML) dans le catalogue."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="dossier du paquet (contient pack.yaml)")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, directory: Path, format: str, **options):
        try:
            report = load_pack_directory(directory)
        except PackError as error:
            for problem in error.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"{len(error.problems)} problem(s) in {directory}: nothing was loaded."
            ) from None
        if format == "json":
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, sort_keys=True))
            return
        for what, counts in report.counts.items():
            parts = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items()))
            self.stdout.write(f"{what}: {parts}")
        if report.not_in_pack.get("resources"):
            self.stdout.write(
                f"{report.not_in_pack['resources']} resource(s) of the database are not in "
                "this pack and were left unchanged."
            )
        self.stdout.write("Pack loaded." if report.changed() else "Nothing to change.")
