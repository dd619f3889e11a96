"""/gestion/ressources/: the whole catalog as the sommaire's tree, for every editor.

Every editor reads every resource, national and regional, archived or not;
each sees which ones they may change and where to add one of their own.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from sommaire.catalog.models import Placement, Region, Resource, Section
from tests.workspace.conftest import signed_in

PAGE = "/gestion/ressources/"
DPI = "Dossier Patient Informatisé (DPI)"


@pytest.fixture
def breton_resource(chloe):
    resource = Resource.objects.filter(region=None, placements__section__slug="hopital").first()
    resource.region = Region.objects.get(code="BRE")
    resource.save()
    return resource


def page_of(user, params=None) -> HTMLParser:
    response = signed_in(user).get(PAGE, params or {})
    assert response.status_code == 200
    return HTMLParser(response.content.decode())


def item(html: HTMLParser, resource: Resource):
    return html.css_first(f"li[id^='ressource-{resource.key}-']")


def test_a_regional_editor_reads_the_national_sommaire_and_other_regions(remi, breton_resource):
    html = page_of(remi)

    national = Resource.objects.filter(region=None).first()
    assert item(html, national) is not None
    assert "Lecture seule" in item(html, national).text()
    assert "Bretagne" in item(html, breton_resource).text()
    assert "Lecture seule" in item(html, breton_resource).text()


def test_every_resource_of_the_catalog_is_in_the_tree(nadia):
    html = page_of(nadia)

    keys = {node.css_first("a").attributes["href"] for node in html.css("li.workspace-resource")}
    placed = Resource.objects.filter(placements__isnull=False).distinct()
    assert keys == {f"/gestion/ressources/{r.key}/" for r in placed}


def test_a_regional_editor_may_change_the_resources_of_their_region_only(
    remi, chloe, breton_resource
):
    assert "Lecture seule" not in item(page_of(chloe), breton_resource).text()
    assert "Lecture seule" in item(page_of(remi), breton_resource).text()


def test_each_group_offers_to_add_a_resource_for_my_region_there(remi):
    html = page_of(remi)

    hopital = html.css_first("#section-hopital").parent
    links = [a for a in hopital.css("a") if "Ajouter une ressource pour ma région ici" in a.text()]
    targets = [parse_qs(urlsplit(a.attributes["href"]).query) for a in links]
    assert {"section": ["hopital"], "group": [DPI]} in targets
    dpi = next(a for a in links if DPI in a.text())
    assert "Hôpital" in dpi.text()  # the screen-reader text names where


def test_a_section_narrows_the_tree_to_it_and_below(nadia):
    html = page_of(nadia, {"section": "documentation-par-cible"})

    titles = [h.attributes["id"] for h in html.css("section.workspace-branch > [id^=section-]")]
    assert titles[0] == "section-documentation-par-cible"
    assert "section-hopital" in titles
    assert "section-ins" not in titles
    assert "dans « Documentation par cible »" in html.css_first("#nombre-de-ressources").text()


def test_the_site_filters_narrow_the_tree_and_keep_the_section(remi, breton_resource):
    html = page_of(remi, {"region": "BRE", "section": "documentation-par-cible"})

    items = html.css("li.workspace-resource")
    assert [i.css_first("a").text() for i in items] == [breton_resource.title]
    region_facet = html.css_first("[data-facet=region]")
    assert region_facet is not None
    for link in region_facet.css("a"):
        assert "section=documentation-par-cible" in link.attributes["href"]


def test_a_search_finds_regional_and_archived_resources_alike(nadia, breton_resource):
    breton_resource.status = Resource.Status.ARCHIVED
    breton_resource.save()

    response = signed_in(nadia).get(PAGE, {"q": breton_resource.title})

    html = HTMLParser(response.content.decode())
    found = html.css_first(f"#ressource-{breton_resource.key}")
    assert found is not None
    assert "Archivée" in found.text()
    assert "Lecture seule" in found.text()  # Bretagne's: not Nadia's


def test_a_reader_is_sent_to_the_sign_in_page(segur):
    response = signed_in(None).get(PAGE)

    assert response.status_code == 302
    assert response["Location"].startswith("/gestion/connexion/")


def test_the_filters_count_the_resources_of_the_section_shown(nadia):
    html = page_of(nadia, {"section": "hopital"})

    pdf = html.css_first("[data-facet=format] a[data-value=pdf]")
    in_hopital = Resource.objects.filter(placements__section__slug="hopital", format__slug="pdf")
    assert pdf.css_first(".sommaire-facet__count").text() == f"({in_hopital.count()})"


def test_the_tree_costs_the_same_queries_whatever_the_number_of_resources(remi):
    client = signed_in(remi)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(PAGE).status_code == 200
        return len(captured.captured_queries)

    before = queries()
    model = Resource.objects.filter(region=None).first()
    hopital = Section.objects.get(slug="hopital")
    for number, region in enumerate(Region.objects.all()[:10]):
        added = Resource.objects.create(
            key=f"ajout-{number}",
            title=f"Ajout {number}",
            url=f"https://example.org/ajout-{number}",
            kind=model.kind,
            format=model.format,
            publisher=model.publisher,
            region=region,
        )
        Placement.objects.create(resource=added, section=hopital, order=100 + number)

    assert queries() == before


def test_a_regional_editor_narrows_the_tree_to_their_region_in_one_click(remi, breton_resource):
    occitan = Resource.objects.filter(region=None, placements__isnull=False).last()
    occitan.region = Region.objects.get(code="OCC")
    occitan.save()
    html = page_of(remi)
    (mine,) = [a for a in html.css("a") if "ressources de la région Occitanie" in a.text()]

    narrowed = page_of(remi, parse_qs(urlsplit(mine.attributes["href"]).query))

    regions = {n.text() for n in narrowed.css("li.workspace-resource .fr-badge--brown-caramel")}
    assert regions == {"Région : Occitanie"}
    assert item(narrowed, occitan) is not None
    assert narrowed.css_first(f"li[id^='ressource-{breton_resource.key}-']") is None


def test_a_tree_too_long_for_one_page_shows_its_first_resources_and_asks_to_narrow(
    nadia, monkeypatch
):
    from sommaire.workspace import resource_tree

    monkeypatch.setattr(resource_tree, "TREE_LIMIT", 10)

    whole = page_of(nadia)
    status = whole.css_first("#nombre-de-ressources").text()
    placed = Resource.objects.filter(placements__isnull=False).distinct()
    assert f"{placed.count()} ressources" in status
    assert "Seules les premières sont affichées" in status
    shown = whole.css("li.workspace-resource")
    assert len(shown) == 10
    home = Section.objects.get(is_home=True)
    first = Placement.objects.filter(section=home).order_by("order", "pk").first()
    assert shown[0].css_first("a").attributes["href"].endswith(f"/{first.resource.key}/")
