"""Presentations (python-pptx): one passage per slide, its text boxes and tables in order."""

import io

from pptx import Presentation
from pptx.exc import PackageNotFoundError

from sommaire.documents.extractors import MAX_PIECE, Extraction, ExtractionError, Piece, clean

FORMATS = ("pptx",)
UNIT = "diapositive"


def extract(data: bytes) -> Extraction:
    try:
        presentation = Presentation(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise ExtractionError(f"présentation endommagée ou illisible ({exc})") from None
    pieces, count = [], 0
    for number, slide in enumerate(presentation.slides, start=1):
        count = number
        lines = [line for shape in slide.shapes for line in _shape_lines(shape)]
        if slide.has_notes_slide:
            lines.append(clean(slide.notes_slide.notes_text_frame.text))
        text = " ".join(line for line in lines if line)
        if text:
            pieces.append(Piece(text[:MAX_PIECE], slide=number))
    return Extraction(pieces, count)


def _shape_lines(shape) -> list[str]:
    if shape.shape_type is not None and hasattr(shape, "shapes"):  # a group
        return [line for inner in shape.shapes for line in _shape_lines(inner)]
    if getattr(shape, "has_table", False) and shape.has_table:
        return [
            " · ".join(clean(cell.text) for cell in row.cells if clean(cell.text))
            for row in shape.table.rows
        ]
    if getattr(shape, "has_text_frame", False) and shape.has_text_frame:
        return [clean(p.text) for p in shape.text_frame.paragraphs]
    return []
