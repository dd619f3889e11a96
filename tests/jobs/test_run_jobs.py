"""`sommaire run-jobs`: due jobs run by themselves, once each, never twice at once."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

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

    assert Job.claim("export", lease) is True
    assert Job.claim("export", lease) is False


def test_a_job_abandoned_by_a_dead_scheduler_is_taken_over_after_its_lease(db, jobs):
    Job.claim("export", timedelta(minutes=10))
    Job.objects.filter(name="export").update(lease_until=timezone.now() - timedelta(seconds=1))

    assert run_once()["export"] == "ok"


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
