"""PDF (pypdfium2): the text of each page, in pieces that keep their page number."""

import pypdfium2 as pdfium

from sommaire.documents.extractors import Extraction, ExtractionError, Piece, running_text

FORMATS = ("pdf",)
UNIT = "page"


def extract(data: bytes) -> Extraction:
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise ExtractionError("PDF protégé par un mot de passe") from None
        raise ExtractionError(f"PDF endommagé ou illisible ({exc})") from None
    pieces = []
    try:
        count = len(document)
        for number in range(1, count + 1):
            page = document[number - 1]
            textpage = page.get_textpage()
            try:
                text = textpage.get_text_bounded()
            finally:
                textpage.close()
                page.close()
            # PDFium ends lines with \r\n; a blank line is the best paragraph mark there is.
            paragraphs = text.replace("\r\n", "\n").split("\n\n")
            pieces += [Piece(piece, page=number) for piece in running_text(paragraphs)]
    finally:
        document.close()
    if count and not pieces:
        raise ExtractionError("aucun texte dans ce PDF (document numérisé sans texte ?)")
    return Extraction(pieces, count)
