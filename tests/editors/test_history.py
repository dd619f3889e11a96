"""Every change to a resource, section, glossary term or contact is kept: who, when,
what changed; it can be read as a diff and reverted."""

from io import StringIO

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.utils import timezone
from django.utils.formats import date_format
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from sommaire.catalog.models import Contact, GlossaryTerm, Placement, Region, Resource, Section
from tests.conftest import SEGUR_PACK
from tests.editors.backoffice import (
    client_for,
    contact_data,
    placement_forms,
    resource_data,
    term_data,
    url,
)
from tests.personas import make_editor


@pytest.fixture
def remi(segur):
    """Rémi with administrator rights: only administrators enter the Django admin, whose
    history screens are tested here; the workspace's are in tests/workspace/."""
    return make_editor("remi", "admin", first_name="Rémi")


def history_counts() -> tuple[int, ...]:
    return tuple(
        model.history.count() for model in (Resource, Section, GlossaryTerm, Contact, Placement)
    )


@pytest.fixture
def occitanie_resource(remi):
    resource = Resource.objects.filter(region=None).first()
    resource.region = Region.objects.get(code="OCC")
    resource.save()
    return Resource.objects.get(pk=resource.pk)


def test_an_edit_is_kept_with_who_when_and_what(remi, occitanie_resource):
    old_title = occitanie_resource.title

    client_for(remi).post(
        url(Resource, occitanie_resource.pk), resource_data(occitanie_resource, title="Titre revu")
    )

    record = Resource.objects.get(pk=occitanie_resource.pk).history.first()
    assert record.history_user == remi
    assert record.history_type == "~"
    delta = record.diff_against(record.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes if c.field == "title"] == [
        ("title", old_title, "Titre revu")
    ]


def test_the_history_page_shows_each_change_as_a_diff(remi, occitanie_resource):
    client = client_for(remi)
    client.post(
        url(Resource, occitanie_resource.pk), resource_data(occitanie_resource, title="Titre revu")
    )

    page = client.get(url(Resource, occitanie_resource.pk, "history"))

    assert page.status_code == 200
    rows = HTMLParser(page.text).css("#change-history tbody tr")
    newest = rows[0].text(separator=" ")
    assert "remi" in newest
    assert "Titre revu" in newest and occitanie_resource.title in newest


def test_a_version_can_be_reverted_and_the_revert_is_itself_kept(remi, occitanie_resource):
    client = client_for(remi)
    original = occitanie_resource.history.first()
    client.post(
        url(Resource, occitanie_resource.pk), resource_data(occitanie_resource, title="Titre revu")
    )
    revert_url = version_url(occitanie_resource, original)

    form = client.get(revert_url).context["adminform"].form
    records = occitanie_resource.history.count()
    response = client.post(revert_url, _form_payload(form))

    assert response.status_code == 302
    stored = Resource.objects.get(pk=occitanie_resource.pk)
    assert stored.title == occitanie_resource.title
    assert stored.history.count() == records + 1
    assert stored.history.first().history_user == remi


def version_url(resource: Resource, record) -> str:
    return f"/gestion/admin/catalog/resource/{resource.pk}/history/{record.history_id}/"


def _form_payload(form) -> dict:
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else value
    return data


def test_contacts_and_glossary_terms_are_kept_too(remi, administrator, segur):
    client_for(remi).post(
        url(Contact),
        contact_data(region=Region.objects.get(code="OCC").pk, name="GRADeS e-santé Occitanie"),
    )
    term = GlossaryTerm.objects.get(term="INS")
    client_for(administrator).post(url(GlossaryTerm, term.pk), term_data(term, definition="Revu."))

    contact = Contact.objects.get(name="GRADeS e-santé Occitanie")
    assert contact.history.get().history_user == remi
    assert term.history.first().history_user == administrator
    assert term.history.first().definition == "Revu."


def test_a_deleted_contact_leaves_its_history(remi, segur):
    contact = Contact.objects.create(region=Region.objects.get(code="OCC"), name="Référent INS")

    client_for(remi).post(url(Contact, contact.pk, "delete"), {"post": "yes"})

    assert not Contact.objects.filter(pk=contact.pk).exists()
    assert Contact.history.filter(id=contact.pk, history_type="-").get().history_user == remi


def test_loading_the_same_pack_again_records_nothing(segur):
    before = history_counts()

    call_command("load-pack", str(SEGUR_PACK), stdout=StringIO())

    assert history_counts() == before


def test_a_pack_load_that_changes_a_resource_is_kept_and_moves_its_revision(segur):
    resource = Resource.objects.filter(region=None).first()
    records = resource.history.count()
    Resource.objects.filter(pk=resource.pk).update(title="Titre local")  # as if edited

    call_command("load-pack", str(SEGUR_PACK), stdout=StringIO())

    stored = Resource.objects.get(pk=resource.pk)
    assert stored.title == resource.title
    assert stored.revision == resource.revision + 1
    assert stored.history.first().history_change_reason == "chargement du paquet de contenu"
    assert stored.history.count() == records + 1


# --- where a resource stands: its placements ----------------------------------


def placements_of(resource: Resource) -> list[tuple[str, str, int]]:
    rows = Placement.objects.filter(resource=resource).order_by("section__order")
    return list(rows.values_list("section__slug", "group", "order"))


def place(client, resource: Resource, *forms: dict, **changes):
    """Save the resource's form with its placements inline as `forms` (stored rows first)."""
    stored = Resource.objects.get(pk=resource.pk)
    inline = placement_forms(*forms, initial=stored.placements.count())
    return client.post(url(Resource, stored.pk), {**resource_data(stored, **changes), **inline})


def revert(client, resource: Resource, record):
    """Open an old version of the resource and save it, as an editor does."""
    form = client.get(version_url(resource, record)).context["adminform"].form
    return client.post(version_url(resource, record), _form_payload(form))


def section(slug: str) -> Section:
    return Section.objects.get(slug=slug)


def test_reverting_puts_the_resource_back_in_the_sections_it_stood_in(remi, occitanie_resource):
    client = client_for(remi)
    first, before = occitanie_resource.history.first(), placements_of(occitanie_resource)
    moved = occitanie_resource.placements.get()
    place(
        client,
        occitanie_resource,
        {"id": moved.pk, "section": section("hopital").pk, "group": "Autre groupe", "order": 2},
        {"section": section("radiologie").pk, "group": "", "order": 7},
    )
    assert placements_of(occitanie_resource) == [
        ("hopital", "Autre groupe", 2),
        ("radiologie", "", 7),
    ]

    response = revert(client, occitanie_resource, first)

    assert response.status_code == 302
    assert placements_of(occitanie_resource) == before


def test_reverting_restores_the_group_and_order_of_a_placement_kept_since(remi, occitanie_resource):
    client = client_for(remi)
    first, before = occitanie_resource.history.first(), placements_of(occitanie_resource)
    kept = occitanie_resource.placements.get()
    place(
        client,
        occitanie_resource,
        {"id": kept.pk, "section": kept.section_id, "group": "Nouveau groupe", "order": 1},
    )

    revert(client, occitanie_resource, first)

    assert placements_of(occitanie_resource) == before
    assert occitanie_resource.placements.get().pk == kept.pk


def test_the_placements_saved_with_a_version_belong_to_that_version(remi, occitanie_resource):
    client = client_for(remi)
    kept = occitanie_resource.placements.get()
    fields = {"id": kept.pk, "section": kept.section_id, "order": kept.order}
    place(client, occitanie_resource, {**fields, "group": "Groupe revu"}, title="Titre revu")
    revised = occitanie_resource.history.first()
    place(client, occitanie_resource, {**fields, "group": "Groupe suivant"}, title="Titre suivant")

    revert(client, occitanie_resource, revised)

    assert Resource.objects.get(pk=occitanie_resource.pk).title == "Titre revu"
    assert occitanie_resource.placements.get().group == "Groupe revu"


def test_an_old_version_shows_where_the_resource_stood_then(remi, occitanie_resource):
    client = client_for(remi)
    first = occitanie_resource.history.first()
    then = occitanie_resource.placements.select_related("section").get()
    place(
        client,
        occitanie_resource,
        {"id": then.pk, "section": section("hopital").pk, "group": "Autre groupe", "order": 2},
    )

    page = HTMLParser(client.get(version_url(occitanie_resource, first)).text)

    rows = [
        [cell.text(strip=True) for cell in row.css("td")]
        for row in page.css("#placements-then tbody tr")
    ]
    assert rows == [[then.section.title, then.group, str(then.order)]]
    note = page.css_first("#placements-then p.help").text(strip=True)
    assert "retire la ressource des sections où elle a été ajoutée depuis : Hôpital" in note


def test_the_history_page_shows_who_moved_the_resource_where(remi, occitanie_resource):
    client = client_for(remi)
    then = occitanie_resource.placements.select_related("section").get()
    place(
        client,
        occitanie_resource,
        {"id": then.pk, "section": section("hopital").pk, "group": "Autre groupe", "order": 2},
    )

    page = HTMLParser(client.get(url(Resource, occitanie_resource.pk, "history")).text)

    rows = page.css("#placement-history tbody tr")
    newest = [cell.text(strip=True) for cell in rows[0].css("td")]
    assert newest[1:4] == [
        "remi",
        "Hôpital",
        f"modifié (section : {then.section.title} → Hôpital, "
        f"groupe : « {then.group} » → « Autre groupe », ordre : {then.order} → 2)",
    ]
    assert len(rows) == Placement.history.filter(resource_id=occitanie_resource.pk).count()


def test_a_revert_of_placements_is_kept_with_who_and_why(remi, occitanie_resource):
    client = client_for(remi)
    first = occitanie_resource.history.first()
    moved = occitanie_resource.placements.get()
    place(
        client,
        occitanie_resource,
        {"id": moved.pk, "section": section("hopital").pk, "group": "", "order": 2},
    )

    revert(client, occitanie_resource, first)

    resource_record = occitanie_resource.history.first()
    placement_records = Placement.history.filter(resource_id=occitanie_resource.pk)[:2]
    assert {(r.history_type, r.section_id) for r in placement_records} == {
        ("-", section("hopital").pk),
        ("+", moved.section_id),
    }
    for record in (resource_record, *placement_records):
        assert record.history_user == remi
        assert record.history_change_reason.startswith("retour à la version du ")
    page = HTMLParser(client.get(url(Resource, occitanie_resource.pk, "history")).text)
    newest = page.css("#placement-history tbody tr")[:2]
    assert {row.css("td")[3].text(strip=True).split(" ")[0] for row in newest} == {
        "ajouté",
        "retiré",
    }


def test_a_revert_that_meets_another_edit_moves_nothing_until_the_editor_has_looked(
    remi, administrator, occitanie_resource
):
    client = client_for(remi)
    first, before = occitanie_resource.history.first(), placements_of(occitanie_resource)
    form = client.get(version_url(occitanie_resource, first)).context["adminform"].form
    kept = occitanie_resource.placements.get()
    place(
        client_for(administrator),
        occitanie_resource,
        {"id": kept.pk, "section": kept.section_id, "group": "Groupe d’Agnès", "order": 1},
    )
    meanwhile = placements_of(occitanie_resource)

    conflict = client.post(version_url(occitanie_resource, first), _form_payload(form))

    assert conflict.status_code == 200
    assert "rien n’a été enregistré" in conflict.content.decode()
    assert placements_of(occitanie_resource) == meanwhile
    redisplayed = conflict.context["adminform"].form.data
    saved = client.post(version_url(occitanie_resource, first), redisplayed)
    assert saved.status_code == 302
    assert placements_of(occitanie_resource) == before


def test_a_regional_editor_of_another_region_cannot_revert_the_placements(
    remi, chloe, occitanie_resource
):
    first = occitanie_resource.history.first()
    moved = occitanie_resource.placements.get()
    place(
        client_for(remi),
        occitanie_resource,
        {"id": moved.pk, "section": section("hopital").pk, "group": "", "order": 2},
    )
    version = version_url(occitanie_resource, first)

    refused = [
        client_for(chloe).get(version).status_code,
        client_for(chloe).post(version, resource_data(occitanie_resource)).status_code,
        client_for(chloe).get(url(Resource, occitanie_resource.pk, "history")).status_code,
    ]

    assert refused == [403, 403, 403]
    assert placements_of(occitanie_resource) == [("hopital", "", 2)]


def test_a_placement_whose_section_is_gone_stays_out_and_the_editor_is_told(
    remi, occitanie_resource
):
    client = client_for(remi)
    kept = occitanie_resource.placements.get()
    fields = {"id": kept.pk, "section": kept.section_id, "group": kept.group, "order": kept.order}
    doomed = Section.objects.create(slug="ancienne-rubrique", title="Ancienne rubrique", order=99)
    place(client, occitanie_resource, fields, {"section": doomed.pk, "group": "", "order": 1})
    both = occitanie_resource.history.first()
    left = occitanie_resource.placements.get(section=doomed)
    place(client, occitanie_resource, fields, {"id": left.pk, "section": doomed.pk, "DELETE": "on"})
    doomed.delete()

    response = revert(client, occitanie_resource, both)

    assert response.status_code == 302
    assert placements_of(occitanie_resource) == [(kept.section.slug, kept.group, kept.order)]
    told = [str(message) for message in get_messages(response.wsgi_request)]
    assert "Emplacement non rétabli : Ancienne rubrique (section supprimée)." in told


def test_a_placement_without_any_history_is_left_where_it_is(remi, occitanie_resource):
    client = client_for(remi)
    first = occitanie_resource.history.first()
    Placement.objects.bulk_create(  # no history: as another tool or an old database would
        [Placement(resource=occitanie_resource, section=section("officine"), order=3)]
    )
    before = placements_of(occitanie_resource)

    response = revert(client, occitanie_resource, first)

    assert response.status_code == 302
    assert placements_of(occitanie_resource) == before


def test_the_diff_reads_in_french_with_labels_dates_and_empty_values(remi, occitanie_resource):
    client = client_for(remi)
    client.post(
        url(Resource, occitanie_resource.pk),
        resource_data(occitanie_resource, status="archived", description=""),
    )

    page = client.get(url(Resource, occitanie_resource.pk, "history"))

    rows = HTMLParser(page.text).css("#change-history tbody tr")
    changes = [" ".join(li.text().split()) for li in rows[0].css("li")]
    assert "statut: en vigueur → archivée" in [c.lower() for c in changes]
    assert any(c.startswith("Description:") and c.endswith("→ (vide)") for c in changes)
    stored = Resource.objects.get(pk=occitanie_resource.pk)
    french = date_format(timezone.localtime(stored.changed_at), "j F Y à H:i:s")
    assert any(c.startswith("Modifiée le:") and c.endswith(f"→ {french}") for c in changes)
    placed = " ".join(rows[1].text().split())  # the fixture moved it from national to Occitanie
    assert "Région: (vide) → Occitanie" in placed and "un traitement" in placed


def test_an_old_version_is_named_in_the_back_office_s_words(administrator, occitanie_resource):
    first = occitanie_resource.history.earliest()

    page = client_for(administrator).get(version_url(occitanie_resource, first))

    crumbs = " ".join(HTMLParser(page.text).css_first(".breadcrumbs").text().split())
    when = date_format(timezone.localtime(first.history_date), "j F Y à H:i")
    assert crumbs.startswith("Accueil › Catalogue › Ressources › ")
    assert crumbs.endswith(f"Historique › Rétablir la version du {when}")
    assert f"Voici la version du {when}." in page.text
