"""/gestion/contacts/: the contacts of the editor's regions, created and changed within them."""

from sommaire.catalog.models import Contact, Region
from tests.workspace.conftest import html, signed_in

CONTACTS = "/gestion/contacts/"


def contact_in(code: str, name: str = "Référent INS") -> Contact:
    return Contact.objects.create(region=Region.objects.get(code=code), name=name)


def posted(contact: Contact | None = None, **changes) -> dict:
    values = {
        "name": "Référente DMP",
        "organisation": "ARS Occitanie",
        "source": "https://contacts.example.org/occitanie",
        "order": 0,
    }
    if contact is not None:
        values.update(
            region=contact.region_id,
            name=contact.name,
            organisation=contact.organisation,
            order=contact.order,
            expected_revision=contact.revision,
        )
    values.update(changes)
    return values


def test_a_regional_editor_lists_the_contacts_of_their_regions_only(remi, chloe):
    mine, theirs = contact_in("OCC", "Référent Occitanie"), contact_in("BRE", "Référent Bretagne")

    names = [h.text() for h in html(signed_in(remi).get(CONTACTS)).css("h3")]

    assert mine.name in names and theirs.name not in names


def test_a_contact_created_in_their_region_is_kept_with_its_author(remi):
    occitanie = Region.objects.get(code="OCC")

    response = signed_in(remi).post(f"{CONTACTS}nouveau/", posted(region=occitanie.pk))

    assert response.status_code == 302
    contact = Contact.objects.get(name="Référente DMP")
    assert contact.region == occitanie
    assert contact.history.latest().history_user == remi


def test_another_region_is_no_choice_and_nothing_is_saved(remi):
    brittany = Region.objects.get(code="BRE")

    response = signed_in(remi).post(f"{CONTACTS}nouveau/", posted(region=brittany.pk))

    assert response.status_code == 200
    assert response.context["form"].errors["region"]
    assert not Contact.objects.filter(name="Référente DMP").exists()
    assert [
        o.text() for o in html(response).css("#id_region option") if o.text() != "---------"
    ] == ["Occitanie"]


def test_a_contact_of_another_region_cannot_be_opened_or_changed(remi):
    theirs = contact_in("BRE")
    client = signed_in(remi)

    assert client.get(f"{CONTACTS}{theirs.pk}/").status_code == 403
    assert client.post(f"{CONTACTS}{theirs.pk}/", posted(theirs, name="Pris")).status_code == 403
    assert Contact.objects.get(pk=theirs.pk).name == "Référent INS"


def test_a_save_over_someone_else_s_shows_what_changed_and_saves_nothing(remi):
    contact = contact_in("OCC")
    stale = posted(contact, name="Mon nom")
    Contact.objects.filter(pk=contact.pk).update(revision=contact.revision + 1)

    response = signed_in(remi).post(f"{CONTACTS}{contact.pk}/", stale)

    assert response.status_code == 200
    assert Contact.objects.get(pk=contact.pk).name == "Référent INS"


def test_the_form_offers_every_field_of_the_contact(remi):
    form = signed_in(remi).get(f"{CONTACTS}nouveau/").context["form"]

    editable = {f.name for f in Contact._meta.concrete_fields if f.editable and not f.primary_key}
    assert editable <= set(form.fields)


def test_an_editor_of_one_region_finds_it_already_chosen(remi):
    form = signed_in(remi).get(f"{CONTACTS}nouveau/").context["form"]

    assert form["region"].value() == Region.objects.get(code="OCC").pk
