"""List the candidates waiting for review (open, or snoozed until a moment now past).

JSON (`--format json`): a list of objects with `url`, `title`, `kind`,
`version`, `predecessor` (URL or null), `section`, `source`, `first_seen`,
and `change` (`new`, `version`, `removed`).
"""

import json

from django.core.management.base import BaseCommand

from sommaire.watch.models import Candidate


class Command(BaseCommand):
    help = "Liste les candidats à examiner."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, format: str, **options):
        candidates = Candidate.objects.open().described().order_by("first_seen", "pk")
        rows = [candidate.as_dict() for candidate in candidates]
        if format == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            after = f"  remplace {row['predecessor']}" if row["predecessor"] else ""
            self.stdout.write(f"[{row['change']}] {row['title']}  {row['url']}{after}")
        self.stdout.write(f"{len(rows)} candidate(s) to review.")
