"""The glossary: every term at its anchor, alphabetical, with a letter index."""

import pytest

from sommaire.catalog.models import GlossaryTerm
from sommaire.public.listing import sort_key
from tests.public.html import page

pytestmark = pytest.mark.django_db


@pytest.fixture
def glossary(client, segur):
    return page(client, "/glossaire/")


def test_it_is_titled_glossaire_with_a_breadcrumb_and_a_back_link(glossary):
    assert glossary.find("title").text() == "Glossaire — Sommaire Ségur numérique"
    assert glossary.find("main").find("h1").text() == "Glossaire"
    crumbs = glossary.find("nav", class_="fr-breadcrumb").links()
    assert [a.text() for a in crumbs] == ["Accueil", "Glossaire"]
    back = glossary.find("main").find("a", class_="fr-icon-arrow-left-line")
    assert (back.text(), back.get("href")) == ("Retour au sommaire", "/")


def test_every_term_has_its_anchor_its_expansion_and_its_definition(glossary):
    terms = list(GlossaryTerm.objects.all())
    assert len(terms) > 40
    for term in terms:
        entry = glossary.by_id(term.anchor)
        assert entry.find("dt").text() == term.term
        assert entry.find("dd").text() == term.expansion
        if term.definition:
            assert " ".join(term.definition.split()) in entry.text()


def test_the_terms_are_in_alphabetical_order_whatever_the_case(glossary):
    shown = [dt.text() for dt in glossary.find("main").find_all("dt")]
    assert shown == sorted(shown, key=lambda t: (sort_key(t), t))
    assert shown.index("e-CPS") < shown.index("EHPAD") < shown.index("ES")
    assert shown.index("INS") < shown.index("INSi")


def test_the_letter_index_leads_to_each_letter(glossary):
    index = glossary.find("nav", **{"aria-label": "Index alphabétique"}).links()
    letters = [a.text() for a in index]
    assert letters[:4] == ["A", "B", "C", "D"]
    for link in index:
        target = glossary.by_id(link.get("href").removeprefix("#"))
        assert target.text() == link.text()
        section = target.parent
        first_term = section.find("dt").text()
        assert sort_key(first_term)[0].upper() == link.text()


def test_the_definitions_link_their_acronyms_to_entries_of_the_page(glossary):
    anchors = {t.anchor for t in GlossaryTerm.objects.all()}
    links = glossary.find("main").find_all("a", class_="sommaire-acronym")
    assert links
    for link in links:
        assert link.get("href").removeprefix("/glossaire/#") in anchors


def test_it_costs_a_constant_number_of_queries(client, segur, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        assert client.get("/glossaire/").status_code == 200


def test_a_term_that_names_a_section_links_to_it(client, segur):
    document = page(client, "/glossaire/")

    assert document.by_id("terme-ins").link_to("/ins/").text() == "La rubrique « INS »"
    assert not document.by_id("terme-af").find_all("a", class_="fr-link")


def test_an_english_expansion_says_its_language(client, segur):
    document = page(client, "/glossaire/")

    loinc = document.by_id("terme-loinc").find("dd", class_="sommaire-term__expansion")
    assert loinc.get("lang") == "en"
    ins = document.by_id("terme-ins").find("dd", class_="sommaire-term__expansion")
    assert ins.get("lang") is None
