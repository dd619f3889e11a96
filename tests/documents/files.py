"""Real documents made in the test: PDF (fpdf2), XLSX (openpyxl), DOCX, PPTX, ODT, CSV.

Every file is generated from the text given, so a test says what is in it.
No binary of unknown origin is stored.
"""

import io
import zipfile

import docx
import openpyxl
from fpdf import FPDF
from pptx import Presentation
from pptx.util import Inches

FONT = "helvetica"  # a core PDF font: Latin-1, French without the typographic apostrophe


def pdf(pages: list[str], password: str = "") -> bytes:
    """One page per text; with a password, encrypted (the reader needs it to open)."""
    document = FPDF()
    document.set_font(FONT, size=11)
    for text in pages:
        document.add_page()
        for paragraph in text.replace("’", "'").split("\n\n"):
            document.multi_cell(0, 6, paragraph)
            document.ln(6)
    if password:
        document.set_encryption(owner_password=password + "-owner", user_password=password)
    return bytes(document.output())


def xlsx(sheets: dict[str, list[list]]) -> bytes:
    """Sheets by name, each a list of rows (the first row is row 1)."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def docx_file(blocks: list[tuple[str, str]]) -> bytes:
    """Blocks in order: ("h1", text), ("h2", text), ("p", text) or ("table", "a|b;c|d")."""
    document = docx.Document()
    for kind, text in blocks:
        if kind.startswith("h"):
            document.add_heading(text, level=int(kind[1:]))
        elif kind == "table":
            rows = [line.split("|") for line in text.split(";")]
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            for r, cells in enumerate(rows):
                for c, value in enumerate(cells):
                    table.cell(r, c).text = value
        else:
            document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pptx_file(slides: list[str]) -> bytes:
    """One slide per text: a title (the first line) and a text box (the rest)."""
    presentation = Presentation()
    for text in slides:
        title, _, body = text.partition("\n")
        slide = presentation.slides.add_slide(presentation.slide_layouts[5])
        slide.shapes.title.text = title
        box = slide.shapes.add_textbox(Inches(1), Inches(2), Inches(8), Inches(3))
        box.text_frame.text = body
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


ODT_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
<office:body><office:text>{}</office:text></office:body></office:document-content>"""


def odt(blocks: list[tuple[str, str]]) -> bytes:
    """A minimal valid OpenDocument text: ("h1", text) headings and ("p", text) paragraphs."""
    from xml.sax.saxutils import escape

    xml = "".join(
        f'<text:h text:outline-level="{kind[1:]}">{escape(text)}</text:h>'
        if kind.startswith("h")
        else f"<text:p>{escape(text)}</text:p>"
        for kind, text in blocks
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        # The mimetype comes first and is stored, as the specification asks.
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        archive.writestr("content.xml", ODT_CONTENT.format(xml), zipfile.ZIP_DEFLATED)
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>',
        )
    return out.getvalue()


def csv_file(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    return "\n".join(";".join(row) for row in rows).encode(encoding)


def truncated(data: bytes) -> bytes:
    """A corrupt copy: the first third of the bytes."""
    return data[: len(data) // 3]


REM_ROWS = [
    ["REM — Dossier Patient Informatisé, vague 1"],
    [],
    ["Identifiant", "Exigence", "Scénario de conformité"],
    ["EX_3.1-1010", "Le logiciel affiche l’identité nationale de santé qualifiée.", "SC-01"],
    ["EX_3.1-1040", "Le logiciel alimente le DMP du patient après chaque séjour.", "SC-04"],
    ["EX_3.1-1050", "Le logiciel envoie la lettre de liaison par messagerie sécurisée.", "SC-05"],
]


def rem() -> bytes:
    """A small REM: a title row, a blank row, the header on row 3, a requirement per row."""
    return xlsx({"Exigences": REM_ROWS, "Lisez-moi": [["Version", "Date"], ["Va1", "2026-11-25"]]})
