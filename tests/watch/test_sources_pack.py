"""sources.yaml in a content pack: the official pages to watch, validated like the rest."""

from datetime import timedelta
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.management import CommandError, call_command

from sommaire.catalog.pack import PackError, read_pack
from sommaire.watch.models import Source
from tests.catalog.packs import write_pack
from tests.conftest import SEGUR_PACK

GOOD = """\
- url: https://example.org/segur/hopital
  section: hopital
  selector: div.documents
  interval: 6h
- url: https://example.org/segur/officine
  section: officine
  region: OCC
"""


def problems(tmp_path, sources: str) -> list[str]:
    with pytest.raises(PackError) as raised:
        read_pack(write_pack(tmp_path, sources=sources))
    return raised.value.problems


def test_it_reads_the_pages_to_watch(tmp_path):
    pack = read_pack(write_pack(tmp_path, sources=GOOD))

    assert [(s.url, s.section, s.selector, s.interval) for s in pack.sources] == [
        ("https://example.org/segur/hopital", "hopital", "div.documents", "6h"),
        ("https://example.org/segur/officine", "officine", "", ""),
    ]


def test_a_pack_without_sources_is_valid(tmp_path):
    assert read_pack(write_pack(tmp_path, sources=None)).sources == []


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (
            "- url: ftp://example.org/x\n  section: hopital\n",
            "sources.yaml:1: url: protocole refusé",
        ),
        (
            "- url: mailto:a@example.org\n  section: hopital\n",
            "url: une page suivie a une adresse http",
        ),
        ("- url: https://example.org/x\n  section: nulle-part\n", "section: unknown section"),
        ("- url: https://example.org/x\n", "sources.yaml:1: section: missing"),
        (
            "- url: https://example.org/x\n  section: hopital\n  selector: '###'\n",
            "sources.yaml:3: selector: '###' is not a valid CSS selector",
        ),
        (
            "- url: https://example.org/x\n  section: hopital\n  interval: souvent\n",
            "sources.yaml:3: interval: 'souvent': write a duration such as 30min, 6h or 1j",
        ),
        ("- url: https://example.org/x\n  section: hopital\n  region: XYZ\n", "unknown region"),
        ("- url: https://example.org/x\n  section: hopital\n  every: 1h\n", "every: unknown field"),
        (GOOD + "- url: https://example.org/segur/hopital\n  section: officine\n", "duplicate"),
    ],
    ids=[
        "scheme",
        "mailto",
        "section",
        "no-section",
        "selector",
        "interval",
        "region",
        "field",
        "duplicate",
    ],  # fmt: skip
)
def test_an_invalid_source_is_refused_with_file_line_and_field(tmp_path, entry, expected):
    found = problems(tmp_path, entry)

    assert any(expected in problem for problem in found), found


def test_loading_declares_the_sources_and_keeps_the_watcher_state(empty_catalog, tmp_path):
    directory = write_pack(tmp_path, sources=GOOD)
    call_command("load-pack", str(directory), stdout=StringIO())
    Source.objects.filter(url__endswith="hopital").update(etag='"v1"', good_link_count=12)

    call_command("load-pack", str(directory), stdout=StringIO())

    hopital = Source.objects.get(url="https://example.org/segur/hopital")
    assert (hopital.section.slug, hopital.selector) == ("hopital", "div.documents")
    assert hopital.interval == timedelta(hours=6)
    assert (hopital.etag, hopital.good_link_count) == ('"v1"', 12)
    assert Source.objects.get(url__endswith="officine").region.code == "OCC"


def test_sources_survive_a_dump_and_load(empty_catalog, tmp_path):
    call_command("load-pack", str(write_pack(tmp_path / "in", sources=GOOD)), stdout=StringIO())
    call_command("dump-pack", str(tmp_path / "out"), stdout=StringIO())

    assert (tmp_path / "out" / "sources.yaml").read_text(encoding="utf-8") == GOOD


def test_an_invalid_sources_file_loads_nothing(empty_catalog, tmp_path):
    directory = write_pack(tmp_path, sources="- url: https://example.org/x\n  section: zzz\n")

    with pytest.raises(CommandError):
        call_command("load-pack", str(directory), stdout=StringIO(), stderr=StringIO())

    assert not Source.objects.exists()


def test_the_segur_pack_watches_the_dedicated_page_of_its_sections():
    pack = read_pack(SEGUR_PACK)

    watched = {s.section for s in pack.sources}
    dedicated = {r.placements[0].section: r.url for r in pack.resources if r.kind == "page-dediee"}
    assert {"hopital", "officine", "ins", "mssante"} <= watched
    # Besides the pages dédiées, only the programme's own pages (its vague 2) are watched.
    others = {s.url for s in pack.sources} - set(dedicated.values())
    assert others and {urlsplit(url).hostname for url in others} <= {
        "esante.gouv.fr",
        "industriels.esante.gouv.fr",
    }
