"""What a document's address says about it: the file name conventions of the Ségur.

`DSR-HOP-DPI-Va1.pdf` is the DSR of the DPI (hospital lane), version Va1 of
wave 1; `af-hop-dpi-va1.pdf` its call for funding; `REM-...xlsx` the
requirements workbook; `.../JORFTEXT000043934117` a text of the Journal
officiel. `guess` turns an address and its link text into a prefilled
description; an editor corrects it before anything is published.

`stem` and `version` identify versions of one document: `DSR-HOP-DPI-Va2.pdf`
has the stem of `DSR-HOP-DPI-Va1.pdf` and a higher version, so it is its
successor.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from sommaire.watch.links import DOCUMENT_EXTENSIONS, extension, is_legifrance_text

VERSION = re.compile(r"[-_ .]v([a-z]?)(\d+(?:[._]\d+)*)$", re.IGNORECASE)
WAVE = re.compile(r"vague[-_ ]?(\d+)", re.IGNORECASE)
SEPARATORS = re.compile(r"[-_ .]+")
# Leading tokens or phrases of a file name, and the kind of document they name.
KIND_WORDS = [
    (("dsr",), "dsr"),
    (("rem",), "rem"),
    (("af",), "appel-a-financement"),
    (("appel", "a", "financement"), "appel-a-financement"),
    (("fiche", "pratique"), "fiche-pratique"),
    (("mode", "demploi"), "mode-emploi"),
    (("mode", "d", "emploi"), "mode-emploi"),
    (("mode", "emploi"), "mode-emploi"),
    (("fichier", "calcul"), "fichier-de-calcul"),
    (("fichier", "de", "calcul"), "fichier-de-calcul"),
    (("modele", "convention"), "modele-de-convention"),
    (("convention",), "modele-de-convention"),
    (("cahier", "des", "charges"), "cahier-des-charges"),
    (("arrete",), "arrete"),
    (("instruction",), "instruction"),
    (("faq",), "faq"),
    (("guide",), "guide"),
    (("planning",), "planning"),
    (("infographie",), "infographie"),
    (("presentation",), "presentation"),
    (("kit",), "kit"),
    (("note",), "note"),
    (("liste",), "liste"),
    (("questionnaire",), "questionnaire"),
]
# Link texts that say nothing about the document.
GENERIC_TEXTS = {
    "télécharger",
    "telecharger",
    "télécharger le document",
    "ici",
    "cliquez ici",
    "lien",
    "voir",
    "consulter",
    "document",
    "en savoir plus",
    "lire la suite",
    "pdf",
    "xlsx",
    "docx",
    "fichier",
}
FILE_NOTE = re.compile(
    r"\s*[(\[][^()\[\]]*\b(pdf|xlsx?|docx|pptx|odt|zip|csv|[kmg]o|[kmg]b)\b[^()\[\]]*[)\]]\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Name:
    """A document address read by the conventions."""

    stem: str  # lower-case words joined by hyphens, version removed
    version: str  # "Va1", "V2", or ""
    extension: str
    words: tuple[str, ...]

    @property
    def version_key(self) -> tuple[str, tuple[int, ...]] | None:
        match = re.match(r"^V([a-z]?)(\d+(?:\.\d+)*)$", self.version)
        if not match:
            return None
        return match.group(1), tuple(int(n) for n in match.group(2).split("."))


@dataclass
class Guess:
    title: str
    kind: str = ""
    format: str = ""
    profile: str = ""
    wave: str = ""
    version: str = ""
    name: Name | None = None
    extras: dict = field(default_factory=dict)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def read_name(url: str) -> Name:
    """Stem, version and extension of the last segment of an address."""
    segment = unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1])
    ext = extension(url)
    base = segment[: -len(ext) - 1] if ext else segment
    version = ""
    match = VERSION.search(base)
    if match:
        version = "V" + match.group(1).lower() + match.group(2).replace("_", ".")
        base = base[: match.start()]
    words = tuple(w for w in SEPARATORS.split(_fold(base)) if w)
    return Name(stem="-".join(words), version=version, extension=ext, words=words)


def _kind(words: tuple[str, ...], kinds: set[str]) -> str:
    for phrase, kind in KIND_WORDS:
        size = len(phrase)
        positions = range(len(words) - size + 1)
        if kind in kinds and any(words[i : i + size] == phrase for i in positions):
            return kind
    return ""


def _title(text: str, name: Name, labels: dict[str, str], guess: Guess) -> str:
    text = FILE_NOTE.sub("", " ".join(text.split())).strip(" :-–—")
    if len(text) >= 4 and _fold(text) not in GENERIC_TEXTS:
        if guess.version and guess.version.lower() not in _fold(text):
            return f"{text} ({guess.version})"
        return text
    parts = []
    if guess.kind:
        parts.append(labels.get(guess.kind, guess.kind))
    if guess.profile:
        parts.append(labels.get(guess.profile, guess.profile.upper()))
    if not parts:
        parts.append(" ".join(name.words).capitalize() or "Document sans titre")
    title = " — ".join(parts)
    return f"{title}, {guess.version}" if guess.version else title


def guess(url: str, text: str, vocabulary: "Vocabulary") -> Guess:
    """Prefill a resource from its address and link text; unknown values stay empty."""
    name = read_name(url)
    result = Guess(title="", version=name.version, name=name)
    if is_legifrance_text(url):
        result.kind = "arrete" if "arrete" in vocabulary.kinds else ""
        result.format = "page-web" if "page-web" in vocabulary.formats else ""
    else:
        result.kind = _kind(name.words, vocabulary.kinds)
        fmt = name.extension if name.extension in DOCUMENT_EXTENSIONS else "page-web"
        result.format = fmt if fmt in vocabulary.formats else ""
    result.profile = next((w for w in name.words if w in vocabulary.profiles), "")
    wave = WAVE.search(name.stem)
    key = name.version_key
    number = wave.group(1) if wave else (str(key[1][0]) if key and key[0] == "a" else "")
    if number and f"vague-{number}" in vocabulary.waves:
        result.wave = f"vague-{number}"
    result.title = _title(text, name, vocabulary.labels, result)[:300]
    return result


@dataclass
class Vocabulary:
    """The slugs known to the catalog, and the labels to write titles with."""

    kinds: set[str] = field(default_factory=set)
    formats: set[str] = field(default_factory=set)
    profiles: set[str] = field(default_factory=set)
    waves: set[str] = field(default_factory=set)
    labels: dict[str, str] = field(default_factory=dict)


def is_newer(candidate: Name, known: Name) -> bool:
    """Same document (stem, extension, version letter), higher version."""
    new, old = candidate.version_key, known.version_key
    if new is None or old is None or not candidate.stem:
        return False
    return (
        candidate.stem == known.stem
        and candidate.extension == known.extension
        and new[0] == old[0]
        and new[1] > old[1]
    )
