"""/gestion/candidats/: the review queue — filter, accept (prefilled, editable), dismiss with
a reason, snooze until a date, dismiss several at once, each within the editor's scope."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sommaire.catalog.models import CatalogEvent, Kind, Placement, Region, Resource, Section
from sommaire.watch.models import Candidate
from tests.workspace.conftest import html

QUEUE = "/gestion/candidats/"


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

    response = client.get(f"{QUEUE}{candidate.pk}/")

    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["title"] == "Guide d’intégration"
    assert form.initial["key"] == "guide-dintegration"
    assert form.initial["kind"] == candidate.kind_id


def test_accepting_a_new_document_publishes_it_where_the_editor_says(client, nadia):
    candidate = propose("https://esante.gouv.fr/docs/guide-integration.pdf")
    client.force_login(nadia)

    response = client.post(
        f"{QUEUE}{candidate.pk}/",
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
    client.post(f"{QUEUE}{candidate.pk}/", data)

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

    client.post(f"{QUEUE}{candidate.pk}/")

    gone.refresh_from_db()
    assert gone.status == Resource.Status.ARCHIVED
    assert CatalogEvent.objects.get(resource=gone).kind == "archived"
    assert Candidate.objects.get(pk=candidate.pk).status == "accepted"


def test_dismissed_and_snoozed_candidates_leave_the_queue(client, nadia):
    first = propose("https://esante.gouv.fr/docs/a.pdf")
    second = propose("https://esante.gouv.fr/docs/b.pdf")
    client.force_login(nadia)
    until = timezone.localdate() + timedelta(days=8)

    client.post(f"{QUEUE}{first.pk}/ecarter/", {"reason": "Doublon du guide national"})
    client.post(f"{QUEUE}{second.pk}/reporter/", {"until": until.isoformat()})

    assert list(Candidate.objects.open()) == []
    later = timezone.now() + timedelta(days=8, hours=1)
    assert list(Candidate.objects.open(now=later)) == [Candidate.objects.get(pk=second.pk)]
    dismissed = Candidate.objects.get(pk=first.pk)
    assert (dismissed.status, dismissed.reason, dismissed.decided_by) == (
        "dismissed",
        "Doublon du guide national",
        nadia,
    )


def test_dismissing_asks_for_a_reason_and_keeps_the_candidate_until_given(client, nadia):
    candidate = propose("https://esante.gouv.fr/docs/a.pdf")
    client.force_login(nadia)

    response = client.post(f"{QUEUE}{candidate.pk}/ecarter/", {"reason": "  "})

    assert response.status_code == 200
    page = html(response)
    assert "Indiquez le motif" in page.css_first(".fr-message--error").text()
    field = page.css_first("#id_reason")
    assert "id_reason-erreur" in field.attributes["aria-describedby"]
    assert Candidate.objects.get(pk=candidate.pk).status == "open"


def test_a_snooze_date_must_be_in_the_future(client, nadia):
    candidate = propose("https://esante.gouv.fr/docs/a.pdf")
    client.force_login(nadia)

    response = client.post(
        f"{QUEUE}{candidate.pk}/reporter/", {"until": timezone.localdate().isoformat()}
    )

    assert "Choisissez une date à venir" in response.content.decode()
    assert Candidate.objects.get(pk=candidate.pk).status == "open"


def test_several_candidates_are_dismissed_at_once_with_one_reason(client, nadia):
    chosen = [propose(f"https://esante.gouv.fr/docs/{name}.pdf") for name in ("a", "b")]
    kept = propose("https://esante.gouv.fr/docs/c.pdf")
    client.force_login(nadia)

    response = client.post(
        f"{QUEUE}ecarter/", {"candidates": [c.pk for c in chosen], "reason": "Brouillons"}
    )

    assert response.status_code == 302
    assert list(Candidate.objects.open()) == [kept]
    assert set(Candidate.objects.filter(status="dismissed").values_list("reason", flat=True)) == {
        "Brouillons"
    }


def test_a_bulk_dismissal_without_reason_keeps_the_selection_checked(client, nadia):
    chosen = propose("https://esante.gouv.fr/docs/a.pdf")
    client.force_login(nadia)

    response = client.post(f"{QUEUE}ecarter/", {"candidates": [chosen.pk], "reason": ""})

    assert response.status_code == 200
    box = html(response).css_first(f"input[name=candidates][value='{chosen.pk}']")
    assert "checked" in box.attributes
    assert Candidate.objects.get(pk=chosen.pk).status == "open"


def test_a_bulk_dismissal_cannot_reach_a_candidate_of_another_region(client, remi):
    brittany = propose(
        "https://bretagne.example.org/docs/guide.pdf", region=Region.objects.get(code="BRE")
    )
    client.force_login(remi)

    client.post(f"{QUEUE}ecarter/", {"candidates": [brittany.pk], "reason": "Hors sujet"})

    assert Candidate.objects.get(pk=brittany.pk).status == "open"


def test_the_queue_filters_by_section_kind_and_change(client, nadia):
    guide = propose("https://esante.gouv.fr/docs/guide.pdf")
    other_section = propose(
        "https://esante.gouv.fr/docs/ville.pdf",
        section=Section.objects.get(slug="medecine-de-ville"),
    )
    other_kind = propose("https://esante.gouv.fr/docs/faq.pdf", kind=Kind.objects.get(slug="faq"))
    gone = propose(Resource.objects.get(key="hop-mode-emploi").url, "removed", title="Parti")
    client.force_login(nadia)
    section, kind = guide.section_id, guide.kind_id

    def shown(query: str) -> set[int]:
        return {c.pk for c in client.get(f"{QUEUE}?{query}").context["page"].object_list}

    assert shown("") == {guide.pk, other_section.pk, other_kind.pk, gone.pk}
    assert shown(f"section={section}&kind={kind}&change=new") == {guide.pk}
    assert shown("change=removed") == {gone.pk}


def test_a_new_version_shows_its_predecessor_and_what_differs(client, nadia):
    old = Resource.objects.get(key="hop-dpi-dsr-va1")
    propose(
        "https://esante.gouv.fr/docs/DSR-HOP-DPI-Va2.pdf",
        "version",
        title="DSR — DPI, Va2",
        kind=old.kind,
        version="Va2",
        predecessor=old,
    )
    client.force_login(nadia)

    page = html(client.get(QUEUE))

    item = page.css_first(".workspace-item").text()
    assert f"Remplacerait {old.title}" in " ".join(item.split())
    differences = [" ".join(li.text().split()) for li in page.css(".workspace-differences li")]
    assert f"Version : {old.version} → Va2" in differences


def test_a_regional_editor_reviews_the_candidates_of_their_region_only(client, remi):
    national = propose("https://esante.gouv.fr/docs/national.pdf")
    occitanie = propose(
        "https://occitanie.example.org/docs/guide.pdf", region=Region.objects.get(code="OCC")
    )
    client.force_login(remi)

    listing = client.get(QUEUE)

    assert list(listing.context["page"].object_list) == [occitanie]
    assert client.get(f"{QUEUE}{national.pk}/").status_code == 403
    assert client.get(f"{QUEUE}{occitanie.pk}/").status_code == 200


def test_a_regional_editor_cannot_publish_a_national_resource(client, remi):
    occitanie = propose(
        "https://occitanie.example.org/docs/guide.pdf", region=Region.objects.get(code="OCC")
    )
    client.force_login(remi)

    response = client.post(f"{QUEUE}{occitanie.pk}/", publish_form(occitanie, region=""))

    assert response.status_code == 200
    assert response.context["form"].errors["region"]
    assert not Resource.objects.filter(url=occitanie.url).exists()


@pytest.mark.parametrize("path", [QUEUE, f"{QUEUE}1/"])
def test_an_anonymous_reader_is_sent_to_the_sign_in_page(client, segur, path):
    response = client.get(path)

    assert response.status_code == 302 and "/gestion/connexion/" in response["Location"]


def test_the_queue_costs_the_same_queries_with_more_candidates(client, nadia):
    old = Resource.objects.get(key="hop-dpi-dsr-va1")
    client.force_login(nadia)

    def grow(start: int, n: int) -> None:
        for i in range(start, start + n):
            propose(f"https://esante.gouv.fr/docs/{i}.pdf")
            propose(f"https://esante.gouv.fr/docs/v{i}.pdf", "version", predecessor=old)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(QUEUE).status_code == 200
        return len(captured)

    grow(0, 2)
    few = queries()
    grow(2, 20)

    assert queries() == few
