"""OpenDocument text (odt), read from its content.xml: text under its heading path.

python-calamine reads OpenDocument spreadsheets, not text documents, and
the format is a zip of XML: the standard library is enough.
"""

import io
import zipfile
from xml.etree import ElementTree

from sommaire.documents.extractors import Extraction, ExtractionError, Piece, clean, running_text

FORMATS = ("odt",)
UNIT = "paragraphe"
SEPARATOR = " › "
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
MAX_XML = 64 * 1024 * 1024  # content.xml uncompressed: a zip bomb stops here


def extract(data: bytes) -> Extraction:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        info = archive.getinfo("content.xml")
        if info.file_size > MAX_XML:
            raise ExtractionError("document OpenDocument trop volumineux une fois décompressé")
        root = ElementTree.fromstring(archive.read(info))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError) as exc:
        raise ExtractionError(f"document OpenDocument endommagé ou illisible ({exc})") from None
    parts: list[tuple[str, list[str]]] = [("", [])]
    path: list[tuple[int, str]] = []
    units = 0
    for element in _blocks(root):
        text = clean("".join(element.itertext()))
        if not text:
            continue
        units += 1
        if element.tag == f"{{{TEXT}}}h":
            level = int(element.get(f"{{{TEXT}}}outline-level", "1") or 1)
            path = [(lvl, title) for lvl, title in path if lvl < level] + [(level, text)]
            parts.append((SEPARATOR.join(title for _, title in path), []))
        else:
            parts[-1][1].append(text)
    pieces = [
        Piece(piece, heading=heading)
        for heading, paragraphs in parts
        for piece in running_text(paragraphs or ([heading] if heading else []))
    ]
    return Extraction(pieces, units)


def _blocks(element):
    """Headings, paragraphs and table rows, in document order, outermost only."""
    for child in element:
        if child.tag in (f"{{{TEXT}}}h", f"{{{TEXT}}}p", f"{{{TABLE}}}table-row"):
            yield child
        else:
            yield from _blocks(child)
