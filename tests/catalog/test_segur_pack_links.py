"""The Ségur content pack carries every link of the source PDF, where the PDF puts it.

The source is the text extracted from the ANS "sommaire dynamique" PDF
(tests/data/sommaire-segur-numerique.txt, a byte-for-byte copy of the seed).
Text extraction put each PDF page's text first and the page's hyperlinks
after it, as a block of bare URL lines. So the file reads as a sequence of
pages, each one a run of text lines followed by a run of URL lines.

Two details of the extraction are handled here:

- Blank lines carry nothing and are skipped.
- "Glossaire", "Retour au" and "sommaire" alone on a line are the PDF's
  navigation links, not page text. They are skipped too: on the MSSanté page
  the prose link to the page dédiée sits alone on its line, just before the
  "Glossaire" navigation label and the page's URL block; treating the label as
  text would split that page in two.

No Django database is needed: the pack is read from YAML files.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from sommaire.catalog.pack import read_pack

REPO_ROOT = Path(__file__).resolve().parents[2]
SOURCE = REPO_ROOT / "tests" / "data" / "sommaire-segur-numerique.txt"
PACK_DIR = REPO_ROOT / "content" / "segur"

URL_PREFIXES = ("http://", "https://", "mailto:")
NAVIGATION_LINES = frozenset({"Glossaire", "Retour au", "sommaire"})

# The section of each URL block, in the order of the blocks in the source.
# Blocks 1 (menu and webinaires link) and 2 (presentation, "Comprendre le
# Ségur", vision note, Légifrance, ANS Ségur page) both belong to the home.
BLOCK_SECTIONS = (
    "sommaire",
    "sommaire",
    "referencement-sons",
    "financement-sons",
    "hopital",
    "medecine-de-ville",
    "biologie-medicale",
    "radiologie",
    "officine",
    "medico-social",
    "sun-es",
    "ins",
    "mssante",
    "pro-sante-connect",
    "dmp",
    "ci-sis",
)

EXPECTED_DISTINCT_LINKS = 166


def is_url_line(line: str) -> bool:
    return line.startswith(URL_PREFIXES)


def parse_pages(text: str) -> list[tuple[list[str], list[str]]]:
    """Split the source into pages: (text lines, URL lines), in file order.

    A page is a run of text lines followed by a run of URL lines. Trailing
    text with no URL block after it (the glossary page and the back cover)
    is not a page with links and is dropped.
    """
    pages: list[tuple[list[str], list[str]]] = []
    text_lines: list[str] = []
    url_lines: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line in NAVIGATION_LINES:
            continue
        if is_url_line(line):
            url_lines.append(line)
            continue
        if url_lines:
            pages.append((text_lines, url_lines))
            text_lines, url_lines = [], []
        text_lines.append(line)
    if url_lines:
        pages.append((text_lines, url_lines))
    return pages


def expected_placements() -> dict[str, set[str]]:
    """Map each source link to the set of sections whose page carries it."""
    pages = parse_pages(SOURCE.read_text(encoding="utf-8"))
    assert len(pages) == len(BLOCK_SECTIONS), (
        f"expected {len(BLOCK_SECTIONS)} URL blocks in the source, found {len(pages)}"
    )
    expected: dict[str, set[str]] = {}
    for (_, urls), section in zip(pages, BLOCK_SECTIONS, strict=True):
        for url in urls:
            expected.setdefault(url, set()).add(section)
    return expected


def section_slug(section: object) -> str:
    """A placement's section may be a slug or an object with a slug."""
    return section if isinstance(section, str) else section.slug  # type: ignore[attr-defined]


def test_source_has_166_distinct_links() -> None:
    expected = expected_placements()
    assert len(expected) == EXPECTED_DISTINCT_LINKS
    assert sum(url.startswith("mailto:") for url in expected) == 1


def test_every_source_link_is_placed_where_the_source_puts_it() -> None:
    expected = expected_placements()
    pack = read_pack(PACK_DIR)
    by_url = {resource.url: resource for resource in pack.resources}

    problems: list[str] = []
    for url, sections in expected.items():
        resource = by_url.get(url)
        if resource is None:
            problems.append(f"missing resource: {url} (expected in {sorted(sections)})")
            continue
        placed = {section_slug(p.section) for p in resource.placements}
        for section in sorted(sections - placed):
            problems.append(f"not placed in {section}: {resource.key} {url}")
        for section in sorted(placed - sections):
            problems.append(f"placed in {section}, not on that source page: {resource.key} {url}")

    assert not problems, f"{len(problems)} missing or misplaced link(s):\n" + "\n".join(problems)


def test_pack_has_exactly_the_source_urls() -> None:
    expected = set(expected_placements())
    pack = read_pack(PACK_DIR)
    urls = [resource.url for resource in pack.resources]

    duplicated = sorted(url for url, n in Counter(urls).items() if n > 1)
    assert not duplicated, "URL defined by more than one resource:\n" + "\n".join(duplicated)

    invented = sorted(set(urls) - expected)
    missing = sorted(expected - set(urls))
    assert not invented and not missing, (
        "pack URLs differ from the source\n"
        + "".join(f"not in the source: {url}\n" for url in invented)
        + "".join(f"not in the pack: {url}\n" for url in missing)
    )
    assert len(urls) == EXPECTED_DISTINCT_LINKS


def test_resource_titles_are_unique() -> None:
    pack = read_pack(PACK_DIR)
    counts = Counter(resource.title for resource in pack.resources)
    duplicated = sorted(title for title, n in counts.items() if n > 1)
    assert not duplicated, "duplicate resource titles:\n" + "\n".join(duplicated)
