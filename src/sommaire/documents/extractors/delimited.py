"""CSV (standard library): one passage per row, cells named by the header row.

The encoding is UTF-8 (with or without BOM), else Windows-1252, which
French spreadsheets export; the delimiter is sniffed (; , tab |).
"""

import csv
import io

from sommaire.documents.extractors import MAX_PIECE, Extraction, ExtractionError, Piece, identifier
from sommaire.documents.extractors.spreadsheet import cell_text

FORMATS = ("csv",)
UNIT = "ligne"


def extract(data: bytes) -> Extraction:
    text = _decode(data)
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=";,\t|")
    except csv.Error:
        dialect = csv.excel
    rows = [[cell_text(cell) for cell in row] for row in csv.reader(io.StringIO(text), dialect)]
    if not any(any(row) for row in rows):
        raise ExtractionError("fichier CSV vide")
    header_at = next((i for i, row in enumerate(rows) if any(row)), 0)
    headers = rows[header_at]
    pieces, units = [], 0
    for index, cells in enumerate(rows):
        if not any(cells):
            continue
        units += 1
        if index <= header_at:
            continue
        fields = {
            (headers[i] if i < len(headers) and headers[i] else f"colonne {i + 1}"): value
            for i, value in enumerate(cells)
            if value
        }
        text_row = " · ".join(f"{key} : {value}" for key, value in fields.items())
        pieces.append(
            Piece(text_row[:MAX_PIECE], row=index + 1, identifier=identifier(fields), fields=fields)
        )
    return Extraction(pieces, units)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")
