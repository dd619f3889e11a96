"""The review queue in the back-office: accept (prefilled, editable), dismiss, snooze."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sommaire.catalog.models import CatalogEvent, Kind, Placement, Region, Resource, Section
from sommaire.watch.models import Candidate

QUEUE = "/gestion/admin/watch/candidate/"


def propose(url, change="new", **values) -> Candidate:
    values.setdefault("title", "Guide d’intégration")
    values.setdefault("section", Section.objects.get(slug="hopital"))
    values.setdefault("kind", Kind.objects.get(slug="guide"))
    candidate, _ = Candidate.propose(url, change, **values)
    return candidate


def publish_form(candidate: Candidate, **changes) -> dict:
    resource = candidate.predecessor
    data = {
        "title": candidate.title,
        "key": candidate.suggested_key(),
        "url": candidate.url,
        "kind": candidate.kind_id or "",
        "format": (candidate.format_id or (resource and resource.format_id) or 1),
        "publisher": candidate.publisher_id or (resource and resource.publisher_id) or 1,
        "profile": candidate.profile_id or "",
        "wave": candidate.wave_id or "",
        "version": candidate.version,
        "region": candidate.region_id or "",
        "description": "",
        "section": candidate.section_id,
        "group": "",
    }
    data.update(changes)
    return data


def test_the_accept_form_is_prefilled_with_the_guess(client, nadia):
    candidate = propose("https://esante.gouv.fr/docs/guide-integration.pdf")
    client.force_login(nadia)

    response = client.get(f"{QUEUE}{candidate.pk}/accepter/")

    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["title"] == "Guide d’intégration"
    assert form.initial["key"] == "guide-dintegration"
    assert form.initial["kind"] == candidate.kind_id


def test_accepting_a_new_document_publishes_it_where_the_editor_says(client, nadia):
    candidate = propose("https://esante.gouv.fr/docs/guide-integration.pdf")
    client.force_login(nadia)

    response = client.post(
        f"{QUEUE}{candidate.pk}/accepter/",
        publish_form(
            candidate, title="Guide d’intégration — Hôpital", group="Pour aller plus loin"
        ),
    )

    assert response.status_code == 302
    resource = Resource.objects.get(url=candidate.url)
    assert resource.title == "Guide d’intégration — Hôpital"
    placement = Placement.objects.get(resource=resource)
    assert (placement.section.slug, placement.group) == ("hopital", "Pour aller plus loin")
    assert (
        placement.order
        > Placement.objects.filter(section__slug="hopital").exclude(resource=resource).count() - 1
    )
    assert CatalogEvent.objects.get(resource=resource).kind == "added"
    candidate.refresh_from_db()
    assert (candidate.status, candidate.resource, candidate.decided_by) == (
        "accepted",
        resource,
        nadia,
    )


def test_accepting_a_successor_archives_the_predecessor_and_links_the_two(client, nadia):
    old = Resource.objects.get(key="hop-dpi-dsr-va1")
    old_places = list(old.placements.values_list("section__slug", "group", "order"))
    candidate = propose(
        "https://esante.gouv.fr/docs/DSR-HOP-DPI-Va2.pdf",
        "version",
        title="DSR — DPI, Va2",
        kind=old.kind,
        version="Va2",
        predecessor=old,
    )
    client.force_login(nadia)

    data = publish_form(candidate)
    assert data["key"] == "hop-dpi-dsr-va2"
    client.post(f"{QUEUE}{candidate.pk}/accepter/", data)

    new = Resource.objects.get(key="hop-dpi-dsr-va2")
    old.refresh_from_db()
    assert old.status == Resource.Status.ARCHIVED
    assert new.replaces == old and old.successor() == new
    assert list(new.placements.values_list("section__slug", "group", "order")) == old_places
    event = CatalogEvent.objects.get(resource=new)
    assert (event.kind, event.previous) == ("replaced", old)


def test_accepting_a_removal_archives_the_resource_and_deletes_nothing(client, nadia):
    gone = Resource.objects.get(key="hop-mode-emploi")
    candidate = propose(gone.url, "removed", title=gone.title, resource=gone)
    client.force_login(nadia)

    client.post(f"{QUEUE}{candidate.pk}/accepter/")

    gone.refresh_from_db()
    assert gone.status == Resource.Status.ARCHIVED
    assert CatalogEvent.objects.get(resource=gone).kind == "archived"
    assert Candidate.objects.get(pk=candidate.pk).status == "accepted"


def test_dismissed_and_snoozed_candidates_leave_the_queue(client, nadia):
    first = propose("https://esante.gouv.fr/docs/a.pdf")
    second = propose("https://esante.gouv.fr/docs/b.pdf")
    client.force_login(nadia)

    client.post(QUEUE, {"action": "dismiss", "_selected_action": [first.pk]})
    client.post(QUEUE, {"action": "snooze", "_selected_action": [second.pk]})

    assert list(Candidate.objects.open()) == []
    later = timezone.now() + timedelta(days=8)
    assert list(Candidate.objects.open(now=later)) == [Candidate.objects.get(pk=second.pk)]
    assert Candidate.objects.get(pk=first.pk).status == "dismissed"


def test_a_regional_editor_reviews_the_candidates_of_their_region_only(client, remi):
    national = propose("https://esante.gouv.fr/docs/national.pdf")
    occitanie = propose(
        "https://occitanie.example.org/docs/guide.pdf", region=Region.objects.get(code="OCC")
    )
    client.force_login(remi)

    listing = client.get(QUEUE)

    assert list(listing.context["cl"].queryset) == [occitanie]
    assert client.get(f"{QUEUE}{national.pk}/accepter/").status_code == 404
    assert client.get(f"{QUEUE}{occitanie.pk}/accepter/").status_code == 200


def test_a_regional_editor_cannot_publish_a_national_resource(client, remi):
    occitanie = propose(
        "https://occitanie.example.org/docs/guide.pdf", region=Region.objects.get(code="OCC")
    )
    client.force_login(remi)

    response = client.post(f"{QUEUE}{occitanie.pk}/accepter/", publish_form(occitanie, region=""))

    assert response.status_code == 403
    assert not Resource.objects.filter(url=occitanie.url).exists()


@pytest.mark.parametrize("path", [QUEUE, f"{QUEUE}1/accepter/"])
def test_an_anonymous_reader_is_sent_to_the_login_page(client, segur, path):
    response = client.get(path)

    assert response.status_code == 302 and "/login/" in response["Location"]
