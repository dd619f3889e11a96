"""`sommaire search QUERY [--limit N] [--format json]`: the site's engine in a terminal."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("search", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_json_is_a_list_of_results_with_url_title_section_and_score(segur):
    out, _ = run("DSR-HOP-DPI-Va1", "--format", "json")

    results = json.loads(out)
    assert results[0]["url"].endswith("/DSR-HOP-DPI-Va1.pdf")
    assert results[0]["title"] == "DSR — DPI, vague 1"
    assert results[0]["section"] == "hopital"
    assert isinstance(results[0]["score"], float)
    assert {"url", "title", "section", "score", "key", "kind", "format"} <= results[0].keys()


def test_several_words_make_one_query(segur):
    out, _ = run("arrete", "officine", "--format", "json")

    assert json.loads(out)[0]["url"].endswith("JORFTEXT000045159654")


def test_limit_caps_the_results(segur):
    out, _ = run("certificats", "--limit", "2", "--format", "json")

    assert len(json.loads(out)) == 2


def test_text_output_lists_results_and_says_what_was_corrected(segur):
    out, err = run("oficine", "--limit", "3")

    assert "Results for: officine" in err
    assert out.count("\n") == 6
    assert "Officine" in out


def test_nothing_found_is_said(segur):
    out, _ = run("zzzxqwv")

    assert out.strip() == "No result."


def test_a_limit_below_one_is_refused(segur):
    with pytest.raises(CommandError, match="--limit"):
        run("dsr", "--limit", "0")
