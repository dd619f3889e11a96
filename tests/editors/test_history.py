"""Every change to a resource, section, glossary term or contact is kept: who, when,
what changed; it can be read as a diff and reverted."""

from io import StringIO

import pytest
from django.core.management import call_command
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from sommaire.catalog.models import Contact, GlossaryTerm, Placement, Region, Resource, Section
from tests.conftest import SEGUR_PACK
from tests.editors.backoffice import client_for, contact_data, resource_data, term_data, url


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
    revert_url = f"/gestion/catalog/resource/{occitanie_resource.pk}/history/{original.history_id}/"

    form = client.get(revert_url).context["adminform"].form
    records = occitanie_resource.history.count()
    response = client.post(revert_url, _form_payload(form))

    assert response.status_code == 302
    stored = Resource.objects.get(pk=occitanie_resource.pk)
    assert stored.title == occitanie_resource.title
    assert stored.history.count() == records + 1
    assert stored.history.first().history_user == remi


def _form_payload(form) -> dict:
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else value
    return data


def test_an_editor_cannot_revert_a_resource_that_left_their_region(
    remi, administrator, occitanie_resource
):
    when_it_was_remis = occitanie_resource.history.first()
    client_for(administrator).post(
        url(Resource, occitanie_resource.pk),
        resource_data(occitanie_resource, region=Region.objects.get(code="BRE").pk),
    )
    revert_url = (
        f"/gestion/catalog/resource/{occitanie_resource.pk}/history/{when_it_was_remis.history_id}/"
    )

    response = client_for(remi).post(revert_url, resource_data(occitanie_resource))

    assert response.status_code == 403
    assert Resource.objects.get(pk=occitanie_resource.pk).region.code == "BRE"


def test_contacts_and_glossary_terms_are_kept_too(remi, nadia, segur):
    client_for(remi).post(
        url(Contact),
        contact_data(region=Region.objects.get(code="OCC").pk, name="GRADeS e-santé Occitanie"),
    )
    term = GlossaryTerm.objects.get(term="INS")
    client_for(nadia).post(url(GlossaryTerm, term.pk), term_data(term, definition="Revu."))

    contact = Contact.objects.get(name="GRADeS e-santé Occitanie")
    assert contact.history.get().history_user == remi
    assert term.history.first().history_user == nadia
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
