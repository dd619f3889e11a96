"""How search reads French: one analyser for documents and queries, for every backend.

Documents and queries go through the same steps:

1. lower case; œ and æ spelled out; typographic apostrophes and dashes made
   plain (’ -> ', – -> -);
2. accents folded (NFKD, combining marks dropped);
3. French elisions removed: l', d', qu', jusqu' ...;
4. the text cut into words of letters and digits. Letters and digits joined
   by - _ . or ' (DSR-HOP-DPI-Va1, EX_3.1-1040, médico-social, e-CPS) form a
   compound, which gives its parts *and* the whole written without
   separators (dsrhopdpiva1): a document code is found whole, and every
   spelling of a hyphenated word (e-CPS, eCPS, e CPS) meets the others;
5. stop words dropped; words of four letters or more stemmed (Snowball's
   French stemmer); words with digits kept as written.

Every token is made of [a-z0-9] only. Both engines split such text on spaces
and take each token as it is (FTS5's 'ascii' tokenizer, PostgreSQL's
'simple' configuration), so both index exactly the terms produced here, and
a user's text can never reach a query grammar: backends quote every token.

A query is a tree of `Term`, `AllOf` and `AnyOf`: every word must match
(AllOf), and a word may match through any of its variants (AnyOf): the parts
of a compound, its glossary expansion, its synonyms (see `Thesaurus`). A
word that matches nothing can be corrected against the index vocabulary
(see `Vocabulary`).
"""

import re
import threading
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

_PLAIN = str.maketrans(
    {
        "œ": "oe",
        "æ": "ae",
        "ß": "ss",
        "’": "'",
        "‘": "'",
        "ʼ": "'",
        "`": "'",
        "´": "'",
        "′": "'",
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "–": "-",
        "—": "-",
        "―": "-",
        "−": "-",
    }
)
ELISION = re.compile(r"\b(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu)'(?=[a-z0-9])")
CHUNK = re.compile(r"[a-z0-9]+(?:[-_.'][a-z0-9]+)*")
SEPARATOR = re.compile(r"[-_.']")
SURFACE_WORD = re.compile(r"[^\W\d_]{3,}")
MAX_QUERY_WORDS = 12
# Longer tokens are noise (a pasted URL, a hash); PostgreSQL also drops
# lexemes above 2047 bytes, which would make the backends disagree.
MAX_TOKEN = 100

# Function words, and the verbs of a question ("comment faire pour ..."),
# which no title holds and which typo correction would otherwise "fix".
# Short words that are also acronyms of the domain (si: système
# d'information, es: établissement de santé) are kept.
STOPWORDS = frozenset(
    (
        "a",
        "au",
        "aux",
        "avec",
        "avoir",
        "c",
        "ce",
        "ces",
        "cet",
        "cette",
        "comment",
        "d",
        "dans",
        "de",
        "des",
        "doit",
        "dois",
        "du",
        "elle",
        "elles",
        "en",
        "est",
        "et",
        "etre",
        "faire",
        "faut",
        "il",
        "ils",
        "j",
        "je",
        "l",
        "la",
        "le",
        "les",
        "leur",
        "leurs",
        "m",
        "ma",
        "mes",
        "mon",
        "n",
        "ne",
        "nos",
        "notre",
        "on",
        "ou",
        "par",
        "pas",
        "peut",
        "peux",
        "pour",
        "qu",
        "quand",
        "que",
        "quel",
        "quelle",
        "quelles",
        "quels",
        "qui",
        "s",
        "sa",
        "sans",
        "se",
        "ses",
        "son",
        "sont",
        "sur",
        "t",
        "ta",
        "tes",
        "ton",
        "trouver",
        "un",
        "une",
        "vos",
        "votre",
        "y",
    )
)

_local = threading.local()


def fold(text: str) -> str:
    """Lower case, plain apostrophes and dashes, no accents: 'L’Hôpital' -> "l'hopital"."""
    text = unicodedata.normalize("NFKD", text.lower().translate(_PLAIN))
    return "".join(c for c in text if not unicodedata.combining(c))


def normalize(text: str) -> str:
    """Folded, without elisions: 'L’INS d’un ES' -> 'ins un es'."""
    return ELISION.sub("", fold(text))


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The French stem of a folded word; short words and words with digits as they are."""
    if len(word) <= 3 or not word.isalpha():
        return word
    # Snowball stemmers keep state while they work: one per thread (gthread workers).
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        # Imported here: the package loads its thirty languages (39 modules), and
        # every process connects the search signals without ever stemming
        # (check-links, run-jobs between jobs, most commands).
        import snowballstemmer

        stemmer = _local.stemmer = snowballstemmer.stemmer("french")
    return stemmer.stemWord(word)


def chunks(text: str) -> list[str]:
    """The words and compounds of a text, normalized: 'EX_3.1-1040 de l’ES' -> [...]."""
    return [c for c in CHUNK.findall(normalize(text)) if len(c) <= MAX_TOKEN]


def chunk_tokens(chunk: str) -> list[str]:
    """The index tokens of one chunk: its stem, or for a compound the whole then its parts."""
    parts = SEPARATOR.split(chunk)
    if len(parts) == 1:
        return [] if chunk in STOPWORDS else [stem(chunk)]
    return [stem("".join(parts))] + [stem(p) for p in parts if p not in STOPWORDS]


def tokens(text: str) -> list[str]:
    """What a document's text is indexed as."""
    return [token for chunk in chunks(text) for token in chunk_tokens(chunk)]


def surface_words(text: str) -> list[str]:
    """Words as readers write them (lower case, accents kept), for typo correction."""
    return SURFACE_WORD.findall(text.lower().translate(_PLAIN))


# --- query trees ------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    token: str

    def tokens(self) -> set[str]:
        return {self.token}


@dataclass(frozen=True)
class AllOf:
    items: tuple

    def tokens(self) -> set[str]:
        return set().union(*(item.tokens() for item in self.items))


@dataclass(frozen=True)
class AnyOf:
    items: tuple

    def tokens(self) -> set[str]:
        return set().union(*(item.tokens() for item in self.items))


Node = Term | AllOf | AnyOf


def all_of(items) -> Node | None:
    return _combine(AllOf, items)


def any_of(items) -> Node | None:
    return _combine(AnyOf, items)


def _combine(kind, items) -> Node | None:
    flat: list = []
    for item in items:
        for sub in item.items if isinstance(item, kind) else (item,):
            if sub is not None and sub not in flat:
                flat.append(sub)
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else kind(tuple(flat))


@dataclass(frozen=True)
class Word:
    """One word of a query: as typed (folded), its key token, and what it matches."""

    text: str
    key: str
    node: Node


def query_words(text: str) -> list[Word]:
    words = []
    for chunk in chunks(text):
        found = chunk_tokens(chunk)
        if not found:
            continue
        if len(found) == 1:
            node = Term(found[0])
        else:
            node = any_of([Term(found[0]), all_of(Term(t) for t in found[1:])])
        words.append(Word(chunk, found[0], node))
    return words


def phrase_key(text: str) -> tuple[str, ...]:
    return tuple(word.key for word in query_words(text))


# --- glossary and synonyms ---------------------------------------------------


class Thesaurus:
    """Phrases that stand for one another: acronyms and expansions, synonyms.

    `expand` replaces each run of query words that spells a known phrase by
    "these words, or any of their equivalents". Equivalents are not expanded
    again: a chain of synonyms is the content pack's to spell out.
    """

    def __init__(self):
        self.targets: dict[tuple[str, ...], list[Node]] = defaultdict(list)
        self.longest = 1

    @staticmethod
    def without_asides(text: str) -> str:
        """'Domicile (médico-social)' -> 'Domicile': an aside qualifies, it is not said."""
        return re.sub(r"\s*\([^)]*\)", "", text)

    def add_equivalents(self, phrases: list[str]) -> None:
        for source in phrases:
            self.add_one_way(source, [p for p in phrases if p != source])

    def add_one_way(self, source: str, targets: list[str]) -> None:
        key = phrase_key(source)
        if not key:
            return
        for target in targets:
            node = all_of(word.node for word in query_words(target))
            if node is not None and phrase_key(target) != key and node not in self.targets[key]:
                self.targets[key].append(node)
        self.longest = max(self.longest, len(key))

    def expand(self, words: list[Word]) -> list[Node]:
        nodes = []
        for start, end, key in self.spans(words):
            if key is None:
                nodes.append(words[start].node)
                continue
            run = words[start:end]
            own = [all_of(w.node for w in run)]
            if len(run) > 1 and len(key) == 1:  # "ci sis" typed for CI-SIS
                own.append(Term(key[0]))
            nodes.append(any_of([*own, *self.targets[key]]))
        return nodes

    def spans(self, words: list[Word]):
        """(start, end, key) for each run of words: the longest known phrase, else one word.

        A run also spells a phrase when its words written together do: "ci
        sis" and "e cps" are the acronyms CI-SIS and e-CPS.
        """
        i = 0
        while i < len(words):
            for length in range(min(max(self.longest, 3), len(words) - i), 0, -1):
                run = words[i : i + length]
                key = tuple(w.key for w in run)
                joined = (stem("".join(w.text for w in run)),)
                for candidate in (key, joined) if length > 1 else (key,):
                    if candidate in self.targets:
                        yield i, i + length, candidate
                        i += length
                        break
                else:
                    continue
                break
            else:
                yield i, i + 1, None
                i += 1


# --- typo correction ---------------------------------------------------------


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a swap of neighbours is one edit), capped at limit+1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _deletes(word: str, depth: int) -> set[str]:
    found, frontier = {word}, {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


@dataclass
class Vocabulary:
    """The words of the index, to correct a query word that matches nothing.

    Candidates are found by shared deletions (the SymSpell idea), then checked
    with a real edit distance: one edit for words up to seven letters, two
    beyond. Among equals the most frequent word wins, then alphabetical order.
    """

    MIN_LENGTH = 5
    LONG = 8

    counts: Counter = field(default_factory=Counter)
    keys: set = field(default_factory=set)
    shown: dict = field(default_factory=dict)
    by_delete: dict = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def build(cls, words: Counter, extra_keys=()) -> "Vocabulary":
        vocabulary = cls()
        spellings: dict[str, Counter] = defaultdict(Counter)
        for word, count in words.items():
            folded = fold(word)
            if not folded.isascii() or not folded.isalpha():
                continue
            vocabulary.counts[folded] += count
            spellings[folded][word] += count
        for folded, counter in spellings.items():
            vocabulary.shown[folded] = max(counter, key=lambda w: (counter[w], w))
            vocabulary.keys.add(stem(folded))
            depth = 2 if len(folded) >= cls.LONG - 1 else 1
            for deleted in _deletes(folded, depth):
                vocabulary.by_delete[deleted].add(folded)
        vocabulary.keys.update(extra_keys)
        return vocabulary

    def knows(self, key: str) -> bool:
        return key in self.keys

    def correct(self, word: str) -> str | None:
        """The closest known word (as usually written), or None."""
        if len(word) < self.MIN_LENGTH or not word.isalpha():
            return None
        limit = 2 if len(word) >= self.LONG else 1
        candidates = set()
        for deleted in _deletes(word, limit):
            candidates |= self.by_delete.get(deleted, set())
        scored = [
            (edit_distance(word, c, limit), -self.counts[c], c) for c in candidates if c != word
        ]
        scored = [s for s in scored if s[0] <= limit]
        return self.shown[min(scored)[2]] if scored else None


# --- the query ---------------------------------------------------------------


@dataclass
class Query:
    """A reader's query, analysed: the tree to match and what was corrected."""

    text: str
    nodes: list[Node]
    corrections: dict[str, str] = field(default_factory=dict)
    # The words alone, without glossary or synonym equivalents.
    literal: list[Node] = field(default_factory=list)
    # Some word looks like a document code (digits, or joined by - _ .).
    has_code: bool = False
    # What the reader typed for each node, to name a word left out: "vague", "2".
    labels: list[str] = field(default_factory=list)

    def all_words(self) -> Node | None:
        return all_of(self.nodes)

    def literal_words(self) -> Node | None:
        return all_of(self.literal)

    def all_but_one(self) -> Node | None:
        """Every word but any one of them: the fallback when nothing has them all."""
        if len(self.nodes) < 2:
            return None
        n = self.nodes
        return any_of(all_of(n[:i] + n[i + 1 :]) for i in range(len(n)))

    def without(self, index: int) -> Node | None:
        """Every word but the one at `index`."""
        return all_of(self.nodes[:index] + self.nodes[index + 1 :])

    def is_empty(self) -> bool:
        return not self.nodes

    def tokens(self) -> set[str]:
        return set().union(*(node.tokens() for node in self.nodes)) if self.nodes else set()

    def corrected_text(self) -> str:
        """The query as typed, with each corrected word replaced: 'oficine' -> 'officine'."""
        if not self.corrections:
            return self.text

        def swap(match):
            return self.corrections.get(fold(match.group(0)), match.group(0))

        return re.sub(r"\w+", swap, self.text).strip()


def analyse_query(
    text: str, thesaurus: Thesaurus | None = None, vocabulary=None, correct: bool = True
) -> Query:
    """Turn what a reader typed into a query; `vocabulary` is a callable giving one, lazily."""
    thesaurus = thesaurus or Thesaurus()
    words = query_words(text)[:MAX_QUERY_WORDS]
    corrections: dict[str, str] = {}
    if correct and vocabulary is not None:
        # Words of a phrase the thesaurus knows ("maison de retraite") are right as typed.
        known = {i for start, end, key in thesaurus.spans(words) if key for i in range(start, end)}
        words = [
            w if i in known else _corrected(w, vocabulary, corrections) for i, w in enumerate(words)
        ]
    return Query(
        text=text,
        nodes=thesaurus.expand(words),
        corrections=corrections,
        literal=[w.node for w in words],
        has_code=any(not w.text.isalpha() for w in words),
        labels=[" ".join(w.text for w in words[i:j]) for i, j, _ in thesaurus.spans(words)],
    )


def _corrected(word: Word, vocabulary, corrections: dict) -> Word:
    if len(word.text) < Vocabulary.MIN_LENGTH or not word.text.isalpha():
        return word
    known = vocabulary()
    if known.knows(word.key):
        return word
    better = known.correct(word.text)
    if better is None:
        return word
    replacement = query_words(better)
    if len(replacement) != 1:
        return word
    corrections[word.text] = better
    return replacement[0]
