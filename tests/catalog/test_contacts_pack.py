"""contacts.yaml: regional and national contacts, each with the official page it comes from."""

from sommaire.catalog.models import Contact
from sommaire.catalog.pack import read_pack
from tests.catalog.packs import write_pack
from tests.catalog.test_load_pack import load, load_errors
from tests.conftest import SEGUR_PACK

CONTACTS = """\
- region: OCC
  name: e-santé Occitanie
  role: GRADeS
  questions: L’accompagnement de proximité.
  url: https://esante-occitanie.fr/
  source: https://esante-occitanie.fr/actualites/bilan-et-perspectives-cpom
- name: Agence de services et de paiement (ASP)
  questions: Les paiements SONS.
  url: https://www.asp-public.fr/aides/segur
  source: https://www.asp-public.fr/aides/segur
  sections: [documentation-par-cible, officine]
"""


def test_it_loads_regional_and_national_contacts(empty_catalog, tmp_path):
    load(write_pack(tmp_path, contacts=CONTACTS))

    regional = Contact.objects.get(name="e-santé Occitanie")
    assert regional.region.code == "OCC" and regional.questions == "L’accompagnement de proximité."
    asp = Contact.objects.get(name__startswith="Agence de services")
    assert asp.region is None
    assert asp.source == "https://www.asp-public.fr/aides/segur"
    assert sorted(asp.sections.values_list("slug", flat=True)) == [
        "documentation-par-cible",
        "officine",
    ]


def test_a_contact_without_its_source_is_refused(empty_catalog, tmp_path):
    contacts = CONTACTS.replace(
        "  source: https://esante-occitanie.fr/actualites/bilan-et-perspectives-cpom\n", ""
    )

    errors = load_errors(write_pack(tmp_path, contacts=contacts))

    assert "contacts.yaml:1: source: missing: this field is required" in errors
    assert not Contact.objects.exists()


def test_a_source_must_be_a_web_page(empty_catalog, tmp_path):
    contacts = CONTACTS.replace(
        "source: https://www.asp-public.fr/aides/segur", "source: mailto:asp@example.org"
    )

    errors = load_errors(write_pack(tmp_path, contacts=contacts))

    assert "contacts.yaml:10: source: give the address of a web page (http or https)" in errors


def test_a_national_contact_names_the_sections_it_answers_for(empty_catalog, tmp_path):
    contacts = CONTACTS.replace("  sections: [documentation-par-cible, officine]\n", "")

    errors = load_errors(write_pack(tmp_path, contacts=contacts))

    assert "a national contact (no region) lists the sections it answers for" in errors


def test_an_unknown_section_is_named(empty_catalog, tmp_path):
    contacts = CONTACTS.replace("officine]", "pharmacie]")

    errors = load_errors(write_pack(tmp_path, contacts=contacts))

    assert "contacts.yaml:11: sections: unknown section(s) pharmacie" in errors


def test_reloading_a_changed_list_of_sections_updates_the_contact(empty_catalog, tmp_path):
    load(write_pack(tmp_path, contacts=CONTACTS))

    load(write_pack(tmp_path, contacts=CONTACTS.replace(", officine]", "]")))

    asp = Contact.objects.get(name__startswith="Agence de services")
    assert list(asp.sections.values_list("slug", flat=True)) == ["documentation-par-cible"]


def test_every_contact_of_the_segur_pack_has_an_official_source():
    contacts = read_pack(SEGUR_PACK).contacts

    assert contacts
    for contact in contacts:
        assert contact.source.startswith("https://"), contact.name
    national = {c.name for c in contacts if not c.region}
    assert "Agence de services et de paiement (ASP)" in national
    assert any(name.startswith("Équipes Ségur de l’ANS") for name in national)
