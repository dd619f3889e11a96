"""deadlines.yaml: dated steps of a section and a wave, each with its official source."""

import datetime as dt

from sommaire.catalog.models import Deadline
from sommaire.catalog.pack import read_pack
from tests.catalog.packs import write_pack
from tests.catalog.test_load_pack import load, load_errors
from tests.conftest import SEGUR_PACK

DEADLINES = """\
- slug: dpi-solde
  section: hopital
  wave: vague-1
  label: Dépôt des demandes de paiement du solde
  date: "2023-12-14"
  source: https://industriels.esante.gouv.fr/en/node/850
- slug: dpi-dossier
  section: hopital
  wave: vague-1
  label: Dépôt du dossier administratif
  date: 2025-09-10
  time: "12:00"
  source: https://industriels.esante.gouv.fr/en/node/850
"""


def test_it_loads_dates_times_and_sources(empty_catalog, tmp_path):
    load(write_pack(tmp_path, deadlines=DEADLINES))

    solde = Deadline.objects.get(slug="dpi-solde")
    assert (solde.section.slug, solde.wave.slug) == ("hopital", "vague-1")
    assert (solde.date, solde.time) == (dt.date(2023, 12, 14), None)
    dossier = Deadline.objects.get(slug="dpi-dossier")
    assert (dossier.date, dossier.time) == (dt.date(2025, 9, 10), dt.time(12, 0))
    assert dossier.source == "https://industriels.esante.gouv.fr/en/node/850"


def test_a_deadline_without_its_source_is_refused(empty_catalog, tmp_path):
    deadlines = DEADLINES.replace(
        "  source: https://industriels.esante.gouv.fr/en/node/850\n- slug: dpi-dossier",
        "- slug: dpi-dossier",
    )

    errors = load_errors(write_pack(tmp_path, deadlines=deadlines))

    assert "deadlines.yaml:1: source: missing: this field is required" in errors
    assert not Deadline.objects.exists()


def test_a_date_or_a_time_that_cannot_be_read_says_how_to_write_it(empty_catalog, tmp_path):
    deadlines = DEADLINES.replace('"2023-12-14"', '"14/12/2023"').replace('"12:00"', '"midi"')

    errors = load_errors(write_pack(tmp_path, deadlines=deadlines))

    assert "deadlines.yaml:5: date: '14/12/2023': write the date as \"2027-12-15\"" in errors
    assert "deadlines.yaml:12: time: 'midi': write the Paris time as \"12:00\"" in errors


def test_unknown_sections_and_waves_are_named(empty_catalog, tmp_path):
    deadlines = DEADLINES.replace("section: hopital", "section: clinique", 1).replace(
        "wave: vague-1\n  label: Dépôt du dossier", "wave: vague-9\n  label: Dépôt du dossier"
    )

    errors = load_errors(write_pack(tmp_path, deadlines=deadlines))

    assert "deadlines.yaml:2: section: unknown section 'clinique'" in errors
    assert "deadlines.yaml:9: wave: unknown wave 'vague-9'" in errors


def test_the_segur_pack_dates_each_come_from_an_official_page():
    deadlines = read_pack(SEGUR_PACK).deadlines

    by_slug = {d.slug: d for d in deadlines}
    solde = by_slug["drimbox-v2-solde"]
    assert (solde.date, solde.time) == (dt.date(2027, 12, 15), dt.time(12, 0))
    official = ("https://industriels.esante.gouv.fr/", "https://esante.gouv.fr/")
    assert all(d.source.startswith(official) for d in deadlines)
