"""The Ségur pack's own texts say what the source document says, no more.

Checked against the source (tests/data/sommaire-segur-numerique.txt) and the
programme's official pages; read from the YAML files, no database needed.
"""

import pytest

from sommaire.catalog.pack import read_pack
from tests.conftest import SEGUR_PACK


@pytest.fixture(scope="module")
def pack():
    return read_pack(SEGUR_PACK)


def section(pack, slug):
    return next(s for s in pack.sections if s.slug == slug)


def texts(pack) -> str:
    return "\n".join([s.intro for s in pack.sections] + [r.description for r in pack.resources])


def test_the_nine_arretes_are_those_of_vague_1(pack):
    arretes = [r for r in pack.resources if r.kind == "arrete"]

    assert len(arretes) == 9
    assert {r.wave for r in arretes} == {"vague-1"}


def test_an_arrete_whose_date_is_confirmed_carries_it_in_its_title(pack):
    # CNSA's page on the ESMS numérique programme names "l’arrêté du 2 février
    # 2022" for the DUI (PA, PH, domicile); the other eight stay undated until
    # an official page confirms their date.
    dui = next(r for r in pack.resources if r.key == "ms-dui-arrete")

    assert dui.title.startswith("Arrêté du 2 février 2022 — ")
    assert "12 février 2022" in dui.description


def test_the_sons_is_an_achat_pour_compte_not_the_purchase_of_software(pack):
    intro = section(pack, "referencement-sons").intro

    assert "l’acquisition de logiciels" not in intro
    assert "l’État paie directement l’éditeur" in intro and "achat pour compte" in intro


def test_no_couloir_is_promised_a_modele_de_convention_it_does_not_have(pack):
    intro = section(pack, "documentation-par-cible").intro

    assert "selon le couloir, modèle de convention" in intro
    conventions = {
        p.section for r in pack.resources if r.kind == "modele-de-convention" for p in r.placements
    }
    assert "hopital" not in conventions and "medico-social" not in conventions


@pytest.mark.parametrize(
    "claim",
    ["présentent chaque volet du programme", "chaque couloir et chaque service socle"],
)
def test_it_makes_no_claim_the_source_does_not_make_about_the_webinars(pack, claim):
    assert claim not in texts(pack)


def test_comprendre_le_segur_is_not_said_to_be_short(pack):
    comprendre = next(r for r in pack.resources if r.key == "segur-comprendre-le-segur")

    assert "en quelques pages" not in comprendre.description


def test_pages_dediees_are_in_pour_en_savoir_plus_last_in_their_section(pack):
    by_section: dict[str, list] = {}
    for resource in pack.resources:
        for placement in resource.placements:
            by_section.setdefault(placement.section, []).append(
                (placement.order, resource, placement)
            )
    for slug, placed in by_section.items():
        groups = [p.group for _, _, p in sorted(placed, key=lambda t: t[0])]
        for _, resource, placement in placed:
            # The ANS's pages; the ASP's has a group of its own ("Sur le site de l’ASP").
            if (
                resource.kind == "page-dediee"
                and resource.publisher == "ans"
                and slug != "sommaire"
            ):
                assert placement.group == "Pour en savoir plus", (slug, resource.key)
        if "Pour en savoir plus" in groups:
            assert groups[-1] == "Pour en savoir plus", slug
            assert groups.index("Pour en savoir plus") == len(groups) - groups.count(
                "Pour en savoir plus"
            ), slug


def test_rpps_has_its_current_name(pack):
    rpps = next(t for t in pack.glossary if t.term == "RPPS")

    assert rpps.expansion == (
        "Répertoire partagé des professionnels intervenant dans le système de santé"
    )


def test_the_ordre_des_pharmaciens_link_says_why_it_is_in_medecine_de_ville(pack):
    ordre = next(r for r in pack.resources if r.key == "ordre-logiciels-valides-dp")

    assert "Note de la rédaction" in ordre.description
    assert "Médecine de ville" in ordre.description


@pytest.mark.parametrize(
    "url",
    [
        "https://esante.gouv.fr/segur/vague2",
        "https://industriels.esante.gouv.fr/segur-numerique-sante/vague-1",
        "https://industriels.esante.gouv.fr/segur-numerique-sante/vague-2/dispositif-dpi-couloir-hopital",
        "https://industriels.esante.gouv.fr/segur-numerique-sante/vague-2/dispositif-lgc-couloir-medecin-ville",
        "https://industriels.esante.gouv.fr/segur-numerique-sante/vague-2/dispositif-drimbox-couloir-imagerie",
    ],
)
def test_the_second_wave_pages_are_watched(pack, url):
    assert url in {source.url for source in pack.sources}
