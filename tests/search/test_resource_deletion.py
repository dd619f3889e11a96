"""Deleting resources takes their index entries with them, and nothing else.

Issue 3: deleting a placed resource left an orphan `search_entry` row, and
the database's foreign-key check failed. The placement's post_delete handler
re-indexed the resource while Django's deletion was under way, after the
entries to delete had been collected: an entry it wrote then outlived its
resource.

Foreign keys are deferred to the end of the transaction on both databases,
and a test's transaction is rolled back, not committed: each test asks the
database to check them now (`check_constraints`), as a commit would.
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from sommaire.catalog.models import Format, Kind, Placement, Publisher, Resource, Section
from sommaire.search import services
from sommaire.search.models import Entry
from tests.search.factories import resource


def entries_written(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if "search_entry" in q["sql"] and q["sql"].lstrip().startswith(("INSERT", "UPDATE"))
    ]


def test_a_resource_placed_in_two_sections_leaves_no_entry_behind(segur):
    item = resource("Le zorglub expliqué", section="hopital")
    Placement.objects.create(resource=item, section=Section.objects.get(slug="officine"))

    item.delete()

    connection.check_constraints()
    assert not Entry.objects.filter(pk=item.pk).exists()
    assert services.search("zorglub").hits == []


def test_a_resource_written_without_signals_gets_no_entry_while_it_is_deleted(segur):
    # Bulk inserts send no signals (bench/gen_catalog.py writes so before
    # its reindex): such a resource has placements and no entry yet, so
    # Django collects no entry to delete with it.
    (item,) = Resource.objects.bulk_create(
        [
            Resource(
                key="en-masse",
                title="Le zorglub expliqué",
                url="https://example.org/essai/en-masse",
                kind=Kind.objects.get(slug="guide"),
                format=Format.objects.get(slug="pdf"),
                publisher=Publisher.objects.get(slug="ans"),
            )
        ]
    )
    Placement.objects.bulk_create(
        [Placement(resource=item, section=Section.objects.get(slug="hopital"), order=1)]
    )
    assert not Entry.objects.filter(pk=item.pk).exists()

    Resource.objects.get(pk=item.pk).delete()

    connection.check_constraints()
    assert not Entry.objects.filter(pk=item.pk).exists()


def test_a_resource_is_not_reindexed_on_its_way_out(segur):
    item = resource("Le zorglub expliqué", section="hopital")
    Placement.objects.create(resource=item, section=Section.objects.get(slug="officine"))

    with CaptureQueriesContext(connection) as queries:
        item.delete()

    assert entries_written(queries) == []


def test_several_resources_deleted_at_once_leave_no_entry_behind(segur):
    first = resource("Le zorglub expliqué", section="hopital")
    second = resource("Le zorglub illustré", section="officine")

    with CaptureQueriesContext(connection) as queries:
        Resource.objects.filter(pk__in=[first.pk, second.pk]).delete()

    connection.check_constraints()
    assert not Entry.objects.filter(pk__in=[first.pk, second.pk]).exists()
    assert entries_written(queries) == []


def test_a_placement_deleted_alone_still_reindexes_its_resource(segur):
    item = resource("Le zorglub expliqué", key="deplace", section="officine")
    Placement.objects.create(resource=item, section=Section.objects.get(slug="hopital"))

    item.placements.get(section__slug="officine").delete()

    assert [h.resource_id for h in services.search("zorglub officine", relaxed=False).hits] == []
    assert [h.resource_id for h in services.search("zorglub hopital").hits] == [item.pk]
