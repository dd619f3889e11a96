"""Restore a backup made by `export-all`, replacing every archived table.

Steps: verify the whole archive before writing anything: the list of files
(no missing or extra one), the manifest's signature (SOMMAIRE_BACKUP_KEY)
before anything else is decompressed, the schema (the same migrations as
this database), each table's checksum and row count, read as a stream;
then, in one transaction, empty the archived tables and the ones derived
from them, insert the archive's rows, reset the id sequences, check
every reference, rebuild the search index and move the catalog generation
forward so that no cached page survives. A truncated or tampered archive is
refused whole; an error half-way changes nothing. Running it twice gives
the same database.
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.progress import Progress

from sommaire.editors.backup import BackupError, import_all, read_archive


class Command(BaseCommand):
    help = "Restaure une sauvegarde faite par export-all (remplace toutes les tables sauvegardées)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="archive faite par export-all")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, file: Path, format: str, **options):
        try:
            if format == "text" and sys.stdout.isatty():
                manifest = read_archive(file)
                with Progress(transient=True) as bar:
                    task = bar.add_task("Restauration", total=len(manifest["tables"]))
                    report = import_all(file, lambda label, rows: bar.advance(task))
            else:
                report = import_all(file)
        except BackupError as error:
            raise CommandError(f"{error}: nothing was changed.") from None
        if format == "json":
            summary = {"file": str(file), **report.as_dict()}
            self.stdout.write(json.dumps(summary, ensure_ascii=False, sort_keys=True))
            return
        self.stdout.write(
            f"{report.rows()} row(s) of {len(report.tables)} table(s) restored from {file}."
        )
