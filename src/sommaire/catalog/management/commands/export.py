"""Write the whole catalog to standard output as JSON or CSV.

Steps: read sections, resources (with every placement) and glossary in a
constant number of queries; serialise in the chosen format.
"""

import json

from django.core.management.base import BaseCommand

from sommaire.catalog.exports import catalog_as_csv, catalog_as_dict


class Command(BaseCommand):
    help = "Exporte tout le catalogue sur la sortie standard (JSON ou CSV)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args, format: str, **options):
        data = catalog_as_dict()
        if format == "csv":
            self.stdout.write(catalog_as_csv(data), ending="")
        else:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
