"""`annotate`: glossary acronyms as <abbr>, linked to the glossary, text escaped."""

from dataclasses import dataclass
from types import SimpleNamespace

import pytest

from sommaire.public.acronyms import Acronyms, acronyms_for, annotate
from tests.public.html import parse


@dataclass
class Term:
    term: str
    expansion: str

    @property
    def anchor(self) -> str:
        return "terme-" + self.term.lower()


TERMS = Acronyms.compile(
    [
        Term("INS", "Identité Nationale de Santé"),
        Term("INSi", "Identifiant National de Santé intégré"),
        Term("ES", "Établissements de Santé"),
        Term("ESMS", "Établissements et Services Médico-Sociaux"),
        Term("SUN-ES", "Ségur Usage Numérique en Établissements de Santé"),
        Term("CPS", "Carte de Professionnel de Santé"),
        Term("e-CPS", "Carte de Professionnel de Santé dématérialisée"),
        Term("PA", "personnes âgées"),
        Term("PH", "personnes en situation de handicap"),
        Term("DOM", "domicile"),
        Term("DSR", "Dossier des Spécifications de Référencement"),
        Term("MSSanté", "Messagerie Sécurisée de Santé"),
        Term("G_NIUS", "Guichet National de l’Innovation et des Usages en e-Santé"),
        Term("R&D", "Recherche & « développement »"),
    ],
    glossary_url="/glossaire/",
)


def marked(text: str, link: bool = True) -> list[str]:
    """The terms `annotate` marked up in `text`, in order."""
    return [abbr.text() for abbr in parse(annotate(text, TERMS, link=link)).find_all("abbr")]


def test_it_wraps_a_term_in_an_abbr_inside_a_link_to_its_glossary_entry():
    html = parse(annotate("L’INS est obligatoire.", TERMS))
    link = html.find("a")
    assert link.get("href") == "/glossaire/#terme-ins"
    assert link.find("abbr").get("title") == "Identité Nationale de Santé"
    assert html.text() == "L’INS est obligatoire."


def test_it_marks_a_term_without_a_link_when_the_text_is_already_in_a_link():
    html = parse(annotate("DSR — DPI, vague 1", TERMS, link=False))
    assert html.find_all("a") == []
    assert html.find("abbr").get("title") == "Dossier des Spécifications de Référencement"


@pytest.mark.parametrize(
    "text",
    [
        "INSTRUCTION",
        "Les INSTANCES",
        "INSA",
        "l’INS2",
        "ESPACE",
        "ES_X",
        "PACA",
        "DOMICILE",
        "DOMaine",
        "CPSX",
        "xDSR",
    ],
)
def test_it_never_matches_inside_a_longer_word(text):
    assert marked(text) == []


def test_it_tells_ins_from_insi():
    assert marked("Le téléservice INSi qualifie l’INS.") == ["INSi", "INS"]


def test_it_prefers_the_longest_term():
    assert marked("Activez votre e-CPS ou votre CPS.") == ["e-CPS", "CPS"]
    assert marked("Le programme SUN-ES finance les ES.") == ["SUN-ES", "ES"]


def test_it_does_not_match_a_term_glued_to_another_by_a_hyphen():
    assert marked("ES-PH et X-ES") == []
    assert marked("la e-CPS") == ["e-CPS"]


def test_it_does_not_see_es_inside_esms():
    assert marked("Les ESMS et les ES") == ["ESMS", "ES"]


def test_it_finds_terms_separated_by_slashes():
    assert marked("MS1 PA/PH/DOM – personnes âgées") == ["PA", "PH", "DOM"]


def test_it_is_case_sensitive():
    assert marked("les ins et les Es et les dsr") == []


def test_it_finds_terms_with_accents_and_underscores_beside_punctuation():
    assert marked("(MSSanté), G_NIUS. «DSR»") == ["MSSanté", "G_NIUS", "DSR"]


def test_it_leaves_web_addresses_and_email_addresses_alone():
    text = "Voir https://esante.gouv.fr/documents/DSR-HOP-DPI-Va1.pdf ou ES@sante.gouv.fr, le DSR."
    html = parse(annotate(text, TERMS))
    assert [a.text() for a in html.find_all("abbr")] == ["DSR"]
    assert "https://esante.gouv.fr/documents/DSR-HOP-DPI-Va1.pdf" in html.text()


def test_it_escapes_all_the_text_it_does_not_mark_up():
    html = annotate('<script>alert("x")</script> R&D & INS <b>', TERMS)
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "&amp; " in html
    assert parse(html).text() == '<script>alert("x")</script> R&D & INS <b>'


def test_it_escapes_the_terms_and_their_expansions():
    html = parse(annotate("La R&D avance.", TERMS))
    abbr = html.find("abbr")
    assert abbr.text() == "R&D"
    assert abbr.get("title") == "Recherche & « développement »"


def test_it_only_escapes_when_the_glossary_is_empty():
    assert annotate("INS <i>", Acronyms.compile([], glossary_url="/g/")) == "INS &lt;i&gt;"


def test_it_accepts_glossary_rows_as_well_as_a_compiled_glossary():
    rows = [Term("INS", "Identité Nationale de Santé")]
    assert parse(annotate("INS", rows)).find("a").get("href") == "/glossaire/#terme-ins"


def test_it_treats_none_as_empty_text():
    assert annotate(None, TERMS) == ""


@pytest.mark.django_db
def test_the_segur_glossary_is_compiled_once_per_catalog_generation(
    segur, django_assert_num_queries
):
    with django_assert_num_queries(1):
        first = acronyms_for(41)
    with django_assert_num_queries(0):
        assert acronyms_for(41) is first
    with django_assert_num_queries(1):
        assert acronyms_for(42) is not first


@pytest.mark.django_db
def test_it_annotates_with_the_segur_glossary(segur):
    html = parse(annotate("L’INSi qualifie l’INS ; les ESMS ne sont pas des ES.", acronyms_for(1)))
    links = {a.text(): a.get("href") for a in html.find_all("a")}
    assert links == {
        "INSi": "/glossaire/#terme-insi",
        "INS": "/glossaire/#terme-ins",
        "ESMS": "/glossaire/#terme-esms",
        "ES": "/glossaire/#terme-es",
    }


def test_an_english_expansion_marks_its_abbreviation_as_english():
    terms = [
        SimpleNamespace(term="JSON", expansion="JavaScript Object Notation", anchor="t", lang="en"),
        SimpleNamespace(term="INS", expansion="Identité Nationale de Santé", anchor="i", lang=""),
    ]

    html = str(annotate("JSON et INS", Acronyms.compile(terms, glossary_url="/g/"), link=False))

    assert '<abbr title="JavaScript Object Notation" lang="en">JSON</abbr>' in html
    assert '<abbr title="Identité Nationale de Santé">INS</abbr>' in html
