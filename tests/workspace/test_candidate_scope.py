"""/gestion/candidats/: every side effect of a decision is checked against the
reviewer's scope (sommaire.watch.services), whatever door calls it."""

import pytest
from django.core.exceptions import PermissionDenied

from sommaire.catalog.models import Kind, Region, Resource, Section
from sommaire.watch import services
from sommaire.watch.forms import AcceptForm
from sommaire.watch.models import Candidate

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
        "region": (resource.region_id if resource else candidate.region_id) or "",
        "description": "",
        "section": candidate.section_id,
        "group": "",
    }
    data.update(changes)
    return data


def occitanie_version_of(old: Resource) -> Candidate:
    """A new version of `old` seen on a page of Occitanie (the page's region is OCC)."""
    return propose(
        "https://occitanie.example.org/docs/DSR-HOP-DPI-Va2.pdf",
        "version",
        title="DSR — DPI, Va2",
        kind=old.kind,
        version="Va2",
        predecessor=old,
        region=Region.objects.get(code="OCC"),
    )


def test_a_regional_editor_cannot_accept_a_new_version_of_a_national_resource(client, remi):
    national = Resource.objects.get(key="hop-dpi-dsr-va1")
    assert national.region is None
    candidate = occitanie_version_of(national)
    client.force_login(remi)

    response = client.post(
        f"{QUEUE}{candidate.pk}/",
        publish_form(candidate, region=Region.objects.get(code="OCC").pk),
    )

    assert response.status_code in (403, 404)
    national.refresh_from_db()
    assert national.status == Resource.Status.ACTIVE
    assert not Resource.objects.filter(url=candidate.url).exists()
    assert Candidate.objects.get(pk=candidate.pk).status == "open"


def test_the_service_refuses_it_whatever_door_calls_it(remi):
    national = Resource.objects.get(key="hop-dpi-dsr-va1")
    candidate = occitanie_version_of(national)
    resource = Resource(
        key="hop-dpi-dsr-va2",
        title=candidate.title,
        url=candidate.url,
        kind=national.kind,
        format=national.format,
        publisher=national.publisher,
        region=Region.objects.get(code="OCC"),
    )

    with pytest.raises(PermissionDenied, match="n’est pas dans votre périmètre"):
        services.accept_candidate(candidate, resource, remi)

    assert Resource.objects.get(pk=national.pk).status == Resource.Status.ACTIVE
    assert not Resource.objects.filter(key="hop-dpi-dsr-va2").exists()
    with pytest.raises(PermissionDenied):
        services.dismiss_candidate(candidate, remi)
    assert Candidate.objects.get(pk=candidate.pk).status == "open"


def test_a_new_version_of_a_national_resource_goes_to_the_national_queue(client, nadia, remi):
    national = Resource.objects.get(key="hop-dpi-dsr-va1")
    candidate = occitanie_version_of(national)

    client.force_login(remi)
    assert candidate not in client.get(QUEUE).context["page"].object_list
    client.force_login(nadia)
    assert candidate in client.get(QUEUE).context["page"].object_list

    response = client.post(f"{QUEUE}{candidate.pk}/", publish_form(candidate))

    assert response.status_code == 302
    assert Resource.objects.get(pk=national.pk).status == Resource.Status.ARCHIVED
    assert Resource.objects.get(url=candidate.url).region is None


def test_a_national_editor_cannot_archive_a_regional_resource_through_its_removal(client, nadia):
    regional = Resource.objects.filter(region__code="OCC").first() or Resource.objects.create(
        **{
            f.name: getattr(Resource.objects.get(key="hop-mode-emploi"), f.name)
            for f in Resource._meta.concrete_fields
            if f.name not in ("id", "key", "url", "region", "revision")
        },
        key="occ-guide",
        url="https://occitanie.example.org/guide.pdf",
        region=Region.objects.get(code="OCC"),
    )
    candidate = propose(regional.url, "removed", title=regional.title, resource=regional)
    client.force_login(nadia)

    response = client.post(f"{QUEUE}{candidate.pk}/")

    assert response.status_code in (403, 404)
    assert Resource.objects.get(pk=regional.pk).status == Resource.Status.ACTIVE


def test_of_two_editors_accepting_at_once_only_one_publishes(nadia, administrator):
    candidate = propose("https://esante.gouv.fr/docs/guide-integration.pdf")
    forms = [
        AcceptForm.for_candidate(
            Candidate.objects.get(pk=candidate.pk), nadia, publish_form(candidate)
        )
        for _ in range(2)
    ]
    assert all(form.is_valid() for form in forms)
    services.accept_candidate(candidate, forms[0].save(commit=False), nadia)

    with pytest.raises(services.AlreadyDecided):
        services.accept_candidate(candidate, forms[1].save(commit=False), administrator)

    assert Resource.objects.filter(url=candidate.url).count() == 1
    assert Candidate.objects.get(pk=candidate.pk).decided_by == nadia
