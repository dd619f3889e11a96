"""The analyser: how documents and queries are read, the same way for every backend."""

from collections import Counter

import pytest

from sommaire.search import analysis
from sommaire.search.analysis import AllOf, AnyOf, Term, Thesaurus, Vocabulary, analyse_query
from sommaire.search.backends import postgresql, sqlite


def test_case_and_accents_do_not_matter():
    assert analysis.tokens("Hôpital ÉTABLISSEMENT") == analysis.tokens("hopital etablissement")


def test_plural_and_feminine_forms_share_a_stem():
    assert analysis.tokens("médicale médicaux") == analysis.tokens("médical médical")
    assert analysis.tokens("officines certificats") == analysis.tokens("officine certificat")


def test_french_elisions_are_removed_whatever_the_apostrophe():
    assert analysis.tokens("l’INS d'un établissement qu’il") == analysis.tokens("INS établissement")
    assert analysis.tokens("jusqu’à l`hôpital") == analysis.tokens("hôpital")


def test_stop_words_and_question_verbs_are_dropped():
    assert analysis.tokens("comment faire pour le DPI") == ["dpi"]


def test_acronyms_of_the_domain_are_no_stop_words():
    assert analysis.tokens("SI ES") == ["si", "es"]


@pytest.mark.parametrize(
    "code, whole",
    [
        ("DSR-HOP-DPI-Va1", "dsrhopdpiva1"),
        ("EX_3.1-1040", "ex311040"),
        ("JORFTEXT000043934117", "jorftext000043934117"),
        ("V1.3.1", "v131"),
    ],
)
def test_a_document_code_is_kept_whole_beside_its_parts(code, whole):
    found = analysis.tokens(code)

    assert found[0] == whole
    assert len(found) == 1 or len(found) > 2


def test_hyphen_variants_meet():
    # The whole form "ecps" is produced by e-CPS, e‑CPS (non-breaking hyphen) and eCPS.
    assert analysis.tokens("e-CPS")[0] == analysis.tokens("eCPS")[0]
    assert analysis.tokens("e‑CPS") == analysis.tokens("e-CPS")
    assert {"medico", "social"} <= set(analysis.tokens("médico–social"))


def test_every_token_is_plain_lowercase_letters_and_digits():
    text = 'L’œuvre « DSR-HOP » (V2.0) : 12 % — ça coûte 3,5 € ; x*y "NEAR" {title}: -foo'

    assert all(t.isascii() and t.isalnum() and t == t.lower() for t in analysis.tokens(text))


def test_a_query_word_matches_its_compound_whole_or_all_its_parts():
    query = analyse_query("DSR-HOP-DPI-Va1")

    assert query.nodes == [
        AnyOf(
            (
                Term("dsrhopdpiva1"),
                AllOf((Term("dsr"), Term("hop"), Term("dpi"), Term("va1"))),
            )
        )
    ]


def test_an_acronym_and_its_expansion_find_each_other():
    thesaurus = Thesaurus()
    thesaurus.add_equivalents(["INS", "Identité Nationale de Santé"])

    short = analyse_query("ins", thesaurus).tokens()
    long = analyse_query("identite nationale de sante", thesaurus).tokens()

    assert short == long == {"ins", "identit", "national", "sant"}


def test_a_one_way_synonym_finds_its_meaning_but_not_the_reverse():
    thesaurus = Thesaurus()
    thesaurus.add_one_way("EHPAD", ["médico-social"])

    assert "medico" in analyse_query("ehpad", thesaurus).tokens()
    assert "ehpad" not in analyse_query("médico-social", thesaurus).tokens()


def test_a_multi_word_phrase_is_recognised_in_a_longer_query():
    thesaurus = Thesaurus()
    thesaurus.add_equivalents(["labo", "biologie médicale"])

    query = analyse_query("DSR biologie médicale", thesaurus)

    assert len(query.nodes) == 2
    assert "labo" in query.nodes[1].tokens()


def test_words_typed_apart_can_spell_an_acronym():
    thesaurus = Thesaurus()
    thesaurus.add_equivalents(["CI-SIS", "Cadre d’Interopérabilité"])

    assert {"cis", "cadr", "interoperabilit"} <= analyse_query("ci sis", thesaurus).tokens()


def test_an_aside_in_an_expansion_is_not_part_of_the_phrase():
    assert Thesaurus.without_asides("domicile (Médico-social)") == "domicile"


VOCABULARY = Vocabulary.build(
    Counter({"officine": 12, "officines": 3, "radiologie": 5, "médicale": 4, "guide": 9})
)


def words(vocabulary):
    return lambda: vocabulary


@pytest.mark.parametrize(
    "typed, corrected",
    [
        ("oficine", "officine"),  # a letter missing
        ("offcine", "officine"),
        ("radoilogie", "radiologie"),  # two letters swapped count as one edit
        ("radilogei", "radiologie"),  # two edits, allowed for a long word
        ("medicalle", "médicale"),  # shown as it is usually written, accents included
    ],
)
def test_a_word_that_matches_nothing_is_corrected(typed, corrected):
    query = analyse_query(typed, vocabulary=words(VOCABULARY))

    assert query.corrections == {typed: corrected}
    assert query.corrected_text() == corrected


def test_a_short_word_is_never_corrected():
    assert analyse_query("guid", vocabulary=words(VOCABULARY)).corrections == {}


def test_a_word_of_seven_letters_gets_one_edit_only():
    assert analyse_query("oficcne", vocabulary=words(VOCABULARY)).corrections == {}


def test_a_known_word_is_left_alone():
    assert analyse_query("officines", vocabulary=words(VOCABULARY)).corrections == {}


def test_the_words_of_a_known_phrase_are_left_alone():
    thesaurus = Thesaurus()
    thesaurus.add_one_way("maison de retraite", ["EHPAD"])

    query = analyse_query("maison de retraite", thesaurus, words(VOCABULARY))

    assert query.corrections == {}


def test_the_corrected_text_keeps_the_rest_of_what_was_typed():
    query = analyse_query("Guide de l’Oficine", vocabulary=words(VOCABULARY))

    assert query.corrected_text() == "Guide de l’officine"


def test_all_but_one_word_is_the_fallback_of_a_long_query():
    query = analyse_query("alpha beta gamma")

    fallback = query.all_but_one()

    assert isinstance(fallback, AnyOf) and len(fallback.items) == 3
    assert analyse_query("alpha").all_but_one() is None


@pytest.mark.parametrize("backend", [sqlite, postgresql])
def test_backends_quote_every_token(backend):
    # Tokens never hold quotes; if one ever did, it must stay inside its quotes.
    rendered = backend.render(AllOf((Term("a\"b'c"), Term("d"))))

    assert rendered in {
        '("a""b\'c" AND "d")',
        "('a\"b''c' & 'd')",
    }


def test_the_sqlite_backend_restricts_a_match_to_columns():
    assert sqlite.render(Term("dpi"), ("code", "title")) == '{code title} : ("dpi")'


def test_the_postgresql_backend_restricts_a_match_to_weights():
    assert postgresql.render(AnyOf((Term("a"), Term("b"))), ("code", "title")) == (
        "('a':AB | 'b':AB)"
    )
