"""Run the jobs that are due, again and again: freshness without cron.

Steps, each round: for every scheduled job (watch, check-links,
extract-documents, send-digests; intervals in settings), claim it if it is
due and free (a compare-and-set update, so several runners never run a job
twice), run the command in this process while a heartbeat renews the lease
(`SOMMAIRE_JOBS_LEASE_SECONDS`), record its outcome and output, and set when
it is due next; then sleep until the next job is due (at most a minute).
A runner that dies stops renewing: another one takes the job over when the
lease has expired and records the cut-off run as interrupted. When the
database cannot be reached the runner waits and tries again; it never stops
for that. `--once` does one round and exits (for cron and for tests).
"""

import json
import signal
import time
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError, connection
from django.utils import timezone

from sommaire.jobs.lease import Heartbeat
from sommaire.jobs.models import Job, runner_name
from sommaire.jobs.schedule import scheduled_jobs

MAX_SLEEP_SECONDS = 60
DATABASE_RETRY_SECONDS = 2


class Command(BaseCommand):
    help = "Lance les tâches dues (veille, vérification des liens, envois), en boucle."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="un seul tour, puis s’arrête")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, once: bool, format: str, **options):
        self.stopping = False
        signal.signal(signal.SIGTERM, self.stop)
        lease = timedelta(seconds=settings.JOBS_LEASE_SECONDS)
        runner = runner_name()
        while True:
            try:
                ran = self.round(lease, runner)
            except DatabaseError as error:
                if once:
                    raise
                self.stderr.write(
                    f"Base de données injoignable ({type(error).__name__}) : "
                    f"nouvel essai dans {DATABASE_RETRY_SECONDS} s."
                )
                connection.close()
                self.pause(DATABASE_RETRY_SECONDS)
                continue
            self.report(ran, format)
            if once or self.stopping:
                return
            self.sleep_until_due()

    def round(self, lease: timedelta, runner: str) -> dict[str, str]:
        ran = {}
        for job in scheduled_jobs():
            if self.stopping:
                break
            run = Job.claim(job.name, lease, runner)
            if run is not None:
                with Heartbeat(run, lease):
                    ran[job.name] = run.execute(job.command, job.every)
        return ran

    def report(self, ran: dict[str, str], format: str) -> None:
        if format == "json":
            self.stdout.write(json.dumps(ran, ensure_ascii=False))
            return
        for name, outcome in ran.items():
            line = f"{timezone.now():%Y-%m-%d %H:%M:%S} {name}: {outcome}"
            said = Job.objects.get(name=name).warning()
            self.stdout.write(f"{line} — {said}" if said else line)

    def sleep_until_due(self) -> None:
        names = [job.name for job in scheduled_jobs()]
        next_due = Job.objects.filter(name__in=names).order_by("due_at").first()
        wait = MAX_SLEEP_SECONDS
        if next_due is not None:
            wait = min(wait, max(1.0, (next_due.due_at - timezone.now()).total_seconds()))
        self.pause(wait)

    def pause(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < deadline:
            time.sleep(0.5)

    def stop(self, signum, frame) -> None:
        self.stopping = True
