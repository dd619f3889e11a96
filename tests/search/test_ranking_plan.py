"""The shortcuts of the ranking plan give the very hits of ranking every match.

A search first ranks only the candidates, the resources whose code or title
hold the words as typed, and ranks every match only when the candidates do
not hold enough active resources (see `sommaire.search.backends.plan`).
Each test compares the hits with the plan's last step run alone, which
ranks every match as a plain query does, and checks which step answered.
"""

from contextlib import contextmanager

import pytest
from django.db import connection

from sommaire.catalog.models import Resource
from sommaire.search import services
from sommaire.search.backends import plan
from sommaire.search.models import Synonym
from tests.search.factories import resource
from tests.search.test_relevance import QUERIES


@pytest.fixture(autouse=True)
def shortcuts(monkeypatch):
    """The Ségur catalog is too small for shortcuts: take them all the same."""
    monkeypatch.setattr(plan, "SHORTCUTS_FROM", 0)


@contextmanager
def statements_run(steps):
    """The indexes of the plan's steps that the database ran, in order."""
    indexes = {step.sql: i for i, step in enumerate(steps)}
    run: list[int] = []

    def spy(execute, sql, params, many, context):
        if sql in indexes:
            run.append(indexes[sql])
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        yield run


def search(text: str, limit: int = 10, offset: int = 0, restrict=None):
    """The hits' ids, the ids of the last step alone, and the steps that ran."""
    query = services.analyse(text)
    steps = services.ranking_steps(query.all_words(), query, restrict, offset + limit)
    with statements_run(steps) as run:
        hits = services.search(query, limit, offset, restrict=restrict, relaxed=False).hits
    with connection.cursor() as cursor:
        cursor.execute(steps[-1].sql, steps[-1].params)
        every = [row[0] for row in cursor.fetchall()][offset : offset + limit]
    return [hit.resource_id for hit in hits], every, run, len(steps)


def keys(ids: list[int]) -> list[str]:
    found = dict(Resource.objects.filter(pk__in=ids).values_list("pk", "key"))
    return [found[pk] for pk in ids]


def test_the_candidates_answer_alone_when_enough_titles_hold_the_words(segur):
    for n in range(25):
        resource(f"Zorglub, fiche {n}", key=f"titre-{n}")
        resource(f"Fiche {n}", "Une note sur le zorglub.", key=f"texte-{n}")

    hits, every, run, _ = search("zorglub")

    assert hits == every
    assert all(key.startswith("titre-") for key in keys(hits))
    assert run == [0]


def test_every_match_is_ranked_when_too_few_titles_hold_the_words(segur):
    for n in range(3):
        resource(f"Zorglub, fiche {n}", key=f"titre-{n}")
    for n in range(30):
        resource(
            f"Fiche {n}", "Une note sur le zorglub." + " Zorglub !" * (n % 3), key=f"texte-{n}"
        )

    hits, every, run, _ = search("zorglub")

    assert hits == every
    assert keys(hits[:3]) == ["titre-0", "titre-1", "titre-2"]
    assert run[0] == 0 and len(run) > 1


def test_titles_holding_an_equivalent_answer_before_every_match_is_ranked(segur):
    Synonym.objects.create(words=["krypton", "zorglub"])
    for n in range(25):
        resource(f"Krypton, fiche {n}", key=f"equivalent-{n}")
        resource(f"Fiche {n}", "Une note sur le zorglub.", key=f"texte-{n}")

    hits, every, run, _ = search("zorglub")
    query = services.analyse("zorglub")
    answered = services.ranking_steps(query.all_words(), query)[run[-1]]

    assert hits == every
    assert all(key.startswith("equivalent-") for key in keys(hits))
    assert run == [0, 1]
    assert answered.window is not None and not answered.complete  # the candidates alone


def test_a_title_changed_is_a_candidate_at_once(segur):
    for n in range(25):
        resource(f"Fiche {n}", "Une note sur le zorglub.", key=f"texte-{n}")
    renamed = Resource.objects.get(key="texte-7")
    renamed.title = "Zorglub, la fiche"
    renamed.save()

    hits, every, run, _ = search("zorglub", limit=1)

    assert hits == every == [renamed.pk]
    assert run == [0]


def test_archived_candidates_do_not_hide_active_matches(segur):
    for n in range(30):
        resource(f"Zorglub, version {n}", key=f"archive-{n}", status=Resource.Status.ARCHIVED)
    for n in range(4):
        resource(f"Fiche {n}", "Une note sur le zorglub.", key=f"active-{n}")

    hits, every, run, steps = search("zorglub")

    assert hits == every
    assert sorted(keys(hits[:4])) == ["active-0", "active-1", "active-2", "active-3"]
    assert run[-1] == steps - 1  # only the last step could tell


def test_a_code_ranks_its_document_first_through_the_candidates(segur):
    resource("DSR — XYZ, vague 1", url="https://example.org/d/DSR-ZRG-XYZ-Va1.pdf", key="code")
    for n in range(25):
        resource(f"Note {n} sur le DSR ZRG XYZ Va1", key=f"mention-{n}")

    hits, every, run, _ = search("DSR-ZRG-XYZ-Va1")

    assert hits == every
    assert keys(hits)[0] == "code"
    assert run == [0]


@pytest.mark.parametrize("offset", [0, 10, 20, 40])
def test_pages_give_the_same_hits_as_ranking_every_match(segur, offset):
    for n in range(30):
        resource(f"Zorglub, fiche {n}", key=f"titre-{n}", status="archived" if n % 4 else "active")
        resource(f"Fiche {n}", "Le zorglub." * (1 + n % 3), key=f"texte-{n}")

    hits, every, _, _ = search("zorglub", limit=10, offset=offset)

    assert hits == every
    assert len(hits) == 10


def test_filters_give_the_same_hits_as_ranking_every_match(segur):
    for n in range(30):
        resource(f"Zorglub, fiche {n}", key=f"titre-{n}", kind="guide" if n % 2 else "faq")
        resource(f"Fiche {n}", "Le zorglub.", key=f"texte-{n}", kind="guide")
    guides = Resource.objects.filter(kind__slug="guide")

    hits, every, run, _ = search("zorglub", restrict=guides)

    assert hits == every
    assert set(Resource.objects.filter(pk__in=hits).values_list("kind__slug", flat=True)) == {
        "guide"
    }
    assert run == [0]


@pytest.mark.parametrize("text", [text for text, _ in QUERIES])
def test_the_relevance_queries_give_the_same_hits_as_ranking_every_match(segur, text):
    hits, every, _, _ = search(text)

    assert hits == every


def test_a_small_index_ranks_every_match_at_once(segur, monkeypatch):
    for n in range(25):
        resource(f"Zorglub, fiche {n}", key=f"titre-{n}")
    monkeypatch.setattr(plan, "SHORTCUTS_FROM", Resource.objects.count() + 1)

    hits, every, run, steps = search("zorglub")

    assert hits == every
    assert steps == 1 and run == [0]
