"""Word documents (python-docx): running text under its heading path.

Each heading ("Titre 1", "Heading 2", ...) opens a part; its path
("Exigences › Identité") is the passage's place. Tables are read in
document order, a row per line.
"""

import io

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph

from sommaire.documents.extractors import Extraction, ExtractionError, Piece, clean, running_text

FORMATS = ("docx",)
UNIT = "paragraphe"
SEPARATOR = " › "


def extract(data: bytes) -> Extraction:
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise ExtractionError(f"document Word endommagé ou illisible ({exc})") from None
    parts: list[tuple[str, list[str]]] = [("", [])]
    path: list[tuple[int, str]] = []
    units = 0
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines = [
                " · ".join(clean(c.text) for c in row.cells if clean(c.text)) for row in block.rows
            ]
            parts[-1][1].extend(line for line in lines if line)
            units += len(block.rows)
            continue
        text = clean(block.text)
        if not text:
            continue
        units += 1
        level = heading_level(block)
        if level:
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


def heading_level(paragraph: Paragraph) -> int:
    """1 for "Heading 1" / "Titre 1", 0 for body text; the outline level when styles are renamed."""
    style = paragraph.style
    name = (style.name or "") if style is not None else ""
    words = name.split()
    if len(words) == 2 and words[0].lower() in ("heading", "titre") and words[1].isdigit():
        return int(words[1])
    if name.lower() == "title":
        return 1
    return 0
