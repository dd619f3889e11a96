"""A write is checked on everything it changes, not only on the row of the form:
deleting a resource also unlinks the resource that replaces it."""

import pytest

from sommaire.catalog.models import Region, Resource
from tests.editors.backoffice import ADMIN, client_for, url

CHANGELIST = f"{ADMIN}catalog/resource/"


@pytest.fixture
def replaced_by_a_national_one(segur):
    """An Occitanie resource, replaced by a national one (a later national version)."""
    national = Resource.objects.filter(region=None).first()
    regional = Resource.objects.get(pk=national.pk)
    regional.pk, regional._state.adding = None, True
    regional.key, regional.url = "occ-ancienne-version", "https://occitanie.example.org/v1.pdf"
    regional.region = Region.objects.get(code="OCC")
    regional.save()
    national.replaces = regional
    national.save()
    return regional, national


def test_a_regional_editor_cannot_delete_what_a_national_resource_replaces(
    remi, replaced_by_a_national_one
):
    regional, national = replaced_by_a_national_one

    response = client_for(remi).post(url(Resource, regional.pk, "delete"), {"post": "yes"})

    assert response.status_code == 403
    assert Resource.objects.filter(pk=regional.pk).exists()
    assert Resource.objects.get(pk=national.pk).replaces_id == regional.pk


def test_nor_through_the_bulk_delete_action(remi, replaced_by_a_national_one):
    regional, national = replaced_by_a_national_one

    client_for(remi).post(
        CHANGELIST,
        {"action": "delete_selected", "_selected_action": [regional.pk], "post": "yes"},
    )

    assert Resource.objects.filter(pk=regional.pk).exists()
    assert Resource.objects.get(pk=national.pk).replaces_id == regional.pk


def test_someone_who_may_write_both_deletes_it(administrator, replaced_by_a_national_one):
    regional, national = replaced_by_a_national_one

    response = client_for(administrator).post(url(Resource, regional.pk, "delete"), {"post": "yes"})

    assert response.status_code == 302
    assert Resource.objects.get(pk=national.pk).replaces_id is None
