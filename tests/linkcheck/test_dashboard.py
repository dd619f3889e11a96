"""/gestion/liens/: counts over time (accessible chart), by host, problems, CSV, one-click fix."""

import csv
import io
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from sommaire.catalog.models import Resource
from sommaire.linkcheck.models import Link, RedirectAcceptance, Run
from sommaire.linkcheck.services import Outcome, apply_outcomes
from tests.personas import make_editor
from tests.public.html import parse

MONDAY = datetime(2026, 11, 23, 3, 0, tzinfo=ZoneInfo("Europe/Paris"))
DASHBOARD = "/gestion/liens/"


@pytest.fixture
def nadia(segur):
    """Nadia, of the national team."""
    user = make_editor("nadia", "national")
    client = Client()
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def reader(segur):
    """A signed-in account without staff rights."""
    user = get_user_model().objects.create_user("lecteur", password="x" * 16)
    client = Client()
    client.force_login(user)
    return client


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


def test_anonymous_readers_and_non_staff_accounts_are_sent_to_the_login(reader, history):
    assert Client().get(DASHBOARD).status_code == 302
    assert reader.get(DASHBOARD).status_code == 302
    assert reader.get(DASHBOARD + "rapport.csv").status_code == 302


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


def test_problems_list_the_last_error_its_date_and_the_resources(nadia, history):
    page = parse(nadia.get(DASHBOARD).content)

    rows = page.find_all("table")[2].find_all("tr")[1:]
    first = [cell.text() for cell in rows[0].find_all("td")]
    assert first[0] == history["gone"].url
    assert first[1] == "introuvable confirmé"
    assert first[2:5] == ["HTTP 404", "23 novembre 2026", history["gone"].title]
    assert "Adopter la nouvelle adresse" in rows[1].text()


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


def test_accepting_needs_a_post_with_the_csrf_token(history, segur):
    user = make_editor("remi", "regional", "OCC")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    link = Link.objects.get(url="https://esante.gouv.fr/ancien.pdf")

    assert strict.get(f"{DASHBOARD}{link.pk}/accepter/").status_code == 405
    assert strict.post(f"{DASHBOARD}{link.pk}/accepter/").status_code == 403
    assert not RedirectAcceptance.objects.exists()


def test_a_regional_editor_cannot_move_a_national_resource_by_accepting_its_redirect(history):
    remi = Client()
    remi.force_login(make_editor("remi", "regional", "OCC"))
    link = Link.objects.get(url="https://esante.gouv.fr/ancien.pdf")
    assert history["moved"].region is None

    response = remi.post(f"{DASHBOARD}{link.pk}/accepter/", follow=True)

    assert "hors de votre périmètre" in response.content.decode()
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


def test_a_staff_account_without_a_role_is_sent_to_the_login(history):
    staff = Client()
    staff.force_login(get_user_model().objects.create_user("x", password="x" * 16, is_staff=True))
    link = Link.objects.get(url="https://esante.gouv.fr/ancien.pdf")

    assert staff.get(DASHBOARD).status_code == 302
    assert staff.post(f"{DASHBOARD}{link.pk}/accepter/").status_code == 302
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
