"""`sommaire dump-pack DIR`: the catalog written back as a pack."""

from io import StringIO
from pathlib import Path

from django.core.management import call_command
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from sommaire.catalog.models import Resource, Section
from sommaire.catalog.pack import read_pack
from tests.catalog.packs import write_pack
from tests.conftest import SEGUR_PACK

TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)


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


@settings(
    max_examples=5,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(title=TEXT, description=TEXT, intro=TEXT)
@example(title=" a\x0bb ", description="\u2028x\r\ny\x85 ", intro="e\u0301\n\n\tz")
def test_any_text_survives_dump_then_load_then_dump(empty_catalog, tmp_path_factory, **texts):
    root = tmp_path_factory.mktemp("aller-retour")
    load(write_pack(root / "source"))
    resource = Resource.objects.get(key="hop-guide")
    resource.title, resource.description = f"Guide {texts['title']}", texts["description"]
    resource.save()
    section = Section.objects.get(slug="hopital")
    section.intro = texts["intro"]
    section.save()

    first = dump(root / "first")
    load(root / "first")

    assert dump(root / "second") == first
