"""`sommaire candidates [--format json]`: the open candidates."""

import json
from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from sommaire.catalog.models import Kind, Resource, Section
from sommaire.watch.models import Candidate, Source


def candidates(*args) -> str:
    out = StringIO()
    call_command("candidates", *args, stdout=out)
    return out.getvalue()


def test_it_lists_open_candidates_with_the_documented_fields(segur):
    hopital = Section.objects.get(slug="hopital")
    source = Source.objects.create(url="https://esante.gouv.fr/segur/hopital-test", section=hopital)
    old = Resource.objects.get(key="hop-dpi-dsr-va1")
    Candidate.propose(
        "https://esante.gouv.fr/d/DSR-HOP-DPI-Va2.pdf",
        "version",
        title="DSR — DPI, Va2",
        kind=Kind.objects.get(slug="dsr"),
        version="Va2",
        predecessor=old,
        section=hopital,
        source=source,
    )
    Candidate.propose("https://esante.gouv.fr/d/ecarte.pdf", "new", title="Écarté", section=hopital)
    Candidate.objects.get(title="Écarté").dismiss()
    Candidate.propose(
        "https://esante.gouv.fr/d/plus-tard.pdf", "new", title="Plus tard", section=hopital
    )
    Candidate.objects.get(title="Plus tard").snooze(3)

    rows = json.loads(candidates("--format", "json"))

    assert len(rows) == 1
    row = rows[0]
    assert set(row) >= {
        "url",
        "title",
        "kind",
        "version",
        "predecessor",
        "section",
        "source",
        "first_seen",
    }
    assert (row["kind"], row["version"], row["predecessor"]) == ("dsr", "Va2", old.url)
    assert (row["section"], row["source"]) == ("hopital", source.url)
    assert timezone.datetime.fromisoformat(row["first_seen"]) <= timezone.now()


def test_a_snoozed_candidate_comes_back_when_its_time_is_up(segur):
    hopital = Section.objects.get(slug="hopital")
    candidate, _ = Candidate.propose(
        "https://esante.gouv.fr/d/x.pdf", "new", title="X", section=hopital
    )
    candidate.snooze(1)
    Candidate.objects.filter(pk=candidate.pk).update(snoozed_until=timezone.now() - timedelta(1))

    assert [r["url"] for r in json.loads(candidates("--format", "json"))] == [candidate.url]


def test_the_text_output_counts_them(segur):
    assert candidates().strip().endswith("0 candidate(s) to review.")
