"""`sommaire.catalog.validation`: the one normalisation of editors' text and the
one rule for addresses, that every door calls."""

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sommaire.catalog.validation import TEXT_MAX_LENGTH, clean_text, text_problem, url_problem


def test_a_vertical_tab_from_word_is_a_line_break_in_a_long_text_and_a_space_in_a_title():
    pasted = "Premier point\x0bSecond point"

    assert clean_text(pasted, multiline=True) == "Premier point\nSecond point\n"
    assert clean_text(pasted) == "Premier point Second point"


def test_every_line_separator_becomes_one_line_break():
    pasted = "a\r\nb\rc\u2028d\u2029e\x85f\x0cg"

    assert clean_text(pasted, multiline=True) == "a\nb\nc\nd\ne\nf\ng\n"


def test_control_characters_surrogates_and_noncharacters_are_dropped():
    assert clean_text("Guide\x00 \x1b[31mINS\x7f\x9b\ud800\uffff\U0001fffe") == "Guide [31mINS"


def test_text_is_stored_composed():
    decomposed = unicodedata.normalize("NFD", "Hôpital Énergie")

    assert clean_text(decomposed) == "Hôpital Énergie"


def test_a_long_text_is_capped_at_the_api_s_five_thousand_characters():
    assert text_problem("x" * TEXT_MAX_LENGTH) == ""
    assert "5\u202f001 caractères, 5\u202f000 au plus" in text_problem("x" * 5001)
    assert "au plus" in text_problem("x" * 301, max_length=300)


@settings(max_examples=300, deadline=None)
@given(st.text(), st.booleans())
def test_cleaning_twice_changes_nothing(text, multiline):
    once = clean_text(text, multiline)

    assert clean_text(once, multiline) == once
    assert unicodedata.is_normalized("NFC", once)


@pytest.mark.parametrize(
    "url",
    [
        "https://esante.gouv.fr/produits-services/ins",
        "http://www.ars.sante.fr/x?y=1",
        "mailto:dgos-sun@sante.gouv.fr",
        "https://93.184.215.14/guide.pdf",
    ],
)
def test_it_accepts_a_public_web_address(url):
    assert url_problem(url) == ""


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("ftp://ftp.esante.gouv.fr/guide.pdf", "protocole refusé (ftp:)"),
        ("javascript:alert(1)", "protocole refusé (javascript:)"),
        ("esante.gouv.fr", "protocole refusé (aucun)"),
        ("http://localhost:8000/admin/", "hôte local, privé ou réservé"),
        ("http://intranet.localhost/x", "hôte local, privé ou réservé"),
        ("http://127.0.0.1/x", "hôte local, privé ou réservé"),
        ("http://0x7f.1/x", "hôte local, privé ou réservé"),
        ("http://2130706433/x", "hôte local, privé ou réservé"),
        ("http://10.1.2.3/x", "hôte local, privé ou réservé"),
        ("http://192.168.0.10/x", "hôte local, privé ou réservé"),
        ("http://169.254.169.254/latest/meta-data/", "hôte local, privé ou réservé"),
        ("http://[::1]/x", "hôte local, privé ou réservé"),
        ("http://[::ffff:10.0.0.1]/x", "hôte local, privé ou réservé"),
        ("http://intranet/x", "nom d’hôte invalide"),
        ("https://user:secret@esante.gouv.fr/", "ni nom d’utilisateur ni mot de passe"),
        ("https://esante.gouv.fr:99999/", "mal formée (hôte ou port)"),
        ("http://[zz]/guide.pdf", "mal formée (hôte ou port)"),
        ("https://esante.gouv.fr/a b", "espaces"),
        ("mailto:a@b.fr,c@d.fr", "une seule adresse"),
    ],
)
def test_it_refuses_an_address_no_reader_should_follow(url, words):
    assert words in url_problem(url)


def test_a_network_the_fetcher_may_reach_may_be_catalogued(settings):
    settings.FETCH_ALLOWED_NETWORKS = ["127.0.0.0/8"]

    assert url_problem("http://127.0.0.1:8080/doc.pdf") == ""
    assert url_problem("http://10.1.2.3/doc.pdf") != ""
