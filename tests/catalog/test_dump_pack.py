"""`sommaire dump-pack DIR`: the catalog written back as a pack."""

from io import StringIO
from pathlib import Path

from django.core.management import call_command

from sommaire.catalog.models import Resource
from sommaire.catalog.pack import read_pack
from tests.catalog.packs import write_pack
from tests.conftest import SEGUR_PACK


def dump(directory: Path) -> dict[str, bytes]:
    call_command("dump-pack", str(directory), stdout=StringIO())
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in directory.rglob("*.yaml")}


def load(directory: Path) -> None:
    call_command("load-pack", str(directory), stdout=StringIO())


def test_dump_then_load_then_dump_is_byte_identical(empty_catalog, tmp_path):
    load(write_pack(tmp_path / "source"))
    first = dump(tmp_path / "first")

    load(tmp_path / "first")
    second = dump(tmp_path / "second")

    assert first == second
    assert "resources/officine.yaml" in first


def test_the_segur_catalog_survives_a_round_trip(segur, tmp_path):
    first = dump(tmp_path / "first")
    load(tmp_path / "first")

    assert dump(tmp_path / "second") == first
    assert b"source: https://industriels.esante.gouv.fr/" in first["deadlines.yaml"]
    assert b"- financement-sons" in first["contacts.yaml"]
    original, dumped = read_pack(SEGUR_PACK), read_pack(tmp_path / "first")
    assert [(r.key, r.url, r.title) for r in dumped.resources] == [
        (r.key, r.url, r.title) for r in original.resources
    ]
    assert [[(p.section, p.group) for p in r.placements] for r in dumped.resources] == [
        [(p.section, p.group) for p in r.placements] for r in original.resources
    ]


def test_a_shared_resource_is_defined_once_and_referenced_elsewhere(empty_catalog, tmp_path):
    load(write_pack(tmp_path / "source"))

    files = dump(tmp_path / "out")

    assert b"key: hop-guide" in files["resources/hopital.yaml"]
    assert b"ref: hop-guide" in files["resources/officine.yaml"]
    assert b"key: hop-guide" not in files["resources/officine.yaml"]


def test_an_edit_in_the_database_reaches_the_dump(empty_catalog, tmp_path):
    load(write_pack(tmp_path / "source"))
    Resource.objects.filter(key="hop-guide").update(title="Guide <mis à jour> — Hôpital")

    files = dump(tmp_path / "out")

    assert "title: Guide <mis à jour> — Hôpital" in files["resources/hopital.yaml"].decode()
