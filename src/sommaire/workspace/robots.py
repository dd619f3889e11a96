"""The jobs that keep the catalog fresh, as the dashboard shows them ("Les robots").

One row per scheduled job (settings.JOBS), in one query: when it last ran,
how it ended, when it is due next, and whether it is late — so that an
editor sees when the machines stopped.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from sommaire.jobs.models import Job
from sommaire.jobs.schedule import scheduled_jobs

# A job is late when it is due for longer than this: run-jobs looks every minute.
LATE_AFTER = timedelta(hours=1)

LABELS = {
    "watch": "Veille des pages officielles",
    "check-links": "Vérification des liens",
    "extract-documents": "Lecture des documents",
    "send-digests": "Envoi des alertes",
}


@dataclass
class Robot:
    name: str
    label: str
    job: Job | None
    late: bool

    @property
    def due_at(self) -> datetime | None:
        return self.job.due_at if self.job else None


def robots(now=None) -> list[Robot]:
    now = now or timezone.now()
    jobs = {job.name: job for job in Job.objects.all()}
    rows = []
    for scheduled in scheduled_jobs():
        job = jobs.get(scheduled.name)
        running = job is not None and job.lease_until is not None and job.lease_until > now
        late = job is not None and not running and job.due_at + LATE_AFTER < now
        rows.append(Robot(scheduled.name, LABELS.get(scheduled.name, scheduled.name), job, late))
    return rows
