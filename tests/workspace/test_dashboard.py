"""/gestion/: the signed-in editor's dashboard — what waits in their scope, each count a
link to the work; the robots' last runs; and who changed what lately."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sommaire.catalog.models import CatalogEvent, Kind, Region, Resource, Section
from sommaire.catalog.services import change_resource_url
from sommaire.documents.models import DocumentState
from sommaire.jobs.models import Job
from sommaire.linkcheck.models import Link, Run
from sommaire.linkcheck.services import link_url
from sommaire.watch.models import Candidate
from tests.workspace.conftest import html, signed_in

DASHBOARD = "/gestion/"


def todo(user) -> dict[str, tuple[int, str]]:
    page = html(signed_in(user).get(DASHBOARD))
    items = {}
    for link in page.css(".workspace-todo__link"):
        label = link.css_first(".workspace-todo__label").text()
        count = int(link.css_first(".workspace-todo__count").text())
        items[label] = (count, link.attributes["href"])
    return items


def propose(url, change="new", region=None, **values) -> Candidate:
    values.setdefault("section", Section.objects.get(slug="hopital"))
    values.setdefault("kind", Kind.objects.get(slug="guide"))
    return Candidate.propose(url, change, title="Guide", region=region, **values)[0]


def broken(url: str, **values) -> Link:
    now = timezone.now()
    defaults = dict(
        status="broken", consecutive_failures=3, first_failure_at=now - timedelta(days=3)
    )
    defaults.update(values)
    return Link.objects.create(url=link_url(url), last_checked_at=now, **defaults)


def test_new_versions_and_removals_are_counted_in_the_editor_s_scope(remi, nadia):
    occitanie = Region.objects.get(code="OCC")
    propose("https://occitanie.example.org/a.pdf", region=occitanie)
    propose("https://occitanie.example.org/b.pdf", "version", region=occitanie)
    propose("https://esante.gouv.fr/national.pdf")

    mine = todo(remi)

    assert mine["Nouvelles publications proposées par la veille"] == (
        1,
        "/gestion/candidats/?change=new",
    )
    assert mine["Nouvelles versions proposées"][0] == 1
    assert mine["Documents retirés de leur page officielle"][0] == 0
    assert todo(nadia)["Nouvelles publications proposées par la veille"][0] == 1


def test_confirmed_broken_links_and_redirects_count_once_known_ones_not(nadia, catalog):
    first = catalog.add("https://esante.gouv.fr/a.pdf#page=3")
    second = catalog.add("https://esante.gouv.fr/b.pdf")
    third = catalog.add("https://esante.gouv.fr/c.pdf")
    moved = catalog.add("https://esante.gouv.fr/d.pdf")
    broken(first.url)
    broken(second.url, known_until=timezone.localdate() + timedelta(days=5))
    broken(third.url, consecutive_failures=1)  # not confirmed yet
    Link.objects.create(
        url=moved.url, status="redirected", permanent=True, final_url="https://esante.gouv.fr/e"
    )

    mine = todo(nadia)

    assert mine["Liens cassés (confirmés)"] == (1, "/gestion/liens/")
    assert mine["Redirections permanentes à adopter"][0] == 1


def test_resources_no_check_reached_for_fourteen_days_are_counted(nadia, catalog):
    fresh = catalog.add("https://esante.gouv.fr/a.pdf")
    stale = catalog.add("https://esante.gouv.fr/c.pdf#page=2")
    failing = catalog.add("https://esante.gouv.fr/d.pdf")
    now = timezone.now()
    Run.objects.create(started_at=now - timedelta(days=1), finished_at=now, outcome="done")
    Link.objects.create(url=fresh.url, status="ok", last_ok_at=now)
    Link.objects.create(url=link_url(stale.url), status="ok", last_ok_at=now - timedelta(days=15))
    broken(failing.url)  # never answered
    label = "Ressources non vérifiées depuis 14 jours"

    assert todo(nadia)[label] == (2, "/gestion/liens/#non-verifiees")
    listed = html(signed_in(nadia).get("/gestion/liens/")).css("#non-verifiees + p + ul a")
    assert {a.text() for a in listed} == {stale.title, failing.title}


def test_before_any_full_check_every_resource_is_unverified(nadia, catalog):
    Run.objects.create(scope="hopital", finished_at=timezone.now(), outcome="done")
    active = Resource.objects.filter(region__isnull=True, status="active").count()

    assert todo(nadia)["Ressources non vérifiées depuis 14 jours"][0] == active


def test_a_full_check_that_found_the_network_down_verified_no_resource(nadia, catalog):
    Run.objects.create(finished_at=timezone.now(), outcome="network_down")
    active = Resource.objects.filter(region__isnull=True, status="active").count()

    assert todo(nadia)["Ressources non vérifiées depuis 14 jours"][0] == active


def test_a_document_whose_text_changed_waits_until_someone_marks_it_read(nadia):
    resource = Resource.objects.filter(region__isnull=True).order_by("pk").first()
    DocumentState.objects.create(resource=resource, content_hash="abc")
    CatalogEvent.record(CatalogEvent.Kind.UPDATED, resource)
    label = "Documents dont le texte a changé depuis leur dernière lecture"
    client = signed_in(nadia)

    assert todo(nadia)[label] == (1, "/gestion/documents/")
    listed = html(client.get("/gestion/documents/")).css_first("h2").text()
    client.post(f"/gestion/documents/{resource.pk}/relu/")

    assert listed == resource.title
    assert todo(nadia)[label][0] == 0
    assert DocumentState.objects.get(resource=resource).reviewed_by == nadia


def test_the_robots_say_when_each_job_last_ran_and_when_one_is_late(nadia):
    now = timezone.now()
    Job.objects.create(
        name="watch", last_finished_at=now, last_outcome="ok", due_at=now + timedelta(minutes=15)
    )
    Job.objects.create(
        name="check-links",
        last_finished_at=now - timedelta(days=3),
        last_outcome="error",
        last_output="OSError: réseau indisponible",
        due_at=now - timedelta(days=2),
    )

    page = html(signed_in(nadia).get(DASHBOARD))

    robots = {
        item.css_first("h3").text(separator=" ").split(" (")[0].strip(): " ".join(
            item.text(separator=" ").split()
        )
        for item in page.css(".workspace-robot")
    }
    assert list(robots) == [
        "Veille des pages officielles",
        "Vérification des liens",
        "Lecture des documents",
        "Envoi des alertes",
    ]
    assert "réussie" in robots["Veille des pages officielles"]
    assert "en retard" not in robots["Veille des pages officielles"]
    assert "en retard" in robots["Vérification des liens"]
    assert "OSError: réseau indisponible" in robots["Vérification des liens"]
    assert "jamais lancé" in robots["Envoi des alertes"]


def test_recent_activity_names_who_changed_what_and_links_to_the_diff(nadia, remi):
    national = Resource.objects.filter(region__isnull=True).order_by("pk").first()
    change_resource_url(national, "https://esante.gouv.fr/nouvelle-adresse.pdf", nadia, "test")
    record = national.history.latest()

    page = html(signed_in(nadia).get(DASHBOARD))

    line = page.css_first(".workspace-activity")
    assert f"Nadia a modifié la ressource « {national.title} »" in " ".join(line.text().split())
    href = f"/gestion/ressources/{national.key}/historique/{record.history_id}/"
    assert line.css_first("a").attributes["href"] == href
    theirs = html(signed_in(remi).get(DASHBOARD)).css(".workspace-activity a")
    assert href not in [a.attributes["href"] for a in theirs]


@pytest.mark.parametrize("person", ["administrator", "nadia", "remi"])
def test_the_number_of_queries_does_not_grow_with_the_data(person, request, catalog):
    user = request.getfixturevalue(person)
    client = signed_in(user)
    occitanie = Region.objects.get(code="OCC")

    def grow(n: int, start: int) -> None:
        for i in range(start, start + n):
            resource = catalog.add(f"https://esante.gouv.fr/doc-{i}.pdf#page={i}")
            broken(resource.url)
            propose(f"https://occitanie.example.org/{i}.pdf", region=occitanie)
            propose(f"https://esante.gouv.fr/{i}.pdf", "version")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(DASHBOARD).status_code == 200
        return len(captured)

    grow(2, 0)
    small = queries()
    grow(20, 2)

    assert queries() == small


def test_the_greeting_names_the_editor_s_scope_in_plain_french(remi, nadia):
    remi.editor.regions.add(Region.objects.get(code="BRE"))

    regional = html(signed_in(remi).get(DASHBOARD)).css_first("main p").text()
    national = html(signed_in(nadia).get(DASHBOARD)).css_first("main p").text()

    assert regional == "Bonjour Rémi. Votre périmètre : les régions Bretagne et Occitanie."
    assert national == "Bonjour Nadia. Votre périmètre : le catalogue national."
