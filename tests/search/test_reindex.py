"""`sommaire reindex`: the index rebuilt from scratch."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from sommaire.catalog.models import Resource
from sommaire.search import services
from sommaire.search.models import Entry


def test_it_rebuilds_a_lost_index(segur):
    Entry.objects.all().delete()
    assert services.search("pharmacie").hits == []

    call_command("reindex", stdout=StringIO())

    assert Entry.objects.count() == Resource.objects.count()
    assert services.search("pharmacie").hits


def test_it_repairs_entries_written_around_the_signals(segur):
    resource = Resource.objects.get(key="hop-dpi-dsr-va1")
    Resource.objects.filter(pk=resource.pk).update(title="Zorglub")

    call_command("reindex", stdout=StringIO())

    assert [h.resource_id for h in services.search("zorglub").hits] == [resource.pk]


def test_running_it_twice_gives_the_same_index(segur):
    call_command("reindex", stdout=StringIO())
    first = list(Entry.objects.order_by("pk").values())

    call_command("reindex", stdout=StringIO())

    assert list(Entry.objects.order_by("pk").values()) == first


def test_it_reports_in_json(segur):
    out = StringIO()

    call_command("reindex", format="json", stdout=out)

    report = json.loads(out.getvalue())
    assert report["indexed"] == Resource.objects.count()
    assert report["engine"] in {"SQLite FTS5", "PostgreSQL full-text"}
    assert report["seconds"] >= 0


def test_it_leaves_no_pending_rows_in_the_postgresql_indexes(segur):
    if connection.vendor != "postgresql":
        pytest.skip("GIN pending lists are PostgreSQL's")

    call_command("reindex", stdout=StringIO())

    with connection.cursor() as cursor:
        for index in ("search_entry_vector", "search_entry_title_vector"):
            # The number of pending pages it had to merge: none left by the rebuild.
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
            assert cursor.fetchone() == (0,)
