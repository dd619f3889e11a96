"""/gestion/liens/: honest before the first check, counts over time (accessible chart), by
host, the problems of the editor's scope, CSV, and a fix for each problem: accept the
redirect, replace the address, archive the resource, or mark the problem known."""

import csv
import io
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from sommaire.catalog.models import CatalogEvent, Region, Resource
from sommaire.jobs.models import Job
from sommaire.linkcheck.models import Link, RedirectAcceptance, Run
from sommaire.linkcheck.services import Outcome, apply_outcomes
from tests.personas import make_editor
from tests.public.html import parse
from tests.workspace.conftest import html, signed_in

PARIS = ZoneInfo("Europe/Paris")
MONDAY = datetime(2026, 11, 23, 3, 0, tzinfo=PARIS)
DASHBOARD = "/gestion/liens/"


@pytest.fixture
def nadia(nadia):
    """Nadia, of the national team, signed in: the test resources are national."""
    client = signed_in(nadia)
    client.user = nadia
    return client


@pytest.fixture
def reader(segur):
    """A signed-in account without a role in Sommaire."""
    return signed_in(get_user_model().objects.create_user("lecteur", password="x" * 16))


def outcome(url, status, **extra) -> Outcome:
    values = dict(
        url=url,
        status=status,
        http_status={"ok": 200, "redirected": 200, "broken": 404}.get(status),
        final_url=url,
        permanent=False,
        content_type="application/pdf",
        elapsed_ms=5,
        error={"broken": "HTTP 404", "timeout": "délai de réponse dépassé"}.get(status, ""),
        content_length=2048,
    )
    values.update(extra)
    return Outcome(**values)


def record(moment, *outcomes):
    run = Run.objects.create(started_at=moment)
    apply_outcomes(run, list(outcomes), moment)
    counts = {}
    for o in outcomes:
        counts[o.status] = counts.get(o.status, 0) + 1
    run.finish(Run.Outcome.DONE, counts)


@pytest.fixture
def history(catalog):
    """Two nightly runs over three resources: one moved for good, one gone, one fine."""
    moved = catalog.add("https://esante.gouv.fr/ancien.pdf#page=2")
    gone = catalog.add("https://industriels.esante.gouv.fr/disparu.pdf")
    fine = catalog.add("https://esante.gouv.fr/bon.pdf")
    new = "https://esante.gouv.fr/nouveau.pdf"
    for day in (0, 1):
        record(
            MONDAY + timedelta(days=day),
            outcome(
                "https://esante.gouv.fr/ancien.pdf", "redirected", final_url=new, permanent=True
            ),
            outcome(gone.url, "broken"),
            outcome(fine.url, "ok"),
        )
    return {"moved": moved, "gone": gone, "fine": fine, "new": new}


def test_anonymous_readers_sign_in_and_accounts_without_a_role_are_refused(reader, history):
    assert Client().get(DASHBOARD).status_code == 302
    assert reader.get(DASHBOARD).status_code == 403
    assert reader.get(DASHBOARD + "rapport.csv").status_code == 403


def test_before_the_first_check_it_says_so_and_when_the_next_one_is_due(nadia, catalog):
    Job.objects.create(name="check-links", due_at=datetime(2099, 1, 5, 3, 0, tzinfo=PARIS))

    page = html(nadia.get(DASHBOARD))

    callout = " ".join(page.css_first(".fr-callout").text().split())
    assert "Aucune vérification pour l’instant" in callout
    assert "La prochaine est prévue le 5 janvier 2099 à 03:00." in callout
    assert "Aucun problème" not in page.body.text()
    assert page.css("table") == []


def test_a_first_check_overdue_says_run_jobs_is_not_running(nadia, catalog):
    Job.objects.create(name="check-links", due_at=MONDAY)

    callout = " ".join(html(nadia.get(DASHBOARD)).css_first(".fr-callout").text().split())

    assert "Elle était prévue le 23 novembre 2026 à 03:00 et n’a pas eu lieu" in callout


def network_down(moment, urls: int = 3) -> Run:
    run = Run.objects.create(started_at=moment)
    run.finish(Run.Outcome.NETWORK_DOWN, {"unreachable": urls})
    return run


def test_a_first_check_that_found_the_network_down_verified_nothing(nadia, catalog):
    network_down(MONDAY)

    page = html(nadia.get(DASHBOARD))

    callout = " ".join(page.css_first(".fr-callout").text().split())
    assert "Aucune vérification pour l’instant" in callout
    assert "La tentative du 23 novembre 2026 à 03:00 n’a joint aucun site" in callout
    assert "ont répondu" not in page.body.text()


def test_a_check_that_found_the_network_down_is_named_above_the_last_good_states(nadia, history):
    network_down(MONDAY + timedelta(days=2))

    page = html(nadia.get(DASHBOARD))

    alert = " ".join(page.css_first("#reseau-indisponible").text().split())
    assert "Le 25 novembre 2026 à 03:00, le réseau de ce serveur était indisponible" in alert
    assert "ceux de la vérification du 24 novembre 2026 à 03:00" in alert


def test_the_chart_is_an_accessible_svg_with_its_data_table_beside(nadia, history):
    page = parse(nadia.get(DASHBOARD).content)

    svg = page.by_id("graphique-etats")
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "graphique-titre graphique-desc"
    assert page.by_id("graphique-titre").text()
    assert page.by_id("graphique-desc").text() == (
        "Nombre de liens par état pour les 2 dernières vérifications, du 23 novembre 2026 au "
        "24 novembre 2026. Dernière vérification : 1 accessible, 1 redirigé, 1 introuvable."
    )
    assert len(svg.find_all("rect")) == 6
    table = page.find_all("table")[0]
    rows = [
        [cell.text() for cell in row.find_all() if cell.tag in ("th", "td")]
        for row in table.find_all("tr")
    ]
    assert rows[0] == ["Vérification", "accessible", "redirigé", "introuvable"]
    assert [row[1:] for row in rows[1:]] == [["1", "1", "1"], ["1", "1", "1"]]


def test_the_svg_is_well_formed_xml(nadia, history):
    html = nadia.get(DASHBOARD).content.decode()
    svg = html[html.index("<svg id=") : html.index("</svg>", html.index("<svg id=")) + 6]

    root = ET.fromstring(svg)

    assert root.tag == "svg"


def test_counts_by_host_put_the_hosts_with_problems_first(nadia, history):
    page = parse(nadia.get(DASHBOARD).content)

    table = page.find_all("table")[1]
    hosts = [row.find("th").text() for row in table.find_all("tr")[1:]]
    assert hosts == ["industriels.esante.gouv.fr", "esante.gouv.fr"]


def problems(response) -> list:
    return html(response).css(".workspace-item")


def words(node) -> str:
    return " ".join(node.text(separator=" ").split())


def test_problems_list_the_last_error_its_date_and_the_resources(nadia, history):
    first, second = problems(nadia.get(DASHBOARD))

    assert first.css_first("h3").text() == history["gone"].url
    assert "introuvable, confirmé" in words(first)
    assert "Dernière erreur HTTP 404" in words(first)
    assert "Depuis 23 novembre 2026" in words(first)
    assert history["gone"].title in words(first)
    assert "Adopter la nouvelle adresse" in words(second)


def test_the_problems_shown_are_those_of_the_editor_s_scope(remi, history):
    occitanie = Region.objects.get(code="OCC")
    Resource.objects.filter(pk=history["gone"].pk).update(region=occitanie)

    shown = [item.css_first("h3").text() for item in problems(signed_in(remi).get(DASHBOARD))]

    assert shown == [history["gone"].url]


def test_replacing_the_address_keeps_it_in_the_history(nadia, history):
    gone = history["gone"]
    new = "https://industriels.esante.gouv.fr/nouveau.pdf"

    response = nadia.post(f"{DASHBOARD}ressource/{gone.pk}/remplacer/", {"url": new})

    assert response.status_code == 302
    resource = Resource.objects.get(pk=gone.pk)
    assert resource.url == new and resource.revision == gone.revision + 1
    last = resource.history.latest()
    assert (last.history_user, last.history_change_reason) == (nadia.user, "adresse remplacée")


def test_an_address_already_taken_is_refused_in_french(nadia, history):
    gone, fine = history["gone"], history["fine"]

    response = nadia.post(f"{DASHBOARD}ressource/{gone.pk}/remplacer/", {"url": fine.url})

    assert "Une autre ressource a déjà cette adresse." in response.content.decode()
    assert Resource.objects.get(pk=gone.pk).url == gone.url


def test_archiving_takes_the_resource_out_and_says_so_in_what_s_new(nadia, history):
    gone = history["gone"]

    nadia.post(f"{DASHBOARD}ressource/{gone.pk}/archiver/")

    assert Resource.objects.get(pk=gone.pk).status == Resource.Status.ARCHIVED
    assert CatalogEvent.objects.filter(resource=gone, kind="archived").exists()


def test_a_problem_marked_known_leaves_the_to_do_list_until_its_date(nadia, history):
    link = Link.objects.get(url=history["gone"].url)
    until = timezone.localdate() + timedelta(days=30)

    nadia.post(f"{DASHBOARD}{link.pk}/connu/", {"until": until.isoformat()})

    page = html(nadia.get(DASHBOARD))
    headings = [h.text() for h in page.css("h2")]
    assert "À traiter (1)" in headings and "Problèmes connus (1)" in headings
    link.refresh_from_db()
    assert (link.known_until, link.known_by) == (until, nadia.user)
    assert not link.is_known(today=until + timedelta(days=1))


def test_a_link_shared_with_a_resource_out_of_scope_cannot_be_changed_for_all(nadia, history):
    moved = history["moved"]
    Resource.objects.filter(pk=moved.pk).update(region=Region.objects.get(code="OCC"))
    link = Link.objects.get(url="https://esante.gouv.fr/ancien.pdf")

    assert nadia.post(f"{DASHBOARD}{link.pk}/accepter/").status_code == 403
    assert Resource.objects.get(pk=moved.pk).url == moved.url


def test_accepting_a_permanent_redirect_updates_the_resource_and_keeps_a_record(nadia, history):
    link = Link.objects.get(url="https://esante.gouv.fr/ancien.pdf")
    changed_before = history["moved"].changed_at

    response = nadia.post(f"{DASHBOARD}{link.pk}/accepter/", follow=True)

    resource = Resource.objects.get(pk=history["moved"].pk)
    assert resource.url == history["new"] + "#page=2"
    assert resource.changed_at > changed_before
    event = RedirectAcceptance.objects.get()
    assert (event.old_url, event.new_url, event.accepted_by) == (
        "https://esante.gouv.fr/ancien.pdf#page=2",
        history["new"] + "#page=2",
        nadia.user,
    )
    assert Link.objects.get(url=history["new"]).last_ok_at == MONDAY + timedelta(days=1)
    assert "Nouvelle adresse enregistrée pour 1 ressource(s)" in response.content.decode()


def test_accepting_needs_a_post_with_the_csrf_token(history, nadia):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(nadia.user)
    link = Link.objects.get(url="https://esante.gouv.fr/ancien.pdf")

    assert strict.get(f"{DASHBOARD}{link.pk}/accepter/").status_code == 405
    assert strict.post(f"{DASHBOARD}{link.pk}/accepter/").status_code == 403
    assert not RedirectAcceptance.objects.exists()


def test_a_regional_editor_cannot_move_a_national_resource_by_accepting_its_redirect(history):
    remi = Client()
    remi.force_login(make_editor("remi", "regional", "OCC"))
    link = Link.objects.get(url="https://esante.gouv.fr/ancien.pdf")
    assert history["moved"].region is None

    response = remi.post(f"{DASHBOARD}{link.pk}/accepter/")

    assert response.status_code == 403
    assert Resource.objects.get(pk=history["moved"].pk).url == history["moved"].url
    assert not RedirectAcceptance.objects.exists()


def test_an_accepted_address_is_kept_in_the_resources_history_under_the_editors_name(
    nadia, history
):
    link = Link.objects.get(url="https://esante.gouv.fr/ancien.pdf")

    nadia.post(f"{DASHBOARD}{link.pk}/accepter/")

    record = Resource.objects.get(pk=history["moved"].pk).history.first()
    assert (record.history_user, record.history_change_reason) == (
        nadia.user,
        "redirection permanente acceptée",
    )


def test_a_staff_account_without_a_role_is_refused(history):
    staff = Client()
    staff.force_login(get_user_model().objects.create_user("x", password="x" * 16, is_staff=True))
    link = Link.objects.get(url="https://esante.gouv.fr/ancien.pdf")

    assert staff.get(DASHBOARD).status_code == 403
    assert staff.post(f"{DASHBOARD}{link.pk}/accepter/").status_code == 403
    assert not RedirectAcceptance.objects.exists()


def test_a_link_that_did_not_move_for_good_cannot_be_accepted(nadia, history):
    link = Link.objects.get(url=history["gone"].url)

    response = nadia.post(f"{DASHBOARD}{link.pk}/accepter/", follow=True)

    assert "Redirection non acceptée" in response.content.decode()
    assert Resource.objects.get(pk=history["gone"].pk).url == history["gone"].url


def test_the_csv_report_has_one_row_per_link_with_its_resources(nadia, history):
    response = nadia.get(DASHBOARD + "rapport.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="liens-')
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_url = {row["url"]: row for row in rows}
    gone = by_url[history["gone"].url]
    assert (gone["status"], gone["confirmed_broken"], gone["resources"]) == (
        "broken",
        "oui",
        history["gone"].key,
    )
    assert by_url["https://esante.gouv.fr/ancien.pdf"]["final_url"] == history["new"]
