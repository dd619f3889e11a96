"""The schedule of the jobs that keep the catalog fresh by themselves.

Several runners (one per machine) share the jobs through leases held in the
database: a runner claims a due job with a compare-and-set update, renews its
lease while the job runs (`sommaire.jobs.lease.Heartbeat`), and a runner that
dies stops renewing, so another one takes the job over once the lease has
expired. Every run is kept as a `JobRun`; one that never finished is
recorded as interrupted by the runner that takes its job over.
"""

import io
import os
import socket
from datetime import timedelta

from django.core.management import call_command
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone

OUTPUT_KEPT = 4000
RUNS_KEPT = 50


def runner_name() -> str:
    """This process among the runners: the machine and the process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


class Outcome(models.TextChoices):
    RUNNING = "running", "en cours"
    OK = "ok", "réussie"
    # It ran to its end but said something on stderr (the network was down, ...).
    WARNING = "warning", "avec avertissement"
    ERROR = "error", "en erreur"
    # Its runner died or lost its lease: another runner took the job over.
    INTERRUPTED = "interrupted", "interrompue"


class Job(models.Model):
    """One recurring command: when it last ran, how it ended, when it is due."""

    Outcome = Outcome

    name = models.CharField("nom", max_length=60, unique=True)
    due_at = models.DateTimeField("prévue le", default=timezone.now)
    lease_until = models.DateTimeField("réservée jusqu’au", null=True, blank=True)
    lease_owner = models.CharField("réservée par", max_length=200, blank=True)
    last_started_at = models.DateTimeField("dernier départ", null=True, blank=True)
    last_finished_at = models.DateTimeField("dernière fin", null=True, blank=True)
    last_outcome = models.CharField(
        "dernier résultat", max_length=12, choices=Outcome.choices, blank=True
    )
    last_output = models.TextField("dernière sortie", blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "tâche planifiée"
        verbose_name_plural = "tâches planifiées"

    def __str__(self) -> str:
        return self.name

    @classmethod
    def claim(cls, name: str, lease: timedelta, runner: str = "") -> "JobRun | None":
        """Take the job if it is due and nobody holds it (compare-and-set).

        Several schedulers may run at once (one per machine); the conditional
        UPDATE lets exactly one of them win, without a lock held while it runs.
        The winner records the run its lease replaces, if that one never
        finished, as interrupted.
        """
        runner = runner or runner_name()
        now = timezone.now()
        try:
            with transaction.atomic():
                cls.objects.get_or_create(name=name, defaults={"due_at": now})
        except IntegrityError:  # created by another runner in between
            pass
        free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
        won = cls.objects.filter(free, name=name, due_at__lte=now).update(
            lease_until=now + lease, lease_owner=runner, last_started_at=now
        )
        if not won:
            return None
        job = cls.objects.get(name=name)
        for run in job.runs.filter(outcome=Outcome.RUNNING):
            run.interrupted(taken_over_by=runner, now=now)
        return JobRun.objects.create(job=job, runner=runner, started_at=now, heartbeat_at=now)

    @classmethod
    def stalled(cls, late: timedelta, now=None) -> list[str]:
        """Jobs overdue by more than `late` that no runner holds: nobody runs them."""
        now = now or timezone.now()
        held = Q(lease_until__isnull=False, lease_until__gte=now)
        overdue = cls.objects.filter(due_at__lt=now - late).exclude(held)
        return list(overdue.values_list("name", flat=True))

    def warning(self) -> str:
        """The first line the last run wrote on stderr, if it ended with a warning or error."""
        if self.last_outcome == self.Outcome.OK:
            return ""
        return next((line for line in self.last_output.splitlines() if line.strip()), "")


class JobRun(models.Model):
    """One run of a job, by one runner: kept to show what ran where, and what was cut off."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="runs")
    runner = models.CharField("exécutant", max_length=200)
    started_at = models.DateTimeField("début")
    # The last renewal of the lease: a dead runner's run ended around then.
    heartbeat_at = models.DateTimeField("dernier signe de vie")
    finished_at = models.DateTimeField("fin", null=True, blank=True)
    outcome = models.CharField(
        "résultat", max_length=12, choices=Outcome.choices, default=Outcome.RUNNING
    )
    output = models.TextField("sortie", blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = "exécution"
        verbose_name_plural = "exécutions"

    def __str__(self) -> str:
        return f"{self.job} {self.started_at:%Y-%m-%d %H:%M:%S} ({self.get_outcome_display()})"

    def renew(self, lease: timedelta) -> bool:
        """Extend the lease if this run still holds it; False when another runner has it."""
        now = timezone.now()
        held = Job.objects.filter(pk=self.job_id, lease_owner=self.runner).update(
            lease_until=now + lease
        )
        if held:
            JobRun.objects.filter(pk=self.pk).update(heartbeat_at=now)
        return bool(held)

    def interrupted(self, taken_over_by: str, now) -> None:
        self.outcome = Outcome.INTERRUPTED
        self.finished_at = now
        self.output = (
            f"Interrompue : {self.runner} n’a plus donné signe de vie après "
            f"{self.heartbeat_at:%H:%M:%S} UTC ; reprise par {taken_over_by}."
        )
        self.save(update_fields=["outcome", "finished_at", "output"])

    def execute(self, command: list[str], every: timedelta) -> str:
        """Run the claimed command in this process; record its outcome; free the job."""
        out, err = io.StringIO(), io.StringIO()
        try:
            call_command(*command, stdout=out, stderr=err)
            outcome = Outcome.WARNING if err.getvalue().strip() else Outcome.OK
        except Exception as error:  # noqa: BLE001 - one failing job must not stop the others
            err.write(f"{type(error).__name__}: {error}\n")
            outcome = Outcome.ERROR
        finished = timezone.now()
        output = kept_output(err.getvalue(), out.getvalue())
        Job.objects.filter(pk=self.job_id, lease_owner=self.runner).update(
            lease_until=None,
            lease_owner="",
            last_finished_at=finished,
            last_outcome=outcome,
            last_output=output,
            due_at=finished + every,
        )
        JobRun.objects.filter(pk=self.pk).update(
            outcome=outcome, finished_at=finished, heartbeat_at=finished, output=output
        )
        self.prune()
        return outcome

    def prune(self) -> None:
        kept = self.job.runs.values_list("pk", flat=True)[:RUNS_KEPT]
        self.job.runs.exclude(pk__in=list(kept)).delete()


def kept_output(err: str, out: str) -> str:
    """What stderr said first (it explains the outcome), then the tail of stdout."""
    err = err.strip()[: OUTPUT_KEPT // 4]
    if not err:
        return out[-OUTPUT_KEPT:]
    room = OUTPUT_KEPT - len(err) - 1
    return err + "\n" + (out[-room:] if room > 0 else "")
