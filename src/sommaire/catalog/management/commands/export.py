"""Write the whole catalog to standard output as JSON, CSV or DCAT-AP (JSON-LD).

Steps: read sections, resources (with every placement) and glossary in a
constant number of queries; serialise in the chosen format.
"""

import json

from django.core.management.base import BaseCommand

from sommaire.catalog.dcat import catalog_as_dcat
from sommaire.catalog.exports import catalog_as_csv, catalog_as_dict


class Command(BaseCommand):
    help = "Exporte tout le catalogue sur la sortie standard (JSON, CSV ou DCAT-AP)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "csv", "dcat"], default="json")

    def handle(self, *args, format: str, **options):
        data = catalog_as_dict()
        if format == "csv":
            self.stdout.write(catalog_as_csv(data), ending="")
        elif format == "dcat":
            self.stdout.write(json.dumps(catalog_as_dcat(data), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
