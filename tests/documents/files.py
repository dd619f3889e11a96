"""Real documents made in the test: PDF (fpdf2), XLSX (openpyxl), DOCX, PPTX, ODT, CSV,
and the OLE container of a password-protected Office file.

Every file is generated from the text given, so a test says what is in it.
No binary of unknown origin is stored.
"""

import io
import struct
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


SECTOR, MINI_SECTOR, MINI_CUTOFF = 512, 64, 4096
FREE, END_OF_CHAIN, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def encrypted_office() -> bytes:
    """What Office saves for a .docx, .xlsx or .pptx with a password to open it.

    The package is encrypted whole into an OLE container: an EncryptionInfo
    stream (version 4.4, "agile", then its XML) and an EncryptedPackage
    stream (the package's size, then ciphertext). Nothing says which of
    the three it was.
    """
    info = b"\x04\x00\x04\x00\x40\x00\x00\x00" + b'<?xml version="1.0"?><encryption/>'
    package = struct.pack("<Q", 6000) + bytes(range(256)) * 24
    return compound_file({"EncryptionInfo": info, "EncryptedPackage": package})


def compound_file(streams: dict[str, bytes]) -> bytes:
    """An OLE2 compound file (MS-CFB version 3, 512-byte sectors), its streams at the root.

    Layout: the FAT sectors, then the directory, the mini FAT, the mini
    stream (streams under 4096 bytes, in 64-byte sectors, as the format
    requires) and the larger streams, each in consecutive sectors. The
    directory's tree is every stream, in the format's name order, chained
    by right siblings, all black: the format allows a plain binary tree.
    """
    names = sorted(streams, key=lambda name: (len(name), name.upper()))
    small = [name for name in names if len(streams[name]) < MINI_CUTOFF]
    large = [name for name in names if name not in small]
    mini_fat, starts = [], {}
    for name in small:
        starts[name], mini_fat = _chain(mini_fat, _sectors(streams[name], MINI_SECTOR))
    mini_stream = b"".join(_padded(streams[name], MINI_SECTOR) for name in small)
    mini_fat_bytes = struct.pack(f"<{len(mini_fat)}I", *mini_fat)
    # The directory's size is known before its content, which needs the sectors.
    blobs = [bytes(128 * (len(names) + 1)), mini_fat_bytes, mini_stream]
    blobs += [streams[name] for name in large]
    used = sum(_sectors(blob, SECTOR) for blob in blobs)
    fat_count = 1
    while fat_count * SECTOR // 4 < used + fat_count:
        fat_count += 1
    fat, firsts = [FAT_SECTOR] * fat_count, []
    for blob in blobs:
        first, fat = _chain(fat, _sectors(blob, SECTOR))
        firsts.append(first)
    starts.update(zip(large, firsts[3:], strict=True))
    root = _entry("Root Entry", 5, firsts[2], len(mini_stream), child=1 if names else NO_STREAM)
    blobs[0] = root + b"".join(
        _entry(name, 2, starts[name], len(streams[name]), right=after)
        for name, after in zip(names, [*range(2, len(names) + 1), NO_STREAM], strict=True)
    )
    header = b"".join(
        [
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16),
            struct.pack("<5H6x", 0x3E, 3, 0xFFFE, 9, 6),
            struct.pack("<4I", 0, fat_count, firsts[0], 0),
            struct.pack(
                "<5I", MINI_CUTOFF, firsts[1], _sectors(mini_fat_bytes, SECTOR), END_OF_CHAIN, 0
            ),
            struct.pack("<109I", *range(fat_count), *[FREE] * (109 - fat_count)),
        ]
    )
    fat += [FREE] * (-len(fat) % (SECTOR // 4))
    sectors = b"".join(_padded(blob, SECTOR) for blob in blobs)
    return header + struct.pack(f"<{len(fat)}I", *fat) + sectors


def _sectors(data: bytes, size: int) -> int:
    return -(-len(data) // size)


def _padded(data: bytes, size: int) -> bytes:
    return data + bytes(-len(data) % size)


def _chain(table: list[int], count: int) -> tuple[int, list[int]]:
    """(first sector, table with a chain of `count` more sectors, one after the other)."""
    if not count:
        return END_OF_CHAIN, table
    first = len(table)
    return first, table + list(range(first + 1, first + count)) + [END_OF_CHAIN]


def _entry(name: str, kind: int, start: int, size: int, right=NO_STREAM, child=NO_STREAM) -> bytes:
    """A directory entry: kind 5 is the root, 2 a stream; colour 1 is black."""
    encoded = (name + "\x00").encode("utf-16-le")
    return b"".join(
        [
            encoded.ljust(64, b"\x00"),
            struct.pack("<HBB3I", len(encoded), kind, 1, NO_STREAM, right, child),
            bytes(36),  # class id, state bits, creation and modification times
            struct.pack("<IQ", start, size),
        ]
    )


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
