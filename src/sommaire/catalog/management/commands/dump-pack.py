"""Write the catalog back as a content pack.

Steps: write pack.yaml, vocabulary, publishers, regions, sections, glossary
and contacts, then one file per section under resources/ (a resource is
defined at its first placement, referenced by key elsewhere). The output
loads back unchanged: dump -> load -> dump gives the same bytes.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sommaire.catalog.services import dump_pack


class Command(BaseCommand):
    help = "Écrit le catalogue sous forme de paquet de contenu (dossier YAML)."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="dossier de destination")

    def handle(self, *args, directory: Path, **options):
        if directory.exists() and not directory.is_dir():
            raise CommandError(f"{directory} is a file: give a directory.")
        counts = dump_pack(directory)
        self.stdout.write(
            f"Wrote {counts['sections']} sections and {counts['resources']} resources "
            f"to {directory}."
        )
