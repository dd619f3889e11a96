"""Relevance: what readers type, and the document that must come in the first five.

Queries are written as readers write them: no accents, acronyms or their
expansion, everyday words, typos, document codes, questions. Expectations
name documents by a distinctive part of their address (more stable than keys
while the pack is edited); where several documents answer the reader equally
well (the overview documents of a programme), any one of them will do. The
suite runs on both backends.
"""

import pytest

from sommaire.search import services

TOP = 5
SUN_ES_OVERVIEW = ("sun_es__presentation_detaillee.pdf", "/segur-de-la-sante/sun-es")
MEDICO_SOCIAL_OVERVIEW = (
    "FICHE-PRATIQUE-SEGUR-NUMERIQUE-MEDICO-SOCIAL.pdf",
    "infographie-segur-numerique-medico-social.pdf",
    "/segur/medico-social",
    "/faq?field_cible=619",
)
MSSANTE_OVERVIEW = ("/offres-services/mssante", "/documents/mssante.pdf", "www.mssante.fr/")

QUERIES = [
    # document codes and acronyms
    ("DSR-HOP-DPI-Va1", "/DSR-HOP-DPI-Va1.pdf"),
    ("dsr-hop-dpi-va1", "/DSR-HOP-DPI-Va1.pdf"),
    ("JORFTEXT000043934117", "/JORFTEXT000043934117"),
    ("REM-MDV-LGC-Va1", "/REM-MDV-LGC-Va1.xlsx"),
    ("dsr dpi", "/DSR-HOP-DPI-Va1.pdf"),
    ("rem lgc", "/REM-MDV-LGC-Va1.xlsx"),
    ("LOINC", "/dsr-bio-loinc-va1.pdf"),
    ("datamatrix ins", "/ANS_Datamatrix_INS_v2.2.pdf"),
    ("CI-SIS", "/offres-services/ci-sis"),
    ("ci sis", "/offres-services/ci-sis"),
    ("presentation du programme sun es", SUN_ES_OVERVIEW),
    ("e-cps", "/produits-et-services/e-cps"),
    ("ecps", "/produits-et-services/e-cps"),
    ("MSSante", MSSANTE_OVERVIEW),
    # acronym for expansion and the reverse
    ("INS", "/offres-services/referentiel-ins"),
    ("identite nationale de sante", "/offres-services/referentiel-ins"),
    ("identifiant national de sante", "Identifiant_National_de_Sant"),
    ("dossier medical partage", "/dmp-en-pratique"),
    ("messagerie securisee de sante", MSSANTE_OVERVIEW),
    ("cadre d'interoperabilite", "/offres-services/ci-sis"),
    ("plateforme d'intermediation", "/DSR-HOP-PFI-Va1.pdf"),
    ("dossier patient informatise dsr", "/DSR-HOP-DPI-Va1.pdf"),
    # everyday words (synonyms of the content pack)
    ("pharmacie", "FICHE-PRATIQUE-SEGUR-NUMERIQUE-OFFICINE.pdf"),
    ("logiciel de pharmacie dsr", "/dsr-pha-lgo-va1.pdf"),
    ("labo", "FICHE-PRATIQUE-SEGUR-NUMERIQUE-LABOS.pdf"),
    ("certificats labo", "segur-numerique-biologie-guide-certificats.pdf"),
    ("imagerie", "FICHE-PRATIQUE-SEGUR-NUMERIQUE-RADIOLOGIE.pdf"),
    ("imagerie dsr", "/DSR-RAD-RIS-Va1.pdf"),
    ("ehpad", MEDICO_SOCIAL_OVERVIEW),
    ("ehpad messagerie", "fiche-usage_ehpad.pdf"),
    ("maison de retraite", MEDICO_SOCIAL_OVERVIEW),
    ("medecin generaliste arrete", "/JORFTEXT000043934133"),
    ("simulateur financement hopital", "segur_numerique_hopital_fichier_calcul.xlsx"),
    ("questions frequentes pharmacie", "/faq?field_cible=625"),
    # without accents, plurals, elisions
    ("biologie medicale", "FICHE-PRATIQUE-SEGUR-NUMERIQUE-LABOS.pdf"),
    ("arrete officine", "/JORFTEXT000045159654"),
    ("identitovigilance etablissements de sante", "rniv-2-identitovigilance"),
    ("rniv acteurs liberaux", "RNIV%204%20acteurs"),
    ("l'auto-homologation de l'INS", "ANS_INS_procedure_auto-homologation.pptx"),
    ("mise en oeuvre ins", "ANS_Mettre_en_oeuvre_INS_VF.pptx"),
    # typos
    ("oficine", "FICHE-PRATIQUE-SEGUR-NUMERIQUE-OFFICINE.pdf"),
    ("radiolgie", "FICHE-PRATIQUE-SEGUR-NUMERIQUE-RADIOLOGIE.pdf"),
    ("identitovigilence", "rniv-0-points-essentiels"),
    ("certifcats hopital", "segur-numerique-hopital-guide-certificats.pdf"),
    # questions as readers ask them
    ("comment commander des certificats pour mon labo", "biologie-guide-certificats.pdf"),
    ("ou trouver la liste des solutions referencees", "/solutions-referencees-segur"),
    ("poser une question equipe segur hopital", "sous-theme=h%C3%B4pital"),
    ("devis des editeurs", "segur-numerique-note-devis-editeurs.pdf"),
    ("achat pour compte asp", "/segur-du-numerique-en-sante-financement-lequipement"),
    ("reprise des documents historiques dpi vers dmp", "reprise_documents_historiques"),
    ("instruction sun-es volet 2", "instruction_dgos_9_fevrier_2022.pdf"),
    ("kit chef de projet", "/publication/2739"),
    ("dui esms", "/2796-kit-deploiement-du-dui-en-esms"),
    ("commande de cartes cpx", "ANS_Fiche_commande_CPx_VF_1_1.pdf"),
    ("webinaires segur", "/les-webinaires"),
]


def first_urls(text: str) -> list[str]:
    return [hit.resource.url for hit in services.describe(services.search(text, TOP).hits)]


def test_the_suite_has_enough_queries():
    assert len(QUERIES) >= 40
    assert len({q for q, _ in QUERIES}) == len(QUERIES)


@pytest.mark.parametrize("text, expected", QUERIES, ids=[q for q, _ in QUERIES])
def test_the_expected_document_is_in_the_first_five(segur, text, expected):
    urls = first_urls(text)
    accepted = (expected,) if isinstance(expected, str) else expected

    assert any(part in url for url in urls for part in accepted), f"{text!r}: {urls}"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("DSR-HOP-DPI-Va1", "/DSR-HOP-DPI-Va1.pdf"),
        ("JORFTEXT000043934117", "/JORFTEXT000043934117"),
        ("REM-MDV-LGC-Va1", "/REM-MDV-LGC-Va1.xlsx"),
    ],
)
def test_an_exact_document_code_comes_first(segur, text, expected):
    assert first_urls(text)[0].endswith(expected)
