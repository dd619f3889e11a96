"""The home page: the whole sommaire, section by section, with counts."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from sommaire.catalog.models import CatalogState, PackInfo, Resource, Section
from tests.public.facts import (
    count_phrase,
    listed_sections,
    placements_in,
    resource_count,
    section_url,
)
from tests.public.html import page

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(client, segur):
    return page(client, "/")


def main(document):
    return document.find("main")


def test_it_is_titled_and_in_french(home):
    assert home.find("html").get("lang") == "fr"
    assert home.find("title").text() == "Accueil — Sommaire Ségur numérique"
    assert main(home).find("h1").text() == "Ségur du numérique en santé"


def test_it_has_the_dsfr_header_with_the_service_title_and_the_top_sections(home):
    header = home.find("header", class_="fr-header")
    assert "République Française" in header.find("p", class_="fr-logo").text()
    assert (
        header.find("p", class_="fr-header__service-title").text() == "Sommaire du Ségur numérique"
    )
    nav = header.find("nav", id="navigation-principale")
    assert [a.text() for a in nav.links()] == [
        "Référencement SONS",
        "Financement SONS",
        "Documentation par cible",
        "Programme SUN-ES",
        "Services socles",
        "Glossaire",
    ]


def test_it_has_skip_links_to_targets_that_exist(home):
    skiplinks = home.find("div", class_="fr-skiplinks").links()
    assert [a.text() for a in skiplinks] == ["Contenu", "Menu", "Pied de page"]
    for link in skiplinks:
        assert home.find_all(id=link.get("href").removeprefix("#")), link.get("href")


def test_it_has_no_breadcrumb(home):
    assert home.find_all("nav", class_="fr-breadcrumb") == []


def test_it_lists_every_section_of_the_pack_in_order(home):
    wanted = [section_url(s) for s in listed_sections()]
    seen = []
    for link in main(home).links():
        if link.get("href") in wanted and link.get("href") not in seen:
            seen.append(link.get("href"))
    assert seen == wanted
    assert len(wanted) == 16


def test_it_shows_each_section_with_its_count_of_resources(home):
    for section in listed_sections():
        link = main(home).link_to(section_url(section))
        holder = next(a for a in link.ancestors() if "ressource" in a.text())
        assert count_phrase(resource_count(section)) in holder.text(), section.slug


def test_a_parent_counts_the_distinct_resources_of_its_children(segur):
    parent = Section.objects.get(slug="documentation-par-cible")
    children = [resource_count(c) for c in parent.children.all()]
    # The ANAP project-lead toolkit stands in all six couloirs: counted once.
    assert resource_count(parent) < sum(children)


def test_it_groups_the_top_sections_under_the_home_headings(home):
    headings = [h.text() for h in main(home).find_all("h2")]
    assert headings[:3] == [
        "Financement à l’équipement",
        "Financement à l’usage",
        "Services socles",
    ]
    for heading in main(home).find_all("section", class_="sommaire-heading"):
        title = heading.find("h2").text()
        hrefs = {a.get("href") for a in heading.links()}
        for section in Section.objects.filter(heading=title, parent=None):
            assert section_url(section) in hrefs


def test_it_lists_children_under_their_parent(home):
    for slug in ("documentation-par-cible", "services-socles"):
        parent = Section.objects.get(slug=slug)
        block = next(
            b
            for b in main(home).find_all("div", class_="sommaire-parent")
            if b.find_all("a", href=section_url(parent))
        )
        hrefs = [a.get("href") for a in block.find("ul").links()]
        assert hrefs == [section_url(c) for c in parent.children.order_by("order")]
    assert "Hôpital" in main(home).find("div", class_="sommaire-parent").text()


def test_it_shows_the_home_introduction_and_the_home_resources(home):
    home_section = Section.objects.get(is_home=True)
    text = main(home).text()
    for paragraph in home_section.intro_paragraphs():
        assert " ".join(paragraph.split()) in text
    placements = placements_in(home_section)
    assert {p.resource.title for p in placements} >= {
        "Présentation du programme Ségur du numérique en santé",
        "Comprendre le Ségur",
    }
    for placement in placements:
        resource = placement.resource
        assert main(home).link_to(resource.url)
        assert main(home).link_to(f"/ressource/{resource.key}/")


def test_it_links_to_the_glossary(home):
    assert (
        main(home).find("a", href="/glossaire/", class_="fr-btn").text() == "Consulter le glossaire"
    )


def test_it_has_the_mandatory_footer_links(home):
    footer = home.find("footer", class_="fr-footer")
    links = {a.text(): a.get("href") for a in footer.links()}
    assert links["Accessibilité : non conforme"] == "/accessibilite/"
    assert links["Mentions légales"] == "/mentions-legales/"
    assert links["Données personnelles et cookies"] == "/donnees-personnelles/"
    assert links["Plan du site"] == "/plan-du-site/"


def test_it_marks_acronyms_and_never_nests_a_link_in_a_link(home):
    abbrs = {a.text(): a.get("title") for a in main(home).find_all("abbr")}
    assert abbrs["SONS"] == "Système Ouvert et Non Sélectif (financement à l’équipement)"
    for link in home.links():
        assert not any(a.tag == "a" for a in link.ancestors()), link


def test_it_obeys_the_content_security_policy_and_loads_only_our_files(home):
    for element in home.iter():
        assert "style" not in element.attrs, element
        assert element.tag != "style"
        if element.tag == "script":
            assert element.get("src", "").startswith("/static/"), element
        if element.tag in ("link", "img") and element.get("rel") != "manifest":
            url = element.get("href") or element.get("src")
            assert url.startswith("/static/"), element


def test_it_costs_a_constant_number_of_queries(client, segur, django_assert_max_num_queries):
    with django_assert_max_num_queries(9):
        assert client.get("/").status_code == 200


def test_it_renders_without_a_pack_description_or_a_home_section(client, segur):
    PackInfo.objects.all().delete()
    Section.objects.filter(is_home=True).update(is_home=False)
    document = page(client, "/")
    assert document.find("main").find("h1").text() == "Sommaire"
    assert "Financement à l’équipement" in [h2.text() for h2 in document.find_all("h2")]


def test_it_points_to_the_fiches_pratiques_and_modes_d_emploi_of_each_couloir(client, segur):
    document = page(client, "/")

    fiches = document.by_id("par-couloir-1").parent
    assert fiches.find("h2").text() == "Les fiches pratiques par couloir"
    couloirs = [a.text().split(" – ")[0] for a in fiches.find_all("a")]
    assert couloirs == [
        "Hôpital",
        "Médecine de ville",
        "Biologie médicale",
        "Radiologie / Imagerie",
        "Officine",
        "Médico-social",
    ]
    modes = document.by_id("par-couloir-2").parent
    assert modes.find("h2").text() == "Les modes d’emploi par couloir"
    assert "Hôpital" in modes.find("a").text()


def test_it_says_when_the_sommaire_was_last_updated(client, segur):
    Resource.objects.filter(key="hop-dpi-dsr-va1").update(
        changed_at=datetime(2030, 3, 4, 10, tzinfo=ZoneInfo("Europe/Paris"))
    )
    CatalogState.bump()

    updated = page(client, "/").by_id("mise-a-jour")

    assert updated.text() == "Dernière mise à jour du sommaire : 4 mars 2030"
    assert updated.find("time").get("datetime") == "2030-03-04"
