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


def _marked(word: str, tokens: set[str]) -> bool:
    return not _word_tokens(word).isdisjoint(tokens)


def highlight(text: str, tokens: set[str]) -> SafeString:
    """The text, escaped, with <mark> around each word that matches."""
    out, last = [], 0
    for match in WORD.finditer(text):
        if not _marked(match.group(0), tokens):
            continue
        out.append(escape(text[last : match.start()]))
        out.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped above


def snippet(text: str, tokens: set[str], length: int = SNIPPET_LENGTH) -> SafeString:
    """About `length` characters of text around the first match, marked."""
    if len(text) <= length:
        return highlight(text, tokens)
    first = next((m.start() for m in WORD.finditer(text) if _marked(m.group(0), tokens)), 0)
    start = max(0, first - length // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = start + length
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    piece = highlight(text[start:end].strip(), tokens)
    before = "… " if start else ""
    after = " …" if end < len(text) else ""
    return mark_safe(before + piece + after)  # noqa: S308 - piece is escaped
