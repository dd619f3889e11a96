"""The back-office (the Django admin, for administrators, and the editors'
workspace) applies the catalog's one rule for text and addresses: what it
saves, `dump-pack` writes and `load-pack` reads back."""

from io import StringIO

from django.core.management import call_command

from sommaire.catalog.models import Contact, GlossaryTerm, Region, Resource, Section
from tests.editors.backoffice import (
    client_for,
    contact_data,
    placement_forms,
    resource_data,
    section_data,
    url,
)


def test_it_refuses_an_ftp_address_and_says_what_to_write(administrator):
    response = client_for(administrator).post(
        url(Resource), resource_data(url="ftp://ftp.esante.gouv.fr/guide.pdf")
    )

    assert response.status_code == 200
    assert "protocole refusé (ftp:)" in response.content.decode()
    assert not Resource.objects.filter(key="webinaire-regional-ins").exists()


def test_it_refuses_a_private_address_for_a_contact_site(remi):
    occitanie = Region.objects.get(code="OCC")

    response = client_for(remi).post(
        "/gestion/contacts/nouveau/",
        contact_data(region=occitanie.pk, url="http://192.168.1.20/annuaire"),
    )

    assert response.status_code == 200
    assert "hôte local, privé ou réservé" in response.content.decode()
    assert not Contact.objects.filter(name="Référent INS").exists()


def test_it_refuses_a_description_longer_than_five_thousand_characters(administrator):
    response = client_for(administrator).post(url(Resource), resource_data(description="x" * 5001))

    assert response.status_code == 200
    assert "5\u202f000 au plus" in response.content.decode()
    assert not Resource.objects.filter(key="webinaire-regional-ins").exists()


def test_text_pasted_from_word_is_stored_clean(administrator):
    client_for(administrator).post(
        url(Resource),
        resource_data(
            title="Guide\x0bINS\x1b",
            description="Premier point\x0bSecond\u2028point\x7f",
        ),
    )

    resource = Resource.objects.get(key="webinaire-regional-ins")
    assert resource.title == "Guide INS"
    assert resource.description == "Premier point\nSecond\npoint\n"


def test_a_section_intro_and_a_glossary_definition_follow_the_same_rule(administrator):
    section = Section.objects.get(slug="hopital")

    client_for(administrator).post(
        url(Section, section.pk), section_data(section, intro="Un\x0bdeux", title="Hôp\x07ital")
    )

    section.refresh_from_db()
    assert (section.title, section.intro) == ("Hôpital", "Un\ndeux\n")
    term = GlossaryTerm.objects.create(term="X", expansion="a", definition="b" * 6000)
    assert "definition" in _errors(term)


def test_what_the_back_office_saves_survives_dump_pack_then_load_pack(administrator, tmp_path):
    hopital = Section.objects.get(slug="hopital")
    posted = resource_data(title="Guide\x0bINS", description="Un\x0bdeux\u2029trois")
    posted.update(placement_forms({"section": hopital.pk, "group": "Guides\x0b", "order": 9}))
    client_for(administrator).post(url(Resource), posted)

    call_command("dump-pack", str(tmp_path / "first"), stdout=StringIO())
    call_command("load-pack", str(tmp_path / "first"), stdout=StringIO())
    call_command("dump-pack", str(tmp_path / "second"), stdout=StringIO())

    first, second = _files(tmp_path / "first"), _files(tmp_path / "second")
    assert first == second
    assert "description: |-\n    Un\n    deux\n    trois\n" not in first["resources/hopital.yaml"]
    assert "description: |\n    Un\n    deux\n    trois\n" in first["resources/hopital.yaml"]


def _files(directory) -> dict[str, str]:
    return {
        p.relative_to(directory).as_posix(): p.read_text(encoding="utf-8")
        for p in directory.rglob("*.yaml")
    }


def _errors(instance) -> dict:
    from django.core.exceptions import ValidationError

    try:
        instance.full_clean()
    except ValidationError as error:
        return error.message_dict
    return {}
