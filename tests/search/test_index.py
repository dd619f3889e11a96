"""The index follows every catalog change in the same transaction."""

import pytest
from django.db import connection, transaction

from sommaire.catalog.models import Kind, Placement, Resource, Section
from sommaire.search import services
from sommaire.search.models import Entry
from tests.search.factories import resource


def found(text: str) -> list[str]:
    """Resources with every word (no fallback to all words but one)."""
    hits = services.search(text, relaxed=False).hits
    return [h.resource.key for h in services.describe(hits)]


def test_a_new_resource_is_found_at_once(segur):
    resource("Le zorglub expliqué", key="nouveau")

    assert found("zorglub") == ["nouveau"]


def test_an_edited_title_is_found_by_its_new_words_only(segur):
    item = resource("Le zorglub expliqué", key="modifie")

    item.title = "Le krypton expliqué"
    item.save()

    assert found("krypton") == ["modifie"]
    assert found("zorglub") == []


def test_a_deleted_resource_leaves_the_index(segur):
    item = resource("Le zorglub expliqué")

    item.delete()

    connection.check_constraints()  # as a commit would (see test_resource_deletion)
    assert found("zorglub") == []
    assert not Entry.objects.filter(pk=item.pk).exists()


def test_a_change_rolled_back_leaves_the_index_as_it_was(segur):
    item = resource("Le zorglub expliqué", key="intact")

    with pytest.raises(RuntimeError), transaction.atomic():
        item.title = "Le krypton expliqué"
        item.save()
        assert found("krypton") == ["intact"]  # searchable inside the transaction
        raise RuntimeError

    assert found("krypton") == []
    assert found("zorglub") == ["intact"]


def test_archiving_a_resource_moves_it_after_active_ones(segur):
    first = resource("Zorglub zorglub zorglub", key="archivee")
    resource("Zorglub", key="active")
    assert found("zorglub")[0] == "archivee"

    first.status = Resource.Status.ARCHIVED
    first.save()

    assert found("zorglub") == ["active", "archivee"]


def test_a_new_placement_makes_its_section_searchable(segur):
    item = resource("Le zorglub expliqué", key="place", section="hopital")
    assert found("zorglub officine") == []

    Placement.objects.create(resource=item, section=Section.objects.get(slug="officine"))

    assert found("zorglub officine") == ["place"]


def test_a_removed_placement_takes_its_section_words_away(segur):
    item = resource("Le zorglub expliqué", key="deplace", section="officine")

    item.placements.get().delete()

    assert found("zorglub officine") == []
    assert found("zorglub") == ["deplace"]


def test_a_renamed_section_reindexes_its_resources(segur):
    resource("Le zorglub expliqué", key="dans-la-section", section="officine")
    section = Section.objects.get(slug="officine")

    section.title = "Krypton"
    section.save()

    assert found("zorglub krypton") == ["dans-la-section"]


def test_a_renamed_kind_reindexes_its_resources(segur):
    resource("Le zorglub expliqué", key="du-type", kind="guide")
    kind = Kind.objects.get(slug="guide")

    kind.label = "Vademecum"
    kind.save()

    assert "du-type" in found("vademecum zorglub")


def test_a_job_writing_other_columns_does_not_rewrite_the_entry(segur):
    item = resource("Le zorglub expliqué")
    Entry.objects.filter(pk=item.pk).update(words="marque")

    item.save(update_fields=["added_at"])

    assert Entry.objects.get(pk=item.pk).words == "marque"


def test_refresh_catches_up_after_a_bulk_update(segur):
    item = resource("Le zorglub expliqué", key="en-masse")
    Resource.objects.filter(pk=item.pk).update(title="Le krypton expliqué")
    assert found("krypton") == []

    services.refresh([item.pk])

    assert found("krypton") == ["en-masse"]


def test_every_resource_of_the_segur_catalog_has_an_entry(segur):
    assert Entry.objects.count() == Resource.objects.count() > 100
