"""Snippets with the query's words marked: escape everything first, then mark.

A word is marked when the analyser turns it into a token of the query (so
"officines" is marked for a search on "pharmacie" through its synonym). The
text is cut at words, never inside an HTML entity, because it is cut before
it is escaped.
"""

import re
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from sommaire.search import analysis

WORD = re.compile(r"\w+(?:[-_.'’]\w+)*")
SNIPPET_LENGTH = 240


@lru_cache(maxsize=100_000)
def _word_tokens(word: str) -> frozenset[str]:
    # Titles and descriptions repeat the same words from page to page: analyse each once.
    return frozenset(
        token for chunk in analysis.chunks(word) for token in analysis.chunk_tokens(chunk)
    )


# A few thousand texts: those of the results readers see most, at a few kB each.
@lru_cache(maxsize=4096)
def _places(text: str) -> dict[str, tuple[tuple[int, int], ...]]:
    """Where each token stands in `text`: (start, end) of every word that gives it.

    Titles and descriptions come back page after page with other queries:
    their words are found and analysed once, and marking a query costs a
    look-up per token of the query, not per word of the text.
    """
    places: dict[str, list[tuple[int, int]]] = {}
    for match in WORD.finditer(text):
        for token in _word_tokens(match.group(0)):
            places.setdefault(token, []).append(match.span())
    return {token: tuple(spans) for token, spans in places.items()}


def _marks(text: str, tokens: set[str]) -> list[tuple[int, int]]:
    """The (start, end) of every word of `text` that matches, in order."""
    places = _places(text)
    return sorted({span for token in tokens for span in places.get(token, ())})


def highlight(text: str, tokens: set[str]) -> SafeString:
    """The text, escaped, with <mark> around each word that matches."""
    return _highlight(text, tokens, 0, len(text))


def _highlight(text: str, tokens: set[str], start: int, end: int) -> SafeString:
    """text[start:end], escaped, with its whole words that match marked."""
    out, last = [], start
    for word_start, word_end in _marks(text, tokens):
        if word_start < start or word_end > end:
            continue
        out.append(escape(text[last:word_start]))
        out.append(f"<mark>{escape(text[word_start:word_end])}</mark>")
        last = word_end
    out.append(escape(text[last:end]))
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped above


def snippet(text: str, tokens: set[str], length: int = SNIPPET_LENGTH) -> SafeString:
    """About `length` characters of text around the first match, marked."""
    if len(text) <= length:
        return highlight(text, tokens)
    first = next(iter(_marks(text, tokens)), (0, 0))[0]
    start = max(0, first - length // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = start + length
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    # The piece is marked in place, as the words of the whole text (kept per text).
    piece_start, piece_end = start, min(end, len(text))
    while piece_start < piece_end and text[piece_start].isspace():
        piece_start += 1
    while piece_end > piece_start and text[piece_end - 1].isspace():
        piece_end -= 1
    piece = _highlight(text, tokens, piece_start, piece_end)
    before = "… " if start else ""
    after = " …" if end < len(text) else ""
    return mark_safe(before + piece + after)  # noqa: S308 - piece is escaped
