"""Write a backup of every table that matters into one archive file.

Steps: read every archived table (catalog, history, accounts and roles,
link checks, watch, editions...) in one database snapshot, by primary key;
write each as JSON lines with its row count and SHA-256 in a manifest; sign
the manifest with SOMMAIRE_BACKUP_KEY; write the zip beside FILE and rename
it into place. The same data always gives the same bytes, so running it
twice gives the same file.
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from rich.progress import Progress

from sommaire.editors.backup import archived_models, export_all


class Command(BaseCommand):
    help = "Sauvegarde toutes les tables utiles (historique et comptes compris) dans FILE."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="archive à écrire (.zip)")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, file: Path, format: str, **options):
        if format == "text" and sys.stdout.isatty():
            with Progress(transient=True) as bar:
                task = bar.add_task("Sauvegarde", total=len(archived_models()))
                report = export_all(file, lambda label, rows: bar.advance(task))
        else:
            report = export_all(file)
        if format == "json":
            summary = {"file": str(file), **report.as_dict()}
            self.stdout.write(json.dumps(summary, ensure_ascii=False, sort_keys=True))
            return
        self.stdout.write(
            f"{report.rows()} row(s) of {len(report.tables)} table(s) saved to {file}."
        )
