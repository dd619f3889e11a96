"""« Signaler un lien cassé »: no account, an optional comment, throttled; the
editors count the report and the link is checked at once (against a local server)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sommaire.linkcheck.models import Link, LinkReport
from sommaire.linkcheck.services import REPORTS_PER_HOUR, open_reports
from tests.public.html import parse


def report(client, resource, comment="", **extra):
    return client.post(f"/ressource/{resource.key}/signaler/", {"comment": comment}, **extra)


def test_the_resource_page_links_to_the_report_form(client, catalog, hostile):
    resource = catalog.add(hostile.url("/doc.pdf"))

    page = parse(client.get(resource.get_absolute_url()).content)

    assert page.link_to(f"/ressource/{resource.key}/signaler/").text() == "Signaler un lien cassé"


def test_the_form_needs_no_account_and_its_one_field_is_optional(client, catalog, hostile):
    resource = catalog.add(hostile.url("/doc.pdf"))

    form = parse(client.get(f"/ressource/{resource.key}/signaler/").content).find(
        "form", method="post"
    )

    assert [f.get("name") for f in form.find_all("textarea")] == ["comment"]
    assert report(client, resource).status_code == 200
    assert LinkReport.objects.get().comment == ""


def test_a_report_reaches_the_editors_and_checks_the_link_at_once(client, catalog, hostile):
    resource = catalog.add(hostile.url("/missing.pdf"))

    response = report(client, resource, "Page introuvable")

    page = parse(response.content)
    assert page.by_id("signalement-envoye")
    assert "il ne répond pas correctement (introuvable)" in page.by_id("verification").text()
    assert hostile.count("/missing.pdf") >= 1
    assert Link.objects.get(url=resource.url).status == "broken"
    assert [r.comment for r in open_reports()] == ["Page introuvable"]
    assert open_reports().get().status_after == "broken"


def test_a_working_link_is_said_to_answer(client, catalog, hostile):
    resource = catalog.add(hostile.url("/doc.pdf"))

    page = parse(report(client, resource).content)

    assert (
        page.by_id("verification")
        .text()
        .startswith("Nous avons vérifié le lien à l’instant : il répond.")
    )


def test_a_link_checked_minutes_ago_is_not_fetched_again(client, catalog, hostile):
    resource = catalog.add(hostile.url("/doc.pdf"))
    report(client, resource, REMOTE_ADDR="127.0.0.2")
    hostile.reset_counts()

    report(client, resource, REMOTE_ADDR="127.0.0.3")

    assert hostile.count("/doc.pdf") == 0
    assert open_reports().count() == 2


def test_the_same_reader_reporting_twice_makes_one_report(client, catalog, hostile):
    resource = catalog.add(hostile.url("/doc.pdf"))

    report(client, resource)
    report(client, resource)

    assert LinkReport.objects.count() == 1


def test_it_throttles_a_reader_who_reports_too_much(client, catalog, hostile):
    resources = [catalog.add(hostile.url(f"/doc.pdf?n={n}")) for n in range(REPORTS_PER_HOUR + 1)]
    for resource in resources[:-1]:
        assert report(client, resource).status_code == 200

    response = report(client, resources[-1], "Mon commentaire")

    page = parse(response.content)
    assert "réessayez plus tard" in page.find("div", class_="fr-alert--error").text()
    assert page.find("textarea").text() == "Mon commentaire"
    assert LinkReport.objects.count() == REPORTS_PER_HOUR


def test_the_reader_s_address_is_not_stored(client, catalog, hostile):
    resource = catalog.add(hostile.url("/doc.pdf"))

    report(client, resource, REMOTE_ADDR="127.0.0.9")

    stored = LinkReport.objects.get()
    assert "127.0.0.9" not in stored.reporter and len(stored.reporter) == 64


def test_a_closed_report_is_no_longer_open(client, catalog, hostile):
    resource = catalog.add(hostile.url("/doc.pdf"))
    report(client, resource)

    LinkReport.objects.get().close(timezone.now() + timedelta(minutes=1))

    assert not open_reports().exists()


def test_an_unknown_resource_is_a_404(client, catalog):
    assert client.get("/ressource/inconnue/signaler/").status_code == 404


@pytest.mark.parametrize("comment", ["x" * 501])
def test_a_comment_too_long_says_what_to_fix_and_keeps_it(client, catalog, hostile, comment):
    resource = catalog.add(hostile.url("/doc.pdf"))

    page = parse(report(client, resource, comment).content)

    assert "500" in page.find("p", class_="fr-error-text").text()
    assert not LinkReport.objects.exists()
