"""Text extractors, one module per kind of file, each with the same shape:

    FORMATS = ("pdf",)           # the formats it reads (see `detect`)
    UNIT = "page"                # what `Extraction.units` counts
    def extract(data: bytes) -> Extraction

`extract` returns the pieces of text with their place, or raises
`ExtractionError` with a reason a reader can act on (corrupt, encrypted,
empty). Adding a format is copying a module and editing it, then naming it
in `MODULES`.

`detect` says what a file is from its first bytes, not from its name or the
server's Content-Type: a .xls that is really an .xlsx is read as one, and
an HTML page served under a .pdf address (a login wall, an error page) is
refused with a clear reason.
"""

import io
import re
import zipfile
from dataclasses import dataclass, field

PIECE_LENGTH = 1200  # characters of running text per passage, about a paragraph or two
MAX_PIECE = 4000  # a spreadsheet row or a slide longer than this is cut


class ExtractionError(Exception):
    """A file that gives no text, with the reason (in French: readers and editors see it)."""


@dataclass
class Piece:
    """A passage before it is stored: its text and its place in the document."""

    text: str
    page: int | None = None
    sheet: str = ""
    row: int | None = None
    slide: int | None = None
    heading: str = ""
    identifier: str = ""
    fields: dict = field(default_factory=dict)


@dataclass
class Extraction:
    pieces: list[Piece]
    units: int  # pages, rows, slides or paragraphs read


def clean(text: str) -> str:
    """One line of plain text: controls and runs of spaces made single spaces."""
    return " ".join(text.replace("\x00", " ").split())


def running_text(paragraphs, limit: int = PIECE_LENGTH) -> list[str]:
    """Paragraphs joined into pieces of about `limit` characters, cut between words."""
    pieces, current = [], ""
    for paragraph in paragraphs:
        paragraph = clean(paragraph)
        if not paragraph:
            continue
        if current and len(current) + len(paragraph) + 1 > limit:
            pieces.append(current)
            current = ""
        current = f"{current} {paragraph}" if current else paragraph
        while len(current) > limit:
            cut = current.rfind(" ", 0, limit)
            cut = cut if cut > limit // 2 else limit
            pieces.append(current[:cut].strip())
            current = current[cut:].strip()
    if current:
        pieces.append(current)
    return pieces


# A requirement identifier: letters, then digits, joined by _ - . (EX_3.1-1040,
# SC_DMP-012, EXI-DPI-45): no spaces, at least one letter and one digit.
IDENTIFIER = re.compile(r"^(?=[^\s]*\d)[A-Za-z][A-Za-z0-9]*(?:[-_.][A-Za-z0-9]+)+$")
IDENTIFIER_HEADERS = re.compile(
    r"^(id|identifiant|r[ée]f[ée]rence|r[ée]f|code|n°|num[ée]ro)\b", re.I
)


def identifier(cells: dict[str, str]) -> str:
    """The row's requirement identifier: under an "Identifiant" header, else shaped like one."""
    for header, value in cells.items():
        if IDENTIFIER_HEADERS.match(header.strip()) and IDENTIFIER.match(value.strip()):
            return value.strip()
    for value in cells.values():
        if len(value) <= 100 and IDENTIFIER.match(value.strip()):
            return value.strip()
    return ""


# --- what a file is --------------------------------------------------------------

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An encrypted .docx/.xlsx/.pptx hides what it is: the catalog's word for it names it.
ENCRYPTED = {
    "docx": "document Word protégé par un mot de passe",
    "xlsx": "classeur protégé par un mot de passe",
    "xls": "classeur protégé par un mot de passe",
    "pptx": "présentation protégée par un mot de passe",
}
OPENDOCUMENT = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
}
OOXML = (("word/", "docx"), ("ppt/", "pptx"), ("xl/", "xlsx"))


def detect(data: bytes, declared: str = "") -> str:
    """The format of a file from its bytes: pdf, docx, xlsx, xls, ods, odt, pptx, csv.

    Raises ExtractionError for what is no document we read: an HTML page,
    an encrypted Office file, a zip archive.
    """
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(OLE):
        # Office encrypts .docx/.xlsx/.pptx into an OLE container with an
        # EncryptionInfo stream; a real .xls is an OLE container too.
        if _ole_entry(data, "EncryptionInfo"):
            raise ExtractionError(
                ENCRYPTED.get(declared, "document Office protégé par un mot de passe")
            )
        return "xls"
    if head.startswith(b"PK\x03\x04"):
        return _zip_format(data)
    text = head.lstrip().lower()
    if text.startswith((b"<!doctype html", b"<html")) or b"<html" in text[:200]:
        raise ExtractionError(
            "page web reçue au lieu du document (page d’erreur ou de connexion ?)"
        )
    if declared == "csv" or _looks_like_text(head):
        return "csv"
    raise ExtractionError("format de fichier non reconnu")


def _zip_format(data: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
        if "mimetype" in names:
            kind = OPENDOCUMENT.get(archive.read("mimetype").strip())
            if kind:
                return kind
        if "[Content_Types].xml" in names:
            for prefix, kind in OOXML:
                if any(name.startswith(prefix) for name in names):
                    return kind
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ExtractionError(f"fichier endommagé : archive illisible ({exc})") from None
    raise ExtractionError("archive zip : son contenu n’est pas lu, seulement les documents")


def _ole_entry(data: bytes, name: str) -> bool:
    """Whether an OLE container's directory has an entry of this name.

    An entry is 128 bytes, aligned on 128 in the file: its name in UTF-16
    with a final NUL, then at byte 64 that name's length. A real .xls whose
    cells spell the name is not taken for an encrypted file.
    """
    encoded = (name + "\x00").encode("utf-16-le")
    length = len(encoded).to_bytes(2, "little")
    found = data.find(encoded)
    while found != -1:
        if found % 128 == 0 and data[found + 64 : found + 66] == length:
            return True
        found = data.find(encoded, found + 1)
    return False


def _looks_like_text(head: bytes) -> bool:
    return b"\x00" not in head and bool(head.strip())


# --- the registry --------------------------------------------------------------------


def _modules():
    # Imported here, not at the top: each module imports the shared types above.
    from sommaire.documents.extractors import (
        delimited,
        opendocument,
        pdf,
        slides,
        spreadsheet,
        word,
    )

    return (pdf, spreadsheet, word, slides, opendocument, delimited)


def module_for(fmt: str):
    for module in _modules():
        if fmt in module.FORMATS:
            return module
    raise ExtractionError(f"format non pris en charge : {fmt}")


FORMATS = ("pdf", "xlsx", "xls", "ods", "docx", "pptx", "odt", "csv")


def extract(data: bytes, declared: str = "") -> tuple[str, Extraction]:
    """(format, extraction) of a file; ExtractionError with a reason when it gives none."""
    fmt = detect(data, declared)
    module = module_for(fmt)
    try:
        extraction = module.extract(data)
    except ExtractionError:
        raise
    except Exception as exc:  # a library's own error on a broken file: a reason, not a crash
        raise ExtractionError(f"fichier endommagé ou illisible ({fmt} : {_short(exc)})") from None
    return fmt, extraction


def _short(exc: Exception) -> str:
    text = clean(str(exc)) or type(exc).__name__
    return text[:200]
