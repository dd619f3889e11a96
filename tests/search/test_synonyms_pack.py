"""synonyms.yaml in a content pack: validated like the rest, loaded, dumped back."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from sommaire.catalog.models import CatalogState
from sommaire.catalog.pack import read_pack
from sommaire.search import services
from sommaire.search.models import Synonym
from tests.catalog.packs import write_pack
from tests.conftest import SEGUR_PACK


def load(directory) -> str:
    out = StringIO()
    call_command("load-pack", str(directory), stdout=out, stderr=StringIO())
    return out.getvalue()


def load_errors(directory) -> str:
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("load-pack", str(directory), stdout=StringIO(), stderr=err)
    return err.getvalue()


BAD_SYNONYMS = {
    "unknown field": (
        "- words: [labo, laboratoire]\n  see: [biologie]\n",
        "synonyms.yaml:2: see: unknown field",
    ),
    "a single equivalent": (
        "- words: [labo]\n",
        "synonyms.yaml:1: words: list at least two equivalent words",
    ),
    "words mixed with means": (
        "- words: [labo, laboratoire]\n  means: [biologie]\n",
        "synonyms.yaml:2: means: words: lists equivalent words",
    ),
    "one way without its meaning": (
        "- word: ehpad\n",
        "synonyms.yaml:1: means: missing: a one-way entry has word: (what readers type)",
    ),
    "a meaning without its word": (
        "- means: [médico-social]\n",
        "synonyms.yaml:1: word: missing",
    ),
    "not a list": (
        "- word: ehpad\n  means: médico-social\n",
        "synonyms.yaml:2: means: expected a list of words: [a, b]",
    ),
    "a number": (
        "- words: [labo, 3]\n",
        "synonyms.yaml:1: words: 3 is not text: quote it",
    ),
    "a word twice": (
        "- words: [labo, Labo]\n",
        "synonyms.yaml:1: words: 'Labo' is listed twice",
    ),
    "a word that means itself": (
        "- word: ehpad\n  means: [EHPAD]\n",
        "synonyms.yaml:2: means: 'ehpad' cannot mean itself",
    ),
    "punctuation only": (
        "- words: [labo, '--']\n",
        "synonyms.yaml:1: words: '--' has no letter or digit",
    ),
    "a word in two entries": (
        "- words: [labo, laboratoire]\n- words: [Labo, biologie]\n",
        "synonyms.yaml:2: words: 'Labo' already has an entry at synonyms.yaml:1: merge the two",
    ),
    "not a list of entries": (
        "words: [labo, laboratoire]\n",
        "synonyms.yaml:1: (liste): expected a list of synonym",
    ),
}


@pytest.mark.parametrize("text, expected", BAD_SYNONYMS.values(), ids=BAD_SYNONYMS.keys())
def test_a_bad_synonym_refuses_the_pack_and_says_where(db, tmp_path, text, expected):
    before = (list(Synonym.objects.values_list("words", "means")), CatalogState.current())

    errors = load_errors(write_pack(tmp_path, synonyms=text))

    assert expected in errors
    assert (list(Synonym.objects.values_list("words", "means")), CatalogState.current()) == before


def test_a_pack_without_synonyms_is_valid(db, tmp_path):
    assert read_pack(write_pack(tmp_path)).synonyms == []


def test_loaded_synonyms_change_what_a_search_finds(segur, tmp_path):
    load(write_pack(tmp_path, synonyms="- word: zorglub\n  means: [Hôpital]\n"))

    hits = services.search("zorglub").hits

    assert hits
    assert list(Synonym.objects.values_list("words", "means")) == [(["zorglub"], ["Hôpital"])]


def test_loading_the_same_synonyms_again_changes_nothing(segur):
    generation = CatalogState.current()

    out = load(SEGUR_PACK)

    assert "synonyms: 1 unchanged" in out
    assert CatalogState.current() == generation


def test_the_segur_synonyms_survive_a_dump_and_a_load(segur, tmp_path):
    call_command("dump-pack", str(tmp_path / "first"), stdout=StringIO())
    first = (tmp_path / "first" / "synonyms.yaml").read_text(encoding="utf-8")

    load(tmp_path / "first")
    call_command("dump-pack", str(tmp_path / "second"), stdout=StringIO())

    assert (tmp_path / "second" / "synonyms.yaml").read_text(encoding="utf-8") == first
    assert read_pack(tmp_path / "first").synonyms == read_pack(SEGUR_PACK).synonyms
    assert "- word: EHPAD\n  means:\n    - médico-social\n" in first
