"""Which commands run on their own, and how often (intervals from settings)."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings


@dataclass(frozen=True)
class Scheduled:
    name: str
    command: list[str]
    every: timedelta


def scheduled_jobs() -> list[Scheduled]:
    return [
        Scheduled(job["name"], list(job["command"]), timedelta(minutes=job["every_minutes"]))
        for job in settings.JOBS
    ]
