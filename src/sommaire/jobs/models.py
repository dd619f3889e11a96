"""The schedule of the jobs that keep the catalog fresh by themselves."""

import io
from datetime import timedelta

from django.core.management import call_command
from django.db import models
from django.db.models import Q
from django.utils import timezone

OUTPUT_KEPT = 4000


class Job(models.Model):
    """One recurring command: when it last ran, how it ended, when it is due."""

    class Outcome(models.TextChoices):
        OK = "ok", "réussie"
        # It ran to its end but said something on stderr (the network was down, ...).
        WARNING = "warning", "avec avertissement"
        ERROR = "error", "en erreur"

    name = models.CharField("nom", max_length=60, unique=True)
    due_at = models.DateTimeField("prévue le", default=timezone.now)
    lease_until = models.DateTimeField("réservée jusqu’au", null=True, blank=True)
    last_started_at = models.DateTimeField("dernier départ", null=True, blank=True)
    last_finished_at = models.DateTimeField("dernière fin", null=True, blank=True)
    last_outcome = models.CharField(
        "dernier résultat", max_length=10, choices=Outcome.choices, blank=True
    )
    last_output = models.TextField("dernière sortie", blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "tâche planifiée"
        verbose_name_plural = "tâches planifiées"

    def __str__(self) -> str:
        return self.name

    @classmethod
    def claim(cls, name: str, lease: timedelta) -> bool:
        """Take the job if it is due and nobody holds it (compare-and-set).

        Several schedulers may run at once (one per machine); the conditional
        UPDATE lets exactly one of them win, without a lock held while it runs.
        """
        now = timezone.now()
        cls.objects.get_or_create(name=name, defaults={"due_at": now})
        free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
        return bool(
            cls.objects.filter(free, name=name, due_at__lte=now).update(
                lease_until=now + lease, last_started_at=now
            )
        )

    def run(self, command: list[str], every: timedelta) -> str:
        """Run the claimed command in this process; record its outcome; free the job."""
        out, err = io.StringIO(), io.StringIO()
        try:
            call_command(*command, stdout=out, stderr=err)
            outcome = self.Outcome.WARNING if err.getvalue().strip() else self.Outcome.OK
        except Exception as error:  # noqa: BLE001 - one failing job must not stop the others
            err.write(f"{type(error).__name__}: {error}\n")
            outcome = self.Outcome.ERROR
        finished = timezone.now()
        Job.objects.filter(pk=self.pk).update(
            lease_until=None,
            last_finished_at=finished,
            last_outcome=outcome,
            last_output=kept_output(err.getvalue(), out.getvalue()),
            due_at=finished + every,
        )
        return outcome

    def warning(self) -> str:
        """The first line the last run wrote on stderr, if it ended with a warning or error."""
        if self.last_outcome == self.Outcome.OK:
            return ""
        return next((line for line in self.last_output.splitlines() if line.strip()), "")


def kept_output(err: str, out: str) -> str:
    """What stderr said first (it explains the outcome), then the tail of stdout."""
    err = err.strip()[: OUTPUT_KEPT // 4]
    if not err:
        return out[-OUTPUT_KEPT:]
    room = OUTPUT_KEPT - len(err) - 1
    return err + "\n" + (out[-room:] if room > 0 else "")
