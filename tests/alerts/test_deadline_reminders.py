"""`sommaire send-digests` reminds section subscribers of its deadlines, J-30 and J-7, once."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core import mail
from django.utils import timezone

from sommaire.alerts.models import DeadlineReminder
from sommaire.alerts.services import send_digests
from sommaire.catalog.models import Section
from tests.alerts.test_send_digests import subscriber
from tests.public.deadlines import deadline, only_these

PARIS = ZoneInfo("Europe/Paris")


def at(day_offset: int, hour: int = 9):
    """A moment `day_offset` days from today, Paris time."""
    today = timezone.now().astimezone(PARIS).date()
    return datetime.combine(today + timedelta(days=day_offset), time(hour), PARIS)


def test_a_subscriber_of_the_section_is_reminded_30_days_then_7_days_before_once_each(segur):
    only_these(deadline("solde", 40, label="Dépôt des demandes de paiement du solde"))
    subscriber(section=Section.objects.get(slug="radiologie"), frequency="weekly")

    sends = {day: send_digests(now=at(day)).reminders for day in (0, 10, 11, 20, 33, 34, 39)}

    assert sends == {0: 0, 10: 1, 11: 0, 20: 0, 33: 1, 34: 0, 39: 0}
    assert [m.subject for m in mail.outbox] == [
        "Ségur numérique : échéance dans 30 jours — Dépôt des demandes de paiement du solde",
        "Ségur numérique : échéance dans 7 jours — Dépôt des demandes de paiement du solde",
    ]
    assert sorted(DeadlineReminder.objects.values_list("days", flat=True)) == [7, 30]


def test_the_reminder_names_the_date_the_source_and_how_to_stop(segur):
    made = deadline("dossier", 7, label="Dépôt du dossier complet de preuves")
    only_these(made)
    subscriber(section=Section.objects.get(slug="radiologie"))

    send_digests(now=at(0))

    [message] = mail.outbox
    assert message.to == ["lea@example.org"]
    assert f"{made.when_label()} (dans 7 jours) : Dépôt du dossier complet de preuves" in (
        message.body
    )
    assert f"Source : {made.source}" in message.body
    assert "/echeances/radiologie.ics" in message.body
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")


def test_a_subscriber_who_comes_late_gets_the_reminder_that_is_due(segur):
    only_these(deadline("proche", 5))
    subscriber(section=Section.objects.get(slug="radiologie"))

    send_digests(now=at(0))
    send_digests(now=at(1))

    assert list(DeadlineReminder.objects.values_list("days", flat=True)) == [7]
    assert len(mail.outbox) == 1


def test_subscribers_of_a_parent_section_hear_of_its_subsections_deadlines(segur):
    only_these(deadline("dpi", 30, section="hopital", wave="vague-1", label="DPI"))
    subscriber(section=Section.objects.get(slug="documentation-par-cible"))

    assert send_digests(now=at(0)).reminder_items == 1


def test_nobody_else_is_reminded(segur):
    only_these(deadline("drimbox", 7), deadline("passee", -1))
    subscriber(section=Section.objects.get(slug="hopital"))
    subscriber(section=Section.objects.get(slug="radiologie"), confirmed_at=None)
    subscriber()  # all the news, no section

    report = send_digests(now=at(0))

    assert report.reminders == 0 and not mail.outbox


def test_a_deadline_past_within_its_last_day_is_not_reminded(segur):
    only_these(deadline("midi", 0, time=time(12, 0)))
    subscriber(section=Section.objects.get(slug="radiologie"))

    assert send_digests(now=at(0, hour=14)).reminders == 0
    assert send_digests(now=at(0, hour=13)).reminders == 0
