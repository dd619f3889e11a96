"""`sommaire run-jobs`: due jobs run by themselves, once each, never twice at once."""

import json
import os
import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command, load_command_class
from django.core.management.base import OutputWrapper
from django.db import OperationalError
from django.utils import timezone

from sommaire.jobs.lease import Heartbeat
from sommaire.jobs.models import Job

EXPORT = {"name": "export", "command": ["export", "--format", "csv"], "every_minutes": 60}
BROKEN = {"name": "broken", "command": ["load-pack", "/nonexistent/pack"], "every_minutes": 5}


@pytest.fixture
def jobs(settings):
    settings.JOBS = [BROKEN, EXPORT]
    return settings


def run_once() -> dict:
    out = StringIO()
    call_command("run-jobs", "--once", "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_a_due_job_runs_and_is_scheduled_again(db, jobs):
    before = timezone.now()

    ran = run_once()

    job = Job.objects.get(name="export")
    assert ran["export"] == "ok"
    assert job.last_outcome == "ok"
    assert job.last_output.endswith("+00:00\r\n")  # the tail of the CSV is kept
    assert len(job.last_output) <= 4000
    assert job.lease_until is None
    assert job.due_at >= before + timedelta(minutes=60)


def test_a_job_that_is_not_due_does_not_run_again(db, jobs):
    run_once()

    assert run_once() == {}


def test_a_failing_job_is_recorded_and_does_not_stop_the_others(db, jobs):
    ran = run_once()

    broken = Job.objects.get(name="broken")
    assert ran == {"broken": "error", "export": "ok"}
    assert "not a directory" in broken.last_output
    assert broken.due_at > timezone.now()


def test_only_one_scheduler_can_claim_a_job(db, jobs):
    lease = timedelta(minutes=10)

    assert Job.claim("export", lease, "machine-a:1") is not None
    assert Job.claim("export", lease, "machine-b:2") is None
    assert Job.objects.get(name="export").lease_owner == "machine-a:1"


def test_a_job_abandoned_by_a_dead_scheduler_is_taken_over_after_its_lease(db, jobs):
    Job.claim("export", timedelta(minutes=10), "machine-a:1")
    Job.objects.filter(name="export").update(lease_until=timezone.now() - timedelta(seconds=1))

    assert run_once()["export"] == "ok"


def test_it_is_not_taken_over_while_its_lease_runs(db, jobs):
    Job.claim("export", timedelta(minutes=10), "machine-a:1")

    assert "export" not in run_once()
    assert Job.objects.get(name="export").runs.get().outcome == "running"


def test_the_run_cut_off_by_a_dead_scheduler_is_recorded_as_interrupted(db, jobs):
    dead = Job.claim("export", timedelta(minutes=10), "machine-a:1")
    Job.objects.filter(name="export").update(lease_until=timezone.now() - timedelta(seconds=1))

    run_once()

    runs = list(Job.objects.get(name="export").runs.order_by("started_at", "pk"))
    assert [(run.runner, run.outcome) for run in runs][0] == ("machine-a:1", "interrupted")
    assert runs[1].outcome == "ok" and runs[1].runner != "machine-a:1"
    assert runs[0].finished_at <= runs[1].started_at
    assert "machine-a:1 n’a plus donné signe de vie" in runs[0].output
    assert runs[0].pk == dead.pk


def test_a_finished_run_is_kept_with_its_runner_and_outcome(db, jobs):
    run_once()

    run = Job.objects.get(name="export").runs.get()
    assert run.outcome == "ok" and run.finished_at is not None
    assert run.output.endswith("+00:00\r\n")
    assert run.runner.endswith(f":{os.getpid()}")


def test_the_holder_renews_its_lease_and_a_runner_that_lost_it_cannot(db, jobs):
    run = Job.claim("export", timedelta(seconds=30), "machine-a:1")
    Job.objects.filter(name="export").update(lease_until=timezone.now())

    assert run.renew(timedelta(minutes=5)) is True
    assert Job.objects.get(name="export").lease_until > timezone.now() + timedelta(minutes=4)

    Job.objects.filter(name="export").update(lease_until=timezone.now() - timedelta(seconds=1))
    Job.claim("export", timedelta(minutes=5), "machine-b:2")
    assert run.renew(timedelta(minutes=5)) is False
    assert Job.objects.get(name="export").lease_owner == "machine-b:2"


def test_the_heartbeat_gives_up_when_another_runner_holds_the_job(transactional_db, jobs):
    run = Job.claim("export", timedelta(seconds=3), "machine-a:1")
    Job.objects.filter(name="export").update(lease_owner="machine-b:2")
    lost = threading.Event()
    reasons = []

    def on_lost(reason):
        reasons.append(reason)
        lost.set()

    with Heartbeat(run, timedelta(seconds=3), on_lost=on_lost):
        assert lost.wait(timeout=10)

    assert reasons == ["une autre instance a repris la tâche"]


def test_the_heartbeat_says_when_the_database_does_not_answer(db, jobs, monkeypatch):
    run = Job.claim("export", timedelta(seconds=3), "machine-a:1")

    def unreachable(lease):
        raise OperationalError("connection refused")

    monkeypatch.setattr(run, "renew", unreachable)

    assert Heartbeat(run, timedelta(seconds=3)).beat() is None


def test_a_scheduler_waits_for_the_database_instead_of_stopping(db, jobs, monkeypatch):
    calls = []

    def claim(name, lease, runner):
        calls.append(name)
        if len(calls) == 1:
            raise OperationalError("the database is restarting")
        command.stopping = True
        return None

    err = StringIO()
    command = load_command_class("sommaire.jobs", "run-jobs")
    command.stdout, command.stderr = OutputWrapper(StringIO()), OutputWrapper(err)
    monkeypatch.setattr(Job, "claim", claim)
    monkeypatch.setattr(command, "pause", lambda seconds: None)

    command.handle(once=False, format="json")

    assert len(calls) >= 2
    assert "Base de données injoignable (OperationalError)" in err.getvalue()


def test_the_default_schedule_covers_watch_links_documents_and_digests(settings):
    names = {job["name"] for job in settings.JOBS}
    commands = {job["command"][0] for job in settings.JOBS}

    assert names == {"watch", "check-links", "extract-documents", "send-digests"}
    assert commands == names


def test_a_job_that_warns_says_so_and_keeps_the_warning_first(db, jobs, monkeypatch):
    from sommaire.jobs import models

    def noisy_export(*args, stdout, stderr):
        stdout.write("ligne\n" * 2000)  # more than is kept
        stderr.write("Réseau indisponible : aucun lien n’a changé d’état.\n")

    monkeypatch.setattr(models, "call_command", noisy_export)
    out = StringIO()

    call_command("run-jobs", "--once", stdout=out)

    export = Job.objects.get(name="export")
    assert export.last_outcome == "warning"
    assert export.last_output.startswith("Réseau indisponible")
    assert export.last_output.endswith("ligne\n") and len(export.last_output) <= 4000
    assert "export: warning — Réseau indisponible : aucun lien n’a changé d’état." in out.getvalue()
