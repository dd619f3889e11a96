"""robots.txt, sitemap.xml and favicon.ico: what search engines and browsers ask first."""

import xml.etree.ElementTree as ET

from django.contrib.staticfiles import finders

from sommaire.catalog.models import Resource, Section

SITE = "https://sommaire.esante.example"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap(client) -> dict[str, str | None]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    return {
        url.findtext("s:loc", namespaces=NS): url.findtext("s:lastmod", namespaces=NS)
        for url in root.findall("s:url", NS)
    }


def test_robots_keeps_crawlers_out_of_results_and_back_office_and_names_the_sitemap(
    client, settings
):
    settings.SITE_URL = SITE

    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    for path in ("/gestion/", "/recherche/", "/api/"):
        assert f"Disallow: {path}" in lines
    assert f"Sitemap: {SITE}/sitemap.xml" in lines


def test_the_sitemap_lists_every_page_a_reader_should_land_on(client, segur, settings):
    settings.SITE_URL = SITE
    archived = Resource.objects.order_by("pk").first()
    archived.status = Resource.Status.ARCHIVED
    archived.save()

    urls = sitemap(client)

    paths = {loc.removeprefix(SITE) for loc in urls}
    assert all(loc.startswith(SITE + "/") for loc in urls)
    assert "/" in paths and "/glossaire/" in paths and "/regions/occ/" in paths
    for section in Section.objects.all():
        assert section.get_absolute_url() in paths
    active = Resource.objects.active()
    for resource in active:
        assert urls[SITE + resource.get_absolute_url()] == resource.changed_at.date().isoformat()
    assert archived.get_absolute_url() not in paths
    assert not any(path.startswith(("/recherche/", "/gestion/", "/api/")) for path in paths)


def test_every_address_of_the_sitemap_answers(client, segur, settings):
    settings.SITE_URL = SITE

    answers = {loc: client.get(loc.removeprefix(SITE)).status_code for loc in sitemap(client)}

    assert {loc: code for loc, code in answers.items() if code != 200} == {}
    assert len(answers) > Resource.objects.count()


def test_the_favicon_is_the_dsfr_one(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"].endswith("/dsfr/dist/favicon/favicon.ico")
    assert finders.find("dsfr/dist/favicon/favicon.ico")
