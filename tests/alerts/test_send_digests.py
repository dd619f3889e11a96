"""`sommaire send-digests`: readers' digests and editors' candidates, never twice."""

import json
from datetime import timedelta
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from sommaire.alerts.models import Subscription
from sommaire.catalog.models import CatalogEvent, Region, Resource, Section
from sommaire.watch.models import Candidate


def send() -> dict:
    out = StringIO()
    call_command("send-digests", "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def subscriber(**values) -> Subscription:
    values.setdefault("frequency", "daily")
    values.setdefault("confirmed_at", timezone.now() - timedelta(days=1))
    return Subscription.objects.create(email="lea@example.org", **values)


def added(key: str) -> CatalogEvent:
    return CatalogEvent.record("added", Resource.objects.get(key=key))


def test_a_confirmed_subscriber_gets_what_is_new_in_their_section_once(segur):
    subscriber(section=Section.objects.get(slug="hopital"))
    added("hop-mode-emploi")
    mss = Resource.objects.filter(placements__section__slug="mssante").first()
    CatalogEvent.record("added", mss)

    first = send()
    again = send()

    assert first["readers"] == 1 and first["reader_items"] == 1
    assert again["readers"] == 0
    [message] = mail.outbox
    assert "Mode d’emploi — Hôpital" in message.body and mss.title not in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")


def test_an_unconfirmed_subscription_receives_nothing(segur):
    subscriber(confirmed_at=None)
    added("hop-mode-emploi")

    assert send()["readers"] == 0 and not mail.outbox


def test_a_weekly_digest_waits_for_its_week(segur):
    subscription = subscriber(frequency="weekly")
    added("hop-mode-emploi")
    send()
    added("hop-fichier-calcul")

    assert send()["readers"] == 0
    Subscription.objects.filter(pk=subscription.pk).update(
        last_sent_at=timezone.now() - timedelta(days=7)
    )
    assert send()["reader_items"] == 1


def test_a_region_subscription_gets_national_and_regional_news_only(segur):
    occitanie, bretagne = Region.objects.get(code="OCC"), Region.objects.get(code="BRE")
    subscriber(region=occitanie)
    national = Resource.objects.get(key="hop-mode-emploi")
    ours = Resource.objects.get(key="hop-fichier-calcul")
    theirs = Resource.objects.get(key="hop-fiche-pratique")
    Resource.objects.filter(pk=ours.pk).update(region=occitanie)
    Resource.objects.filter(pk=theirs.pk).update(region=bretagne)
    for resource in (national, ours, theirs):
        CatalogEvent.record("added", resource)

    send()

    body = mail.outbox[0].body
    assert national.title in body and ours.title in body and theirs.title not in body


def test_a_saved_search_keeps_only_matching_news(segur):
    subscriber(query="DSR")
    added("hop-dpi-dsr-va1")
    added("hop-mode-emploi")

    assert send()["reader_items"] == 1
    assert "DSR — DPI, vague 1" in mail.outbox[0].body


def test_news_from_before_the_confirmation_is_not_sent(segur):
    event = added("hop-mode-emploi")
    CatalogEvent.objects.filter(pk=event.pk).update(at=timezone.now() - timedelta(days=3))
    subscriber()

    assert send()["readers"] == 0


def test_editors_get_the_candidates_of_their_regions_once(segur, nadia, remi):
    hopital = Section.objects.get(slug="hopital")
    Candidate.propose(
        "https://esante.gouv.fr/d/national.pdf", "new", title="National", section=hopital
    )
    Candidate.propose(
        "https://occitanie.example.org/d/regional.pdf",
        "new",
        title="Régional",
        section=hopital,
        region=Region.objects.get(code="OCC"),
    )

    first = send()
    again = send()

    assert first["editors"] == 2 and again["editors"] == 0
    by_person = {m.to[0]: m.body for m in mail.outbox}
    assert "National" in by_person["nadia@sante.gouv.fr"]
    assert "Régional" not in by_person["nadia@sante.gouv.fr"]
    assert "Régional" in by_person["remi@sante.gouv.fr"]
    assert "National" not in by_person["remi@sante.gouv.fr"]
