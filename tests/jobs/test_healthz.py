"""`/healthz`: the database and the jobs, said truthfully, with nothing secret."""

import json
from datetime import timedelta

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from sommaire.jobs.models import Job

pytestmark = pytest.mark.django_db

WATCH = {"name": "watch", "command": ["watch"], "every_minutes": 15}


@pytest.fixture
def schedule(settings):
    settings.JOBS = [WATCH]
    settings.JOBS_LATE_MINUTES = 30
    return settings


def test_it_answers_ok_when_the_database_answers_and_no_job_is_late(client, schedule):
    Job.objects.create(name="watch", due_at=timezone.now() - timedelta(minutes=5))

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "jobs": "ok",
        "stalled_jobs": [],
    }
    assert "no-store" in response["Cache-Control"]


def test_it_says_a_job_is_stalled_when_it_is_long_overdue_and_nobody_holds_it(client, schedule):
    Job.objects.create(name="watch", due_at=timezone.now() - timedelta(minutes=31))

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["jobs"] == "stalled"
    assert response.json()["stalled_jobs"] == ["watch"]


def test_a_long_job_whose_lease_is_renewed_is_not_stalled(client, schedule):
    Job.objects.create(
        name="watch",
        due_at=timezone.now() - timedelta(hours=3),
        lease_until=timezone.now() + timedelta(seconds=40),
        lease_owner="machine-a:1",
    )

    assert client.get("/healthz").status_code == 200


def test_it_says_503_when_the_database_is_unreachable_and_gives_away_nothing(
    client, schedule, monkeypatch, settings
):
    secret = "postgres://sommaire:s3cret-mot-de-passe@db.interne:5432/sommaire"

    def refuse(self):
        raise OperationalError(f'connection to server failed: FATAL password for "{secret}"')

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)

    response = client.get("/healthz")

    assert response.status_code == 503
    body = json.loads(response.content)
    assert body == {
        "status": "error",
        "database": "unreachable",
        "jobs": "unknown",
        "stalled_jobs": [],
    }
    for leak in ("s3cret", "db.interne", "5432", "password", settings.SECRET_KEY):
        assert leak not in response.content.decode()


def test_it_is_answered_over_plain_http_behind_the_https_profile(client, schedule, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301
