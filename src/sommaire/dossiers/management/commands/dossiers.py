"""The dossiers, for scripts and operators.

`sommaire dossiers list [--all] [--format json]`: the published, listed
dossiers (what the API lists), or with `--all` every dossier, drafts and
unlisted ones included; JSON with the fields of the API (`slug`, `title`,
`region`, `audience`, `visibility`, `status`, `items`, `updated`, `url`,
`pdf`).
"""

import json

from django.core.management.base import BaseCommand
from django.core.serializers.json import DjangoJSONEncoder

from sommaire.dossiers import services
from sommaire.dossiers.models import Dossier


class Command(BaseCommand):
    help = "Liste les dossiers (publiés et listés ; tous avec --all)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        listing = actions.add_parser("list", help="les dossiers")
        listing.add_argument(
            "--all", action="store_true", help="aussi les brouillons et les dossiers non listés"
        )
        listing.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, action: str, **options):
        getattr(self, f"_{action}")(**options)

    def _list(self, format: str, all: bool, **options):
        found = services.with_items(Dossier.objects.order_by("slug")) if all else services.listed()
        rows = [services.as_dict(dossier) for dossier in found]
        if format == "json":
            self.stdout.write(json.dumps(rows, cls=DjangoJSONEncoder, ensure_ascii=False))
            return
        for row in rows:
            where = row["region"] or "national"
            self.stdout.write(
                f"{row['slug']}\t{row['status']}\t{row['visibility']}\t{where}\t"
                f"{len(row['items'])} élément(s)\t{row['title']}"
            )
