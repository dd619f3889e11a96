"""`sommaire dossiers list [--all] [--format json]`."""

import io
import json

import pytest
from django.core.management import call_command

from tests.dossiers.factories import compose

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("dossiers", "list", *args, stdout=out)
    return out.getvalue()


def test_it_lists_the_published_listed_dossiers_with_the_api_fields(client, nadia):
    compose(nadia, "publie")
    compose(nadia, "brouillon", status="draft")
    compose(nadia, "par-lien", visibility="unlisted")
    (row,) = json.loads(run("--format", "json"))
    from_api = client.get("/api/v1/dossiers/publie").json()
    assert set(row) == set(from_api)
    assert {k: v for k, v in row.items() if k != "updated"} == {
        k: v for k, v in from_api.items() if k != "updated"
    }
    assert row["updated"][:19] == from_api["updated"][:19]


def test_all_adds_the_drafts_and_the_unlisted_ones(nadia):
    compose(nadia, "publie")
    compose(nadia, "brouillon", status="draft")
    compose(nadia, "par-lien", visibility="unlisted")
    rows = json.loads(run("--all", "--format", "json"))
    assert [(r["slug"], r["status"], r["visibility"]) for r in rows] == [
        ("brouillon", "draft", "listed"),
        ("par-lien", "published", "unlisted"),
        ("publie", "published", "listed"),
    ]


def test_the_text_lists_one_dossier_a_line(nadia):
    compose(nadia, "publie")
    assert run().splitlines() == [
        "publie\tpublished\tlisted\tnational\t3 élément(s)\tPréparer sa demande SONS DUI"
    ]
