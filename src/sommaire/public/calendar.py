"""Deadlines as iCalendar (RFC 5545), for calendar programs to import or subscribe to.

What calendar programs are strict about, and why each rule is here:

- every line ends with CRLF and is folded at 75 octets, never inside a UTF-8
  character (a continuation line starts with one space);
- TEXT values escape backslash, semicolon, comma and newline;
- an event's UID never changes (the deadline's slug and the site's host), so a
  subscriber's calendar updates the event instead of adding a second one;
  DTSTAMP is the deadline's last change, in UTC, so the file stays the same
  until the deadline does;
- a timed deadline is a local time with TZID=Europe/Paris, and the calendar
  carries that zone's VTIMEZONE (summer time rules since 1996); a deadline
  given as a day only is an all-day event (VALUE=DATE).
"""

from collections.abc import Iterable
from datetime import UTC, timedelta

from django.conf import settings

from sommaire.catalog.models import Deadline

PRODID = "-//Sommaire//Échéances du Ségur numérique//FR"
TZID = "Europe/Paris"
LINE_OCTETS = 75

VTIMEZONE = [
    "BEGIN:VTIMEZONE",
    f"TZID:{TZID}",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
]


def escape_text(value: str) -> str:
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Split a content line into pieces of at most 75 octets, joined by CRLF + space."""
    pieces, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = LINE_OCTETS if not pieces else LINE_OCTETS - 1  # the leading space counts
        if size + width > limit:
            pieces.append(current)
            current, size = "", 0
        current += char
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def _host() -> str:
    return settings.SITE_URL.split("://", 1)[-1].split("/")[0].split(":")[0]


def _utc(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def event_lines(deadline: Deadline) -> list[str]:
    section, wave = deadline.section, deadline.wave
    description = f"{section.title} — {wave.label}\nSource : {deadline.source}"
    if deadline.time is None:
        end = deadline.date + timedelta(days=1)
        when = [
            f"DTSTART;VALUE=DATE:{deadline.date:%Y%m%d}",
            f"DTEND;VALUE=DATE:{end:%Y%m%d}",
        ]
    else:
        when = [f"DTSTART;TZID={TZID}:{deadline.starts_at():%Y%m%dT%H%M%S}"]
    return [
        "BEGIN:VEVENT",
        f"UID:echeance-{deadline.slug}@{_host()}",
        f"DTSTAMP:{_utc(deadline.changed_at)}",
        f"LAST-MODIFIED:{_utc(deadline.changed_at)}",
        *when,
        f"SUMMARY:{escape_text(deadline.label)}",
        f"DESCRIPTION:{escape_text(description)}",
        f"CATEGORIES:{escape_text(section.title)},{escape_text(wave.label)}",
        f"URL:{deadline.source}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def calendar(deadlines: Iterable[Deadline], name: str) -> str:
    """A whole VCALENDAR, ready to serve as text/calendar."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        f"X-WR-TIMEZONE:{TZID}",
        *VTIMEZONE,
    ]
    for deadline in deadlines:
        lines += event_lines(deadline)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
