"""Glossary acronyms marked up in running text.

`annotate(text, terms)` escapes `text` and wraps every glossary term it holds
in `<abbr title="expansion">`, inside a link to the term's glossary entry
unless `link=False` (for text that is already inside a link: an `<a>` within
an `<a>` is invalid HTML).

A term matches only as a whole token, case-sensitively, longest term first:
"INS" is not found in "INSi" or "INSTRUCTION", "CPS" not in "e-CPS", "ES" not
in "ESMS", "SUN-ES" or "ES-PH". A token is bounded by anything that is not a
letter, a digit, "_" or "-". Web addresses in the text are left as they are:
"DSR" in ".../DSR-HOP-DPI-Va1.pdf" is part of an address, not an acronym.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Letters, digits, "_" (all in \w) and "-" glue characters into one token.
_BEFORE = r"(?<![\w-])"
_AFTER = r"(?![\w-])"
_ADDRESS = r"(?:https?://|www\.)[^\s<>\"]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"


@dataclass(frozen=True)
class Acronym:
    term: str
    expansion: str
    url: str
    lang: str = ""  # of the expansion, when not French


@dataclass(frozen=True)
class Acronyms:
    """Compiled glossary terms, ready to annotate any number of texts."""

    by_term: dict[str, Acronym] = field(default_factory=dict)
    pattern: re.Pattern | None = None

    @classmethod
    def compile(cls, terms: Iterable, glossary_url: str | None = None) -> "Acronyms":
        """From objects with `term`, `expansion` and `anchor` (GlossaryTerm rows)."""
        base = glossary_url if glossary_url is not None else reverse("public:glossary")
        by_term = {
            t.term: Acronym(t.term, t.expansion, f"{base}#{t.anchor}", getattr(t, "lang", ""))
            for t in terms
            if t.term
        }
        if not by_term:
            return cls()
        # Longest first, so "e-CPS" wins over "CPS" and "SUN-ES" over "ES".
        alternatives = "|".join(re.escape(t) for t in sorted(by_term, key=lambda t: (-len(t), t)))
        pattern = re.compile(rf"(?P<address>{_ADDRESS})|{_BEFORE}(?P<term>{alternatives}){_AFTER}")
        return cls(by_term, pattern)


def annotate(text: str, terms: "Acronyms | Iterable", link: bool = True) -> SafeString:
    """`text` escaped, with each glossary term as an <abbr>, linked unless `link` is False."""
    text = "" if text is None else str(text)
    acronyms = terms if isinstance(terms, Acronyms) else Acronyms.compile(terms)
    if acronyms.pattern is None:
        return escape(text)
    parts, position = [], 0
    for match in acronyms.pattern.finditer(text):
        if match.group("term") is None:
            continue
        acronym = acronyms.by_term[match.group("term")]
        parts.append(escape(text[position : match.start()]))
        parts.append(_markup(acronym, link))
        position = match.end()
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))


def _markup(acronym: Acronym, link: bool) -> str:
    lang = f' lang="{escape(acronym.lang)}"' if acronym.lang else ""
    abbr = f'<abbr title="{escape(acronym.expansion)}"{lang}>{escape(acronym.term)}</abbr>'
    if not link:
        return abbr
    return f'<a class="sommaire-acronym" href="{escape(acronym.url)}">{abbr}</a>'


# The compiled glossary of the current catalog generation, shared by every
# request of this process: compiling the pattern costs more than a page render.
_current: tuple[int, Acronyms] | None = None


def acronyms_for(generation: int) -> Acronyms:
    """The glossary of catalog `generation`, compiled once per generation."""
    global _current
    cached = _current
    if cached is not None and cached[0] == generation:
        return cached[1]
    from sommaire.catalog.models import GlossaryTerm

    acronyms = Acronyms.compile(GlossaryTerm.objects.only("term", "expansion", "lang"))
    _current = (generation, acronyms)
    return acronyms


def forget() -> None:
    """Drop the compiled glossary (tests roll back generations; production never needs it)."""
    global _current
    _current = None
