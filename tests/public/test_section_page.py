"""A section page: its introduction, its resources by group, its children."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sommaire.catalog.models import (
    CatalogState,
    Format,
    Kind,
    Placement,
    Publisher,
    Resource,
    Section,
)
from sommaire.edition.build import cached_pdf
from sommaire.edition.content import Scope
from sommaire.linkcheck.services import human_size
from tests.public.facts import count_phrase, pack_section_slugs, placements_in, resource_count
from tests.public.html import page, parse

pytestmark = pytest.mark.django_db

DPI_DSR = "https://esante.gouv.fr/sites/default/files/media_entity/documents/DSR-HOP-DPI-Va1.pdf"


@pytest.fixture
def hopital(client, segur):
    return page(client, "/hopital/")


def resource_items(document):
    return document.find("main").find_all("li", class_="sommaire-resource")


def test_the_hopital_page_links_the_dpi_dsr(hopital):
    link = hopital.find("main").link_to(DPI_DSR)
    assert link.text().startswith("DSR — DPI, vague 1")
    assert link.find("abbr").text() == "DSR"


def test_it_is_titled_after_the_section(hopital):
    assert hopital.find("title").text() == "Hôpital — Sommaire Ségur numérique"
    assert hopital.find("main").find("h1").text() == "Hôpital"


def test_it_shows_the_introduction_paragraphs(hopital):
    section = Section.objects.get(slug="hopital")
    paragraphs = [p.text() for p in hopital.find("main").find_all("p")]
    for paragraph in section.intro_paragraphs():
        assert " ".join(paragraph.split()) in paragraphs


def test_it_lists_the_resources_by_group_in_placement_order(hopital):
    expected: dict[str, list[str]] = {}
    for placement in placements_in(Section.objects.get(slug="hopital")):
        expected.setdefault(placement.group, []).append(placement.resource.url)
    shown = {}
    for group in hopital.find("main").find_all("section", class_="sommaire-group"):
        title = group.find("h2").text()
        items = group.find_all("li", class_="sommaire-resource")
        shown[title] = [item.find("a").get("href") for item in items]
    assert list(shown) == list(expected)
    assert shown == expected
    assert "Dossier Patient Informatisé (DPI)" in shown


def test_each_resource_shows_its_kind_and_publisher_and_its_own_page(hopital):
    item = hopital.find("li", id="ressource-hop-dpi-dsr-va1")
    badges = [b.text() for b in item.find_all("p", class_="fr-badge")]
    assert badges == ["Type : DSR", "Éditeur : ANS"]  # the format is in the link's detail
    more = item.find("a", href="/ressource/hop-dpi-dsr-va1/")
    assert more.text() == "Fiche de la ressource « DSR — DPI, vague 1 »"


def detail(document, href: str) -> str:
    """What describes a link (aria-describedby): its format, site and state."""
    return document.by_id(document.link_to(href).get("aria-describedby")).text()


def test_a_link_to_a_file_says_it_is_a_file_its_format_its_site_and_its_state(hopital):
    assert detail(hopital, DPI_DSR) == "Fichier PDF – esante.gouv.fr – pas encore vérifié"
    rem = "https://esante.gouv.fr/sites/default/files/media_entity/documents/REM-HOP-DPI-Va1.xlsx"
    assert detail(hopital, rem).startswith("Fichier XLSX – esante.gouv.fr")
    arrete = "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000043934117"
    assert detail(hopital, arrete).startswith("Page web – legifrance.gouv.fr")


def test_the_title_heading_holds_the_title_only(hopital):
    heading = hopital.link_to(DPI_DSR).parent
    assert heading.tag == "h3"
    assert heading.text() == "DSR — DPI, vague 1"


def test_resource_links_open_in_the_same_window(hopital):
    for item in resource_items(hopital):
        assert item.find("a").get("target") is None


def test_descriptions_link_their_acronyms_to_the_glossary(hopital):
    links = [a for a in hopital.find("main").find_all("a", class_="sommaire-acronym")]
    assert {a.get("href") for a in links} >= {"/glossaire/#terme-dpi", "/glossaire/#terme-ri"}
    for link in hopital.links():
        assert not any(a.tag == "a" for a in link.ancestors()), link


def test_it_has_a_breadcrumb_through_its_ancestors(hopital):
    crumbs = hopital.find("nav", class_="fr-breadcrumb").links()
    assert [(a.text(), a.get("href")) for a in crumbs] == [
        ("Accueil", "/"),
        ("Documentation par cible", "/documentation-par-cible/"),
        ("Hôpital", None),
    ]
    assert crumbs[-1].get("aria-current") == "page"


def test_the_main_navigation_marks_the_current_top_section(hopital):
    nav = hopital.find("nav", id="navigation-principale")
    assert nav.find("a", href="/documentation-par-cible/").get("aria-current") == "true"


@pytest.mark.parametrize("slug", pack_section_slugs())
def test_every_section_renders_with_a_back_link_to_the_sommaire(client, segur, slug):
    section = Section.objects.get(slug=slug)
    document = page(client, f"/{slug}/")
    back = [a for a in document.find("main").links() if a.text() == "Retour au sommaire"]
    assert back and all(a.get("href") == "/" for a in back)
    assert "fr-icon-arrow-left-line" in back[0].classes
    assert len(resource_items(document)) == len(placements_in(section))


def test_a_parent_lists_its_children_with_their_counts(client, segur):
    document = page(client, "/documentation-par-cible/")
    parent = Section.objects.get(slug="documentation-par-cible")
    tiles = document.find("section", class_=None, **{"aria-labelledby": "rubriques"})
    for child in parent.children.all():
        tile = tiles.link_to(f"/{child.slug}/")
        holder = next(a for a in tile.ancestors() if "fr-tile" in a.classes)
        assert count_phrase(resource_count(child)) in holder.text()


def test_the_home_slug_redirects_to_the_home_page(client, segur):
    response = client.get("/sommaire/")
    assert response.status_code == 302 and response["Location"] == "/"


def test_the_glossary_slug_is_the_glossary_page(client, segur):
    assert client.get("/glossaire/").status_code == 200


def test_an_unknown_section_is_a_dsfr_404(client, segur):
    response = client.get("/pas-une-section/")
    assert response.status_code == 404
    document = parse(response.content)
    assert document.find("h1").text() == "Page non trouvée"
    assert document.find("title").text() == "Page non trouvée — Sommaire Ségur numérique"
    assert document.find("a", href="/", class_="fr-btn").text() == "Retour au sommaire"


def test_an_archived_resource_is_not_listed(client, segur):
    Resource.objects.filter(key="hop-dpi-dsr-va1").update(status="archived")
    CatalogState.bump()
    assert page(client, "/hopital/").find_all("a", href=DPI_DSR) == []


def test_it_escapes_what_editors_write(client, segur):
    section = Section.objects.get(slug="hopital")
    resource = Resource.objects.create(
        key="piege",
        title='<script>alert("titre")</script> & DPI',
        url="https://example.org/piege.pdf",
        kind=Kind.objects.get(slug="guide"),
        format=Format.objects.get(slug="pdf"),
        publisher=Publisher.objects.get(slug="ans"),
        description="<img src=x onerror=alert(1)> R&D",
    )
    Placement.objects.create(resource=resource, section=section, group="<b>Groupe</b>", order=99)
    response = client.get("/hopital/")
    html = response.content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>Groupe" not in html
    item = parse(html).find("li", id="ressource-piege")
    assert item.find("a").text().startswith('<script>alert("titre")</script> & DPI')
    assert "<img src=x onerror=alert(1)> R&D" in item.text()


def test_it_costs_a_constant_number_of_queries(client, segur, django_assert_max_num_queries):
    for slug in ("hopital", "documentation-par-cible", "ins"):
        # Six for the page itself, one for its deadlines, one for its national contacts.
        with django_assert_max_num_queries(8):
            assert client.get(f"/{slug}/").status_code == 200


def test_the_number_of_queries_does_not_grow_with_the_resources(client, segur):
    def queries(path):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    assert len(placements_in(Section.objects.get(slug="hopital"))) > 20
    client.get("/")  # compiles the glossary, once for all pages
    assert queries("/hopital/") == queries("/financement-sons/")


def test_it_offers_its_pdf_with_its_size_once_built(client, segur):
    link = page(client, "/hopital/").find("p", class_="sommaire-download").find("a")
    assert link.get("href") == "/hopital.pdf"
    assert link.text() == "Télécharger cette rubrique (PDF)"

    size = len(cached_pdf(Scope(sections=("hopital",))))
    CatalogState.bump()  # a new catalog generation: the page and the PDF are built again
    cached_pdf(Scope(sections=("hopital",)))

    link = page(client, "/hopital/").find("p", class_="sommaire-download").find("a")
    assert link.text() == f"Télécharger cette rubrique (PDF, {human_size(size)})"
    assert "Ko" in link.text()
