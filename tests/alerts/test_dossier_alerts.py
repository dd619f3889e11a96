"""Following a dossier: readers hear of its documents' changes, its owner too."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from sommaire.alerts.models import Subscription
from sommaire.catalog.models import CatalogEvent, Resource
from sommaire.dossiers.models import Dossier
from tests.dossiers.factories import compose, new_version
from tests.public.html import page

pytestmark = pytest.mark.django_db


def send() -> dict:
    out = StringIO()
    call_command("send-digests", "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def follower(dossier) -> Subscription:
    return Subscription.objects.create(
        email="lea@example.org",
        dossier=dossier,
        frequency="daily",
        confirmed_at=timezone.now() - timedelta(days=1),
    )


def test_the_form_follows_the_dossier_named_in_the_address(client, nadia):
    dossier = compose(nadia)
    document = page(client, f"/nouveautes/alertes/?dossier={dossier.slug}")
    assert document.find("h1").text() == (
        "Suivre les changements du dossier « Préparer sa demande SONS DUI »"
    )
    assert [f.get("name") for f in document.find_all("select")] == ["frequency"]
    assert document.find("form", method="post").find("button").text() == "Suivre ce dossier"
    answer = client.post(
        "/nouveautes/alertes/",
        {"email": "lea@example.org", "dossier": dossier.slug, "frequency": "weekly"},
    )
    assert answer.status_code == 200
    subscription = Subscription.objects.get()
    assert subscription.dossier == dossier
    assert "dossier « Préparer sa demande SONS DUI »" in mail.outbox[0].body


def test_a_draft_cannot_be_followed(client, nadia):
    compose(nadia, status="draft")
    answer = client.post(
        "/nouveautes/alertes/",
        {"email": "lea@example.org", "dossier": "ehpad-sons-dui", "frequency": "weekly"},
    )
    assert "Ce dossier n’est pas publié" in answer.content.decode()
    assert not Subscription.objects.exists()


def test_a_follower_hears_of_a_new_version_of_a_document_of_the_dossier_only(nadia):
    follower(compose(nadia))
    new_version(Resource.objects.get(key="ms-dui-rem-va1"), "REM DUI, vague 2")
    CatalogEvent.record("added", Resource.objects.get(key="hop-dpi-af-va1"))
    assert send()["reader_items"] == 1
    (message,) = [m for m in mail.outbox if m.to == ["lea@example.org"]]
    assert "REM DUI, vague 2" in message.body
    assert "DPI" not in message.body
    assert send()["reader_items"] == 0


def test_a_follower_hears_nothing_once_the_dossier_is_a_draft_again(nadia):
    dossier = compose(nadia)
    follower(dossier)
    Dossier.objects.filter(pk=dossier.pk).update(status="draft")
    new_version(Resource.objects.get(key="ms-dui-rem-va1"), "REM DUI, vague 2")
    assert send()["reader_items"] == 0


def test_the_owner_is_told_once_in_their_digest(nadia, remi):
    compose(nadia)
    new_version(Resource.objects.get(key="ms-dui-rem-va1"), "REM DUI, vague 2")
    report = send()
    assert report["dossier_notices"] == 1
    (message,) = [m for m in mail.outbox if m.to == [nadia.email]]
    assert message.subject == "Sommaire : 1 changement dans vos dossiers"
    assert "une nouvelle version existe, « REM DUI, vague 2 »" in message.body
    assert "/gestion/dossiers/" in message.body
    assert not [m for m in mail.outbox if m.to == [remi.email]]
    assert send()["dossier_notices"] == 0
