"""Each extractor on a real file made in the test: text cut into passages that keep their place."""

import pytest

from sommaire.documents.extractors import ExtractionError, detect, extract
from tests.documents import files


def test_a_pdf_gives_passages_with_their_page_number():
    data = files.pdf(["Le calendrier du couloir.", "Date limite de dépôt : 25 novembre 2026."])

    fmt, extraction = extract(data)

    assert fmt == "pdf"
    assert extraction.units == 2
    assert [(p.page, p.text) for p in extraction.pieces] == [
        (1, "Le calendrier du couloir."),
        (2, "Date limite de dépôt : 25 novembre 2026."),
    ]


def test_a_long_pdf_page_is_cut_between_words_and_every_piece_keeps_the_page():
    paragraph = "Le logiciel transmet le document au dossier médical partagé. " * 30

    _, extraction = extract(files.pdf(["Court.", paragraph]))

    on_page_two = [p for p in extraction.pieces if p.page == 2]
    assert len(on_page_two) >= 2
    assert all(len(p.text) <= 1200 for p in on_page_two)
    assert {word for p in on_page_two for word in p.text.split()} <= set(paragraph.split())


def test_a_rem_row_is_one_passage_with_its_cells_as_fields_and_its_identifier():
    _, extraction = extract(files.rem())

    row = next(p for p in extraction.pieces if p.identifier == "EX_3.1-1040")
    assert (row.sheet, row.row) == ("Exigences", 5)
    assert row.fields == {
        "Identifiant": "EX_3.1-1040",
        "Exigence": "Le logiciel alimente le DMP du patient après chaque séjour.",
        "Scénario de conformité": "SC-04",
    }
    assert row.text.startswith("Identifiant : EX_3.1-1040 · Exigence : Le logiciel alimente")


def test_a_spreadsheet_header_row_names_the_cells_and_is_no_passage():
    _, extraction = extract(files.rem())

    places = [(p.sheet, p.row) for p in extraction.pieces]
    assert ("Exigences", 3) not in places  # the header
    assert ("Exigences", 1) in places  # the title row above it stays searchable
    assert ("Lisez-moi", 2) in places  # every sheet is read
    readme = next(p for p in extraction.pieces if p.sheet == "Lisez-moi")
    assert readme.fields == {"Version": "Va1", "Date": "2026-11-25"}


def test_a_docx_passage_keeps_its_heading_path():
    data = files.docx_file(
        [
            ("h1", "Exigences"),
            ("p", "Introduction des exigences."),
            ("h2", "Identité"),
            ("p", "L’INS est qualifiée avant tout échange."),
            ("h1", "Annexes"),
            ("p", "Glossaire."),
        ]
    )

    fmt, extraction = extract(data)

    assert fmt == "docx"
    assert [(p.heading, p.text) for p in extraction.pieces] == [
        ("Exigences", "Introduction des exigences."),
        ("Exigences › Identité", "L’INS est qualifiée avant tout échange."),
        ("Annexes", "Glossaire."),
    ]


def test_a_docx_table_is_read_row_by_row():
    data = files.docx_file([("h1", "Tarifs"), ("table", "Logiciel|Montant;DPI|25 000 €")])

    _, extraction = extract(data)

    assert extraction.pieces[0].text == "Logiciel · Montant DPI · 25 000 €"


def test_a_pptx_gives_one_passage_per_slide_with_its_number():
    data = files.pptx_file(["Calendrier\nDépôt avant mars", "Financement\nMontant forfaitaire"])

    fmt, extraction = extract(data)

    assert fmt == "pptx"
    assert [(p.slide, p.text) for p in extraction.pieces] == [
        (1, "Calendrier Dépôt avant mars"),
        (2, "Financement Montant forfaitaire"),
    ]


def test_an_odt_passage_keeps_its_heading_path():
    data = files.odt([("h1", "Chapitre"), ("p", "Un."), ("h2", "Partie"), ("p", "Deux.")])

    fmt, extraction = extract(data)

    assert fmt == "odt"
    assert [(p.heading, p.text) for p in extraction.pieces] == [
        ("Chapitre", "Un."),
        ("Chapitre › Partie", "Deux."),
    ]


def test_a_csv_in_windows_1252_gives_rows_with_fields():
    data = files.csv_file([["Identifiant", "Libellé"], ["EX_1.2-0007", "Créer l’INS"]], "cp1252")

    fmt, extraction = extract(data, declared="csv")

    assert fmt == "csv"
    piece = extraction.pieces[0]
    assert (piece.row, piece.identifier) == (2, "EX_1.2-0007")
    assert piece.fields == {"Identifiant": "EX_1.2-0007", "Libellé": "Créer l’INS"}


def test_the_format_comes_from_the_bytes_not_the_name():
    assert detect(files.rem(), declared="xls") == "xlsx"
    assert detect(files.docx_file([("p", "x")]), declared="pdf") == "docx"


@pytest.mark.parametrize(
    "data, reason",
    [
        (files.pdf(["Confidentiel"], password="secret"), "PDF protégé par un mot de passe"),
        (files.truncated(files.pdf(["Une page", "Deux pages"])), "PDF endommagé"),
        (files.truncated(files.rem()), "fichier endommagé"),
        (files.truncated(files.docx_file([("p", "x")])), "fichier endommagé"),
        (b"<!DOCTYPE html><html><body>Connexion</body></html>", "page web reçue"),
        (b"PK\x03\x04" + b"\x00" * 40, "fichier endommagé"),
    ],
    ids=["encrypted-pdf", "truncated-pdf", "truncated-xlsx", "truncated-docx", "html", "bad-zip"],
)
def test_an_unreadable_file_gives_a_reason(data, reason):
    with pytest.raises(ExtractionError, match=reason):
        extract(data, declared="pdf")


@pytest.mark.parametrize(
    "declared, reason",
    [
        ("docx", "document Word protégé par un mot de passe"),
        ("xlsx", "classeur protégé par un mot de passe"),
        ("pptx", "présentation protégée par un mot de passe"),
        ("", "document Office protégé par un mot de passe"),
    ],
    ids=["docx", "xlsx", "pptx", "undeclared"],
)
def test_an_encrypted_office_file_is_named_from_its_declared_format(declared, reason):
    with pytest.raises(ExtractionError, match=f"^{reason}$"):
        extract(files.encrypted_office(), declared=declared)


def test_an_xls_whose_text_spells_encryptioninfo_is_still_an_xls():
    workbook = b"\x00" + "Voir le flux EncryptionInfo".encode("utf-16-le")

    assert detect(files.compound_file({"Workbook": workbook}), declared="xls") == "xls"


def test_a_zip_archive_is_refused_as_no_document():
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "texte")

    with pytest.raises(ExtractionError, match="archive zip"):
        extract(out.getvalue())
