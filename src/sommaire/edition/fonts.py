"""The fonts of the PDF edition beyond Typst's own, and the text they can print.

Typst's embedded fonts (Libertinus Serif, DejaVu Sans Mono) cover Latin,
Greek and Cyrillic. A description holding an emoji ("Nouveau 🚀 guide"), a
pictogram, a symbol or another script needs a font with that glyph, and
PDF/UA-1 refuses to print a glyph no font has: the whole edition failed.
The Noto families shipped by the PyPI packages `manimgx-fonts` (Noto Sans,
Noto Emoji, Noto Sans Symbols, and Noto Sans for Arabic, Hebrew, the Indic
scripts, Thai, Ethiopic…) and `manimgx-fonts-cjk` (Chinese, Japanese, Korean)
fill in: Typst falls back through them character by character. They are
installed with the project, never fetched at run time.

A character none of them has (private use, unassigned, a rare script) is
printed as U+FFFD, the replacement character, rather than failing the
edition; the pages, feeds and exports keep it as written.
"""

import unicodedata
from functools import cache
from importlib.resources import files
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont

FONT_PACKAGES = ("manimgx_fonts", "manimgx_fonts_cjk")
FONT_SUFFIXES = (".ttf", ".otf", ".ttc")
REPLACEMENT = "\ufffd"


@cache
def font_paths() -> tuple[str, ...]:
    """The folders Typst reads fonts from, besides its own."""
    return tuple(str(files(package)) for package in FONT_PACKAGES)


def _faces(path: Path):
    if path.suffix == ".ttc":
        # The faces of Noto Sans CJK (SC, TC, JP, KR, HK) share one character
        # map: reading it once saves a second on the first edition of a process.
        return TTCollection(path, lazy=True).fonts[:1]
    return [TTFont(path, lazy=True)]


@cache
def faces() -> tuple[frozenset[int], ...]:
    """The code points of each shipped font face."""
    found = []
    for folder in font_paths():
        for path in sorted(Path(folder).iterdir()):
            if path.suffix in FONT_SUFFIXES:
                found.extend(frozenset(face.getBestCmap() or {}) for face in _faces(path))
    return tuple(found)


@cache
def covered() -> frozenset[int]:
    """Every code point some shipped font has a glyph for."""
    return frozenset().union(*faces())


@cache
def _printable(char: str) -> str:
    if char == "\n":
        return char
    category = unicodedata.category(char)
    # A control character, or an enclosing mark (a keycap, a circle): drawn
    # around the character before it, by a font that seldom has both.
    if category in ("Cc", "Me"):
        return ""
    points = covered()
    if ord(char) in points:
        return char
    # "𝐁𝐨𝐥𝐝" pasted from a social network, "ﬁ", "①": their plain letters.
    compatible = unicodedata.normalize("NFKC", char)
    if compatible != char and all(ord(c) in points for c in compatible):
        return compatible
    # An invisible format character or a mark no font draws: nothing to show.
    if category in ("Cf", "Mn", "Mc"):
        return ""
    return REPLACEMENT


# Characters a shaper draws with the one before: marks, joiners, skin tones,
# the Thai and Lao AM vowels; and whatever follows a zero-width joiner.
MARKS = ("Mn", "Mc", "Me")
JOINERS = {0x200C, 0x200D}
ATTACHED = {0x0E33, 0x0EB3, *range(0x1F3FB, 0x1F400)}


def _attached(char: str) -> bool:
    return unicodedata.category(char) in MARKS or ord(char) in JOINERS | ATTACHED


def _drawable(cluster: list[str]) -> list[str]:
    """A letter and what attaches to it, when the font Typst will pick has them all.

    Typst draws a cluster with one font, the first that has its letter: "9"
    with a keycap, "c" with a Devanagari sign, an emoji with an Arabic vowel
    find none, and PDF/UA-1 refuses them. The cluster is kept when every
    font that has the letter has the rest too; else the attached characters
    are dropped and what they joined stands alone.
    """
    if len(cluster) <= 1:
        return cluster
    rest = {ord(c) for c in cluster[1:]}
    having = [face for face in faces() if ord(cluster[0]) in face]
    if having and all(rest <= face for face in having):
        return cluster
    return [cluster[0], *(c for c in cluster[1:] if not _attached(c))]


# French as editors write it, which Typst's own Libertinus Serif prints:
# such a text needs no font map read.
FRENCH = frozenset(
    "\n"
    + "".join(chr(c) for c in range(0x20, 0x7F))
    + "".join(chr(c) for c in range(0xA0, 0x180) if c != 0xAD)
    + "‘’‚“”„«»–—…•€‰′″\u202f\u2009\u2007"
)


def printable(text: str) -> str:
    """`text` as the shipped fonts can print it; see the module's docstring."""
    if FRENCH.issuperset(text):
        return text
    out: list[str] = []
    cluster: list[str] = []
    for char in "".join(_printable(char) for char in text):
        if cluster and (_attached(char) or ord(cluster[-1]) in JOINERS):
            cluster.append(char)
            continue
        out.extend(_drawable(cluster))
        cluster = [char]
    out.extend(_drawable(cluster))
    return "".join(out)
