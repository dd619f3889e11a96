"""Run the jobs that are due, again and again: freshness without cron.

Steps, each round: for every scheduled job (watch, check-links,
send-digests; intervals in settings), claim it if it is due and free (a
compare-and-set update, so several schedulers never run a job twice), run
the command in this process, record its outcome and output, and set when it
is due next; then sleep until the next job is due (at most a minute).
`--once` does one round and exits (for cron and for tests).
"""

import json
import signal
import time
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from sommaire.jobs.models import Job
from sommaire.jobs.schedule import scheduled_jobs

MAX_SLEEP_SECONDS = 60


class Command(BaseCommand):
    help = "Lance les tâches dues (veille, vérification des liens, envois), en boucle."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="un seul tour, puis s’arrête")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--lease-minutes",
            type=int,
            default=120,
            help="durée après laquelle une tâche abandonnée peut être reprise",
        )

    def handle(self, *args, once: bool, format: str, lease_minutes: int, **options):
        self.stopping = False
        signal.signal(signal.SIGTERM, self.stop)
        lease = timedelta(minutes=lease_minutes)
        while True:
            ran = self.round(lease)
            if format == "json":
                self.stdout.write(json.dumps(ran, ensure_ascii=False))
            else:
                for name, outcome in ran.items():
                    line = f"{timezone.now():%Y-%m-%d %H:%M:%S} {name}: {outcome}"
                    said = Job.objects.get(name=name).warning()
                    self.stdout.write(f"{line} — {said}" if said else line)
            if once or self.stopping:
                return
            self.sleep_until_due()

    def round(self, lease: timedelta) -> dict[str, str]:
        ran = {}
        for job in scheduled_jobs():
            if self.stopping:
                break
            if Job.claim(job.name, lease):
                ran[job.name] = Job.objects.get(name=job.name).run(job.command, job.every)
        return ran

    def sleep_until_due(self) -> None:
        names = [job.name for job in scheduled_jobs()]
        next_due = Job.objects.filter(name__in=names).order_by("due_at").first()
        wait = MAX_SLEEP_SECONDS
        if next_due is not None:
            wait = min(wait, max(1.0, (next_due.due_at - timezone.now()).total_seconds()))
        deadline = time.monotonic() + wait
        while not self.stopping and time.monotonic() < deadline:
            time.sleep(0.5)

    def stop(self, signum, frame) -> None:
        self.stopping = True
