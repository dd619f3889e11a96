"""Spreadsheets (python-calamine: xlsx, xls, ods): one passage per row.

The header row of each sheet names the cells: a row becomes its cells as
fields ("Identifiant" -> "EX_3.1-1040") and the text "Identifiant :
EX_3.1-1040 · Exigence : ...". A requirement identifier among the cells
is kept apart, to be found whole as a code. Row numbers are the ones the
spreadsheet shows (1 is the first row of the sheet).
"""

import datetime
import io

from python_calamine import CalamineError, CalamineWorkbook

from sommaire.documents.extractors import (
    MAX_PIECE,
    Extraction,
    ExtractionError,
    Piece,
    clean,
    identifier,
)

FORMATS = ("xlsx", "xls", "ods")
UNIT = "ligne"
HEADER_SEARCH = 10  # the header is among the first rows; title rows may come before it


def extract(data: bytes) -> Extraction:
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except CalamineError as exc:
        raise ExtractionError(_reason(exc)) from None
    pieces, units = [], 0
    for name in workbook.sheet_names:
        try:
            sheet = workbook.get_sheet_by_name(name)
            rows = sheet.to_python(skip_empty_area=False)
        except CalamineError as exc:
            raise ExtractionError(_reason(exc)) from None
        first_row = sheet.start[0] if sheet.start else 0
        rows = [[cell_text(value) for value in row] for row in rows]
        header_at = _header(rows)
        headers = rows[header_at] if header_at is not None else []
        for index, cells in enumerate(rows):
            if not any(cells):
                continue
            units += 1
            number = first_row + index + 1
            if index == header_at:
                continue
            fields = _fields(headers, cells) if header_at is not None and index > header_at else {}
            text = (
                " · ".join(f"{key} : {value}" for key, value in fields.items())
                if fields
                else " · ".join(c for c in cells if c)
            )
            pieces.append(
                Piece(
                    text[:MAX_PIECE],
                    sheet=name,
                    row=number,
                    identifier=identifier(fields or {str(i): c for i, c in enumerate(cells)}),
                    fields=fields,
                )
            )
    return Extraction(pieces, units)


def cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and not (value.hour or value.minute or value.second):
        return value.date().isoformat()
    if isinstance(value, datetime.date | datetime.datetime | datetime.time):
        return value.isoformat()
    return clean(str(value)) if value is not None else ""


def _header(rows: list[list[str]]) -> int | None:
    """The first row of two or more cells, all text: the names of the columns."""
    for index, cells in enumerate(rows[:HEADER_SEARCH]):
        filled = [c for c in cells if c]
        if len(filled) >= 2 and all(not c.replace(".", "").isdigit() for c in filled):
            return index
    return None


def _fields(headers: list[str], cells: list[str]) -> dict[str, str]:
    fields = {}
    for position, value in enumerate(cells):
        if not value:
            continue
        name = headers[position] if position < len(headers) and headers[position] else ""
        fields[name or f"colonne {position + 1}"] = value
    return fields


def _reason(exc: Exception) -> str:
    text = str(exc)
    if any(word in text.lower() for word in ("password", "encrypt")):
        return "classeur protégé par un mot de passe"
    return f"classeur endommagé ou illisible ({clean(text)[:200]})"
