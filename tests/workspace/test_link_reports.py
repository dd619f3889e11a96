"""Readers' reports on /gestion/liens/: each editor sees and closes those of their scope."""

import pytest
from django.test import Client

from sommaire.catalog.models import Region
from sommaire.linkcheck.models import LinkReport
from sommaire.linkcheck.services import open_reports
from tests.public.html import parse

DASHBOARD = "/gestion/liens/"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def reports(catalog):
    """One report on a national resource, one on an Occitanie resource (no fetch: mailto)."""
    national = catalog.add("mailto:national@exemple.invalid")
    regional = catalog.add("mailto:occitanie@exemple.invalid")
    regional.region = Region.objects.get(code="OCC")
    regional.save(update_fields=["region"])
    return {
        "national": LinkReport.objects.create(resource=national, url=national.url, comment="A"),
        "regional": LinkReport.objects.create(resource=regional, url=regional.url, comment="B"),
    }


def listed(client) -> list[str]:
    page = parse(client.get(DASHBOARD).content)
    assert page.by_id("signalements")
    return [c.text() for c in page.find_all("span", class_="workspace-report-comment")]


def test_a_national_editor_sees_the_reports_of_national_resources(nadia, reports):
    assert listed(signed_in(nadia)) == ["A"]


def test_a_regional_editor_sees_the_reports_of_their_region(remi, reports):
    assert listed(signed_in(remi)) == ["B"]


def test_an_editor_marks_a_report_dealt_with(remi, reports):
    client = signed_in(remi)

    response = client.post(f"/gestion/liens/signalements/{reports['regional'].pk}/traite/")

    assert response.status_code == 302
    assert list(open_reports()) == [reports["national"]]


def test_it_refuses_a_regional_editor_closing_a_report_outside_their_region(remi, reports):
    client = signed_in(remi)

    response = client.post(f"/gestion/liens/signalements/{reports['national'].pk}/traite/")

    assert response.status_code == 403
    assert reports["national"] in open_reports()


def test_closing_needs_a_post(nadia, reports):
    response = signed_in(nadia).get(f"/gestion/liens/signalements/{reports['national'].pk}/traite/")

    assert response.status_code == 405
