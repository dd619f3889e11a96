"""Send the e-mail alerts that are due.

Steps: for each confirmed reader subscription whose period (daily or weekly)
has passed, gather the catalog events since it was confirmed that match its
section, region and saved search and were never sent to it, record them as
delivered and send one message (with List-Unsubscribe headers) in the same
transaction; then remind each confirmed subscriber of a section of its
deadlines 30 days and 7 days before (once each, whatever the frequency);
then send each editor the open candidates of their regions not announced
to them yet. Idempotent: running it twice sends nothing more, and
two overlapping runs never send one item twice to one person.
"""

import json

from django.core.management.base import BaseCommand

from sommaire.alerts.services import send_digests


class Command(BaseCommand):
    help = "Envoie les alertes par courriel dues (abonnés, rappels d’échéances, éditeurs)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, format: str, **options):
        report = send_digests()
        if format == "json":
            self.stdout.write(json.dumps(report.as_dict()))
            return
        self.stdout.write(
            f"{report.readers} reader digest(s) ({report.reader_items} item(s)), "
            f"{report.reminders} deadline reminder(s) ({report.reminder_items} deadline(s)), "
            f"{report.editors} editor digest(s) ({report.editor_items} candidate(s))."
        )
