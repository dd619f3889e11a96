"""Deadlines built relative to today (Paris), so a test never depends on the date it runs."""

from datetime import datetime, time, timedelta

from sommaire.catalog.models import Deadline, Section, Wave, paris_today


def deadline(slug: str, days: int, section: str = "radiologie", wave: str = "vague-2", **extra):
    """A deadline `days` after today in Paris (negative: past), at noon unless time=None."""
    extra.setdefault("time", time(12, 0))
    return Deadline.objects.create(
        slug=slug,
        section=Section.objects.get(slug=section),
        wave=Wave.objects.get(slug=wave),
        label=extra.pop("label", f"Échéance {slug}"),
        date=paris_today() + timedelta(days=days),
        source=extra.pop("source", f"https://industriels.esante.gouv.fr/{slug}"),
        changed_at=extra.pop("changed_at", datetime(2026, 1, 5, 9, 30).astimezone()),
        **extra,
    )


def only_these(*made: Deadline) -> None:
    Deadline.objects.exclude(pk__in=[d.pk for d in made]).delete()
