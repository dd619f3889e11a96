"""/echeances.ics and /echeances/<section>.ics, read back by the icalendar parser."""

from datetime import date, datetime, time
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings

from tests.public.deadlines import deadline, only_these

PARIS = ZoneInfo("Europe/Paris")


def read(client, path: str) -> icalendar.Calendar:
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def events(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}


def test_a_timed_deadline_is_a_paris_time_with_its_time_zone(segur, client):
    made = deadline("drimbox-solde", 30, label="Dépôt des demandes de paiement du solde")
    only_these(made)

    calendar = read(client, "/echeances.ics")

    event = events(calendar)["Dépôt des demandes de paiement du solde"]
    start = event.decoded("DTSTART")
    assert start == datetime.combine(made.date, time(12, 0), PARIS)
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    assert str(event["URL"]) == made.source


def test_the_time_zone_tells_winter_from_summer(segur, client):
    only_these(deadline("ete", 0), deadline("hiver", 0))
    calendar = read(client, "/echeances.ics")

    zone = calendar.walk("VTIMEZONE")[0].to_tz()

    assert datetime(2027, 7, 1, 12, tzinfo=zone).utcoffset().total_seconds() == 7200
    assert datetime(2027, 12, 15, 12, tzinfo=zone).utcoffset().total_seconds() == 3600


def test_a_deadline_given_as_a_day_is_an_all_day_event(segur, client):
    only_these(deadline("solde-v1", -10, time=None, label="Solde"))

    event = events(read(client, "/echeances.ics"))["Solde"]

    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert type(start) is date and (end - start).days == 1


def test_uids_are_stable_and_dtstamp_is_utc(segur, client):
    only_these(deadline("drimbox-solde", 30, label="Solde"))

    first = events(read(client, "/echeances.ics"))["Solde"]
    again = events(read(client, "/echeances/radiologie.ics"))["Solde"]

    host = urlsplit(settings.SITE_URL).hostname  # the site's name, whatever the request said
    assert str(first["UID"]) == str(again["UID"]) == f"echeance-drimbox-solde@{host}"
    assert first.decoded("DTSTAMP").utcoffset().total_seconds() == 0


def test_text_is_escaped_and_long_lines_are_folded_at_75_octets(segur, client):
    label = "Dépôt des demandes de financement, d’avance; et « solde » \\ " + "é" * 80
    only_these(deadline("long", 30, label=label))

    raw = client.get("/echeances.ics").content

    lines = raw.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)
    assert all(not line.endswith(b"\r") for line in lines)
    raw.decode("utf-8")  # no character was split by the folding
    assert b"financement\\, d\xe2\x80\x99avance\\; et" in raw.replace(b"\r\n ", b"")
    assert str(events(icalendar.Calendar.from_ical(raw))[label]["SUMMARY"]) == label


def test_a_section_calendar_holds_its_deadlines_and_those_below_it(segur, client):
    only_these(
        deadline("drimbox", 30, section="radiologie", label="DRIMbox"),
        deadline("dpi", 30, section="hopital", wave="vague-1", label="DPI"),
    )

    assert set(events(read(client, "/echeances/radiologie.ics"))) == {"DRIMbox"}
    assert set(events(read(client, "/echeances/documentation-par-cible.ics"))) == {
        "DRIMbox",
        "DPI",
    }
    assert client.get("/echeances/inconnue.ics").status_code == 404


def test_the_segur_calendar_has_every_deadline_of_the_pack(segur, client):
    calendar = read(client, "/echeances.ics")

    assert len(calendar.walk("VEVENT")) == 20
    assert str(calendar["X-WR-CALNAME"]) == "Échéances du Ségur numérique"
