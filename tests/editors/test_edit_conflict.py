"""No lost update: when two editors open the same row and both save, the second is
told what changed meanwhile and must merge; nothing is silently overwritten."""

import re

import pytest

from sommaire.catalog.models import EditConflict, Resource, Revisioned, Section
from sommaire.catalog.services import change_resource_url
from sommaire.editors.backoffice import RevisionForm
from tests.editors.backoffice import client_for, placement_forms, resource_data, url
from tests.personas import make_editor


@pytest.fixture
def nadia(segur):
    """A second person in the Django admin, which only administrators enter; the
    workspace's own conflict test is tests/workspace/test_resource_conflict.py."""
    return make_editor("nadia", "admin", first_name="Nadia")


@pytest.fixture
def national_resource(segur):
    return Resource.objects.get(key=Resource.objects.filter(region=None).first().key)


def opened(client, resource) -> dict:
    """The form as the editor's browser holds it: every value, the revision included."""
    response = client.get(url(Resource, resource.pk))
    assert response.status_code == 200
    form = response.context["adminform"].form
    return resource_data(resource, expected_revision=form.initial["expected_revision"])


def redisplayed(response) -> dict:
    form = response.context["adminform"].form
    return {key: form.data[key] for key in form.data}


def test_the_second_save_is_refused_and_names_who_changed_what(
    nadia, administrator, national_resource
):
    client_nadia, client_admin = client_for(nadia), client_for(administrator)
    seen_by_nadia, seen_by_admin = (
        opened(client_nadia, national_resource),
        opened(client_admin, national_resource),
    )

    first = client_nadia.post(
        url(Resource, national_resource.pk), {**seen_by_nadia, "title": "Titre de Nadia"}
    )
    second = client_admin.post(
        url(Resource, national_resource.pk), {**seen_by_admin, "description": "Note d’Agnès"}
    )

    assert first.status_code == 302
    assert second.status_code == 200
    page = second.content.decode()
    assert "modifiée par Nadia" in page
    assert "rien n’a été enregistré" in page
    stored = Resource.objects.get(pk=national_resource.pk)
    assert (stored.title, stored.description) == ("Titre de Nadia", national_resource.description)


def test_a_field_only_the_other_editor_changed_is_taken_and_the_merge_saves_both(
    nadia, administrator, national_resource
):
    client_nadia, client_admin = client_for(nadia), client_for(administrator)
    seen_by_nadia, seen_by_admin = (
        opened(client_nadia, national_resource),
        opened(client_admin, national_resource),
    )
    client_nadia.post(
        url(Resource, national_resource.pk), {**seen_by_nadia, "title": "Titre de Nadia"}
    )

    conflict = client_admin.post(
        url(Resource, national_resource.pk), {**seen_by_admin, "description": "Note d’Agnès"}
    )
    merged = redisplayed(conflict)
    assert merged["title"] == "Titre de Nadia"
    assert merged["description"] == "Note d’Agnès"
    assert "Repris de la version enregistrée : titre" in conflict.content.decode()

    saved = client_admin.post(url(Resource, national_resource.pk), merged)

    assert saved.status_code == 302
    stored = Resource.objects.get(pk=national_resource.pk)
    assert (stored.title, stored.description) == ("Titre de Nadia", "Note d’Agnès")


def test_a_field_both_changed_is_flagged_with_the_stored_value_and_keeps_mine(
    nadia, administrator, national_resource
):
    client_nadia, client_admin = client_for(nadia), client_for(administrator)
    seen_by_nadia, seen_by_admin = (
        opened(client_nadia, national_resource),
        opened(client_admin, national_resource),
    )
    client_nadia.post(
        url(Resource, national_resource.pk), {**seen_by_nadia, "title": "Titre de Nadia"}
    )

    conflict = client_admin.post(
        url(Resource, national_resource.pk), {**seen_by_admin, "title": "Titre d’Agnès"}
    )

    form = conflict.context["adminform"].form
    assert "la valeur enregistrée est « Titre de Nadia »" in form.errors["title"][0]
    assert redisplayed(conflict)["title"] == "Titre d’Agnès"
    assert Resource.objects.get(pk=national_resource.pk).title == "Titre de Nadia"


def test_the_compare_and_set_refuses_the_loser_of_a_race(national_resource):
    first = Resource.objects.get(pk=national_resource.pk)
    second = Resource.objects.get(pk=national_resource.pk)
    first.title, second.title = "Premier", "Second"

    first.save_edit(national_resource.revision)
    with pytest.raises(EditConflict):
        second.save_edit(national_resource.revision)

    stored = Resource.objects.get(pk=national_resource.pk)
    assert (stored.title, stored.revision) == ("Premier", national_resource.revision + 1)


def test_a_save_between_the_check_and_the_write_still_ends_in_the_merge(
    administrator, national_resource, monkeypatch
):
    """The form's check passed on a stale read; the UPDATE ... WHERE revision refuses."""
    client = client_for(administrator)
    seen = opened(client, national_resource)
    Resource.objects.filter(pk=national_resource.pk).update(title="Écrit entre-temps")
    Resource.objects.get(pk=national_resource.pk).save(update_fields=["title"])  # revision + 1
    stale = iter([national_resource.revision])
    real = Revisioned.current_revision
    monkeypatch.setattr(
        Revisioned, "current_revision", lambda self: next(stale, None) or real(self)
    )

    response = client.post(url(Resource, national_resource.pk), {**seen, "description": "Perdu ?"})

    assert response.status_code == 200
    assert "rien n’a été enregistré" in response.content.decode()
    stored = Resource.objects.get(pk=national_resource.pk)
    assert (stored.title, stored.description) == (
        "Écrit entre-temps",
        national_resource.description,
    )


def test_an_accepted_redirect_moves_the_revision_so_a_stale_form_cannot_undo_it(
    administrator, national_resource
):
    client = client_for(administrator)
    seen = opened(client, national_resource)

    change_resource_url(
        national_resource, "https://www.example.fr/nouvelle-adresse", None, "redirection permanente"
    )
    response = client.post(url(Resource, national_resource.pk), {**seen, "version": "V2"})

    assert response.status_code == 200
    assert redisplayed(response)["url"] == "https://www.example.fr/nouvelle-adresse"
    stored = Resource.objects.get(pk=national_resource.pk)
    assert stored.url == "https://www.example.fr/nouvelle-adresse"
    record = stored.history.first()
    assert record.history_change_reason == "redirection permanente"


def test_a_job_writing_only_its_own_columns_does_not_move_the_revision(national_resource):
    class Checked(Resource):
        UNVERSIONED_FIELDS = frozenset({"changed_at"})

        class Meta:
            proxy = True
            app_label = "catalog"

    row = Checked.objects.get(pk=national_resource.pk)
    row.save(update_fields=["changed_at"])
    Resource.objects.filter(pk=national_resource.pk).update(status="active")

    assert Resource.objects.get(pk=national_resource.pk).revision == national_resource.revision


def test_the_form_carries_the_revision_of_the_database_even_for_an_old_version(
    national_resource,
):
    old = national_resource.history.earliest().instance
    Resource.objects.get(pk=national_resource.pk).save()

    form = type(
        "F", (RevisionForm,), {"Meta": type("Meta", (), {"model": Resource, "fields": ["title"]})}
    )(instance=old)

    assert form.initial["expected_revision"] == national_resource.revision + 1
    assert re.search(r'name="expected_revision" value="\d+"', str(form["expected_revision"]))


# --- placements merge like fields ------------------------------------------------------


def with_placements(resource, **groups) -> dict:
    """The placements inline as the form shows them, with some groups changed (by section slug)."""
    rows = [
        {
            "id": p.pk,
            "resource": resource.pk,
            "section": p.section_id,
            "group": groups.get(p.section.slug, p.group),
            "order": p.order,
        }
        for p in resource.placements.select_related("section").order_by("pk")
    ]
    return placement_forms(*rows, initial=len(rows))


def resubmitted(response) -> dict:
    """Everything the returned page would post again: the form and its placements."""
    data = redisplayed(response)
    [inline] = response.context["inline_admin_formsets"]
    formset = inline.formset
    data.update({k: formset.data[k] for k in formset.data if k.startswith(f"{formset.prefix}-")})
    return data


@pytest.fixture
def placed(national_resource):
    placement = national_resource.placements.select_related("section").first()
    assert placement is not None
    return national_resource, placement


def both_opened_then_nadia_regroups(nadia, administrator, placed):
    """Nadia and Agnès open the form; Nadia changes only the placement's group and saves."""
    resource, placement = placed
    client_nadia, client_admin = client_for(nadia), client_for(administrator)
    seen_by_nadia = {**opened(client_nadia, resource), **with_placements(resource)}
    seen_by_admin = {**opened(client_admin, resource), **with_placements(resource)}
    regrouped = with_placements(resource, **{placement.section.slug: "Groupe de Nadia"})
    saved = client_nadia.post(url(Resource, resource.pk), {**seen_by_nadia, **regrouped})
    assert saved.status_code == 302
    assert resource.placements.get(pk=placement.pk).group == "Groupe de Nadia"
    return client_admin, seen_by_admin


def test_a_group_only_the_other_editor_changed_is_not_reverted_by_a_resubmitted_form(
    nadia, administrator, placed
):
    resource, placement = placed
    client_admin, seen_by_admin = both_opened_then_nadia_regroups(nadia, administrator, placed)

    refused = client_admin.post(
        url(Resource, resource.pk), {**seen_by_admin, "description": "Note d’Agnès"}
    )
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "rien n’a été enregistré" in page
    assert f"Repris de la version enregistrée : {placement.section.title}" in page

    again = client_admin.post(url(Resource, resource.pk), resubmitted(refused))

    assert again.status_code == 302
    stored = Resource.objects.get(pk=resource.pk)
    assert stored.description == "Note d’Agnès"
    assert stored.placements.get(pk=placement.pk).group == "Groupe de Nadia"


def test_a_group_both_changed_is_flagged_with_the_stored_one_and_mine_is_kept(
    nadia, administrator, placed
):
    resource, placement = placed
    slug = placement.section.slug
    client_admin, seen_by_admin = both_opened_then_nadia_regroups(nadia, administrator, placed)

    refused = client_admin.post(
        url(Resource, resource.pk),
        {**seen_by_admin, **with_placements(resource, **{slug: "Groupe d’Agnès"})},
    )

    assert refused.status_code == 200
    assert "la valeur enregistrée est groupe « Groupe de Nadia »" in refused.content.decode()
    assert Resource.objects.get(pk=resource.pk).placements.get(pk=placement.pk).group == (
        "Groupe de Nadia"
    )
    again = client_admin.post(url(Resource, resource.pk), resubmitted(refused))
    assert again.status_code == 302
    assert resource.placements.get(pk=placement.pk).group == "Groupe d’Agnès"


def test_a_placement_the_other_editor_added_is_kept_and_one_they_removed_stays_removed(
    nadia, administrator, placed
):
    resource, placement = placed
    other = Section.objects.exclude(placements__resource=resource).exclude(is_home=True).first()
    client_nadia, client_admin = client_for(nadia), client_for(administrator)
    seen_by_nadia = {**opened(client_nadia, resource), **with_placements(resource)}
    seen_by_admin = {**opened(client_admin, resource), **with_placements(resource)}
    rows = [
        {"id": placement.pk, "resource": resource.pk, "section": placement.section_id,
         "group": placement.group, "order": placement.order, "DELETE": "on"},
        {"resource": resource.pk, "section": other.pk, "group": "Ajout de Nadia", "order": 7},
    ]  # fmt: skip
    client_nadia.post(
        url(Resource, resource.pk), {**seen_by_nadia, **placement_forms(*rows, initial=1)}
    )

    refused = client_admin.post(url(Resource, resource.pk), {**seen_by_admin, "version": "V9"})
    again = client_admin.post(url(Resource, resource.pk), resubmitted(refused))

    assert again.status_code == 302
    stored = Resource.objects.get(pk=resource.pk)
    assert stored.version == "V9"
    assert list(stored.placements.values_list("section_id", "group")) == [
        (other.pk, "Ajout de Nadia")
    ]
