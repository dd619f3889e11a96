"""`sommaire export-all FILE` and `sommaire import-all FILE`: every table that matters,
history included; export -> wipe -> import -> export is identical; a truncated
or tampered archive is refused whole."""

import hashlib
import hmac
import io
import json
import struct
import tracemalloc
import zipfile
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from sommaire.catalog.models import CatalogState, Contact, Placement, Region, Resource
from sommaire.editors.backup import BackupError, archived_models, export_all, import_all
from sommaire.editors.models import Editor
from tests.editors.backoffice import client_for, resource_data, url
from tests.personas import PASSWORD


@pytest.fixture
def edited(remi, nadia, segur):
    """A catalog with people, roles, regional rows and their history."""
    occitanie = Region.objects.get(code="OCC")
    resource = Resource.objects.filter(region=None).first()
    # Through the Django admin, which only administrators enter.
    nadia.editor.role = "admin"
    nadia.editor.save()
    client_for(nadia).post(url(Resource, resource.pk), resource_data(resource, title="Revu"))
    Contact.objects.create(region=occitanie, name="GRADeS e-santé Occitanie", email="a@b.fr")
    return resource


def state() -> dict:
    return {
        model._meta.label_lower: list(model._base_manager.order_by("pk").values())
        for model in archived_models()
    }


def wipe_everything() -> None:
    """Empty every archived table by hand, as a lost database would be."""
    with connection.cursor() as cursor:
        for model in archived_models():
            for m2m in model._meta.local_many_to_many:
                cursor.execute(f'DELETE FROM "{m2m.remote_field.through._meta.db_table}"')
            cursor.execute(f'DELETE FROM "{model._meta.db_table}"')


def test_export_wipe_import_export_gives_the_same_bytes(edited, tmp_path):
    export_all(tmp_path / "first.zip")
    wipe_everything()
    assert not Resource.objects.exists() and not get_user_model().objects.exists()

    import_all(tmp_path / "first.zip")
    export_all(tmp_path / "second.zip")

    assert (tmp_path / "second.zip").read_bytes() == (tmp_path / "first.zip").read_bytes()


def test_what_comes_back_is_the_catalog_its_history_and_its_people(edited, tmp_path):
    before = state()
    history = list(edited.history.values_list("title", "history_user__username"))
    export_all(tmp_path / "backup.zip")
    wipe_everything()

    import_all(tmp_path / "backup.zip")

    assert state() == before
    assert list(edited.history.values_list("title", "history_user__username")) == history
    assert history[0] == ("Revu", "nadia")
    assert authenticate(username="remi", password=PASSWORD) is not None
    assert Editor.objects.get(user__username="remi").region_codes() == ["OCC"]


def test_an_import_replaces_what_changed_since_the_export(edited, tmp_path):
    export_all(tmp_path / "backup.zip")
    before = state()
    Resource.objects.filter(pk=edited.pk).update(title="Après la sauvegarde")
    Contact.objects.all().delete()
    get_user_model().objects.filter(username="remi").delete()

    import_all(tmp_path / "backup.zip")

    assert state() == before


def test_an_import_moves_the_catalog_generation_forward(edited, tmp_path):
    export_all(tmp_path / "backup.zip")
    generation = CatalogState.current()

    import_all(tmp_path / "backup.zip")

    assert CatalogState.current() > generation


def test_a_new_row_after_the_import_gets_a_fresh_id(edited, tmp_path):
    export_all(tmp_path / "backup.zip")
    import_all(tmp_path / "backup.zip")
    highest = Contact.objects.order_by("-pk").first().pk

    contact = Contact.objects.create(region=Region.objects.get(code="BRE"), name="Nouveau")

    assert contact.pk > highest


# --- refused whole ---------------------------------------------------------------


def members_of(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def write_members(path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def resign(members: dict[str, bytes], key: str | None = None) -> dict[str, bytes]:
    """Recompute the checksums and the signature, as someone holding the key would."""
    manifest = json.loads(members["manifest.json"])
    for table in manifest["tables"]:
        data = members[f"tables/{table['label']}.jsonl"]
        table["sha256"] = hashlib.sha256(data).hexdigest()
        table["bytes"] = len(data)
        table["rows"] = data.count(b"\n")
    raw = json.dumps(manifest).encode()
    signature = hmac.new((key or settings.BACKUP_KEY).encode(), raw, hashlib.sha256)
    return {**members, "manifest.json": raw, "manifest.sig": signature.hexdigest().encode()}


def tamper_title(members: dict[str, bytes]) -> dict[str, bytes]:
    table = "tables/catalog.resource.jsonl"
    return {
        **members,
        table: members[table].replace(b'"title": "Revu"', '"title": "Piraté"'.encode()),
    }


@pytest.fixture
def archive(edited, tmp_path):
    path = tmp_path / "backup.zip"
    export_all(path)
    Resource.objects.filter(pk=edited.pk).update(title="Depuis la sauvegarde")
    return path


def refused(path, match: str) -> None:
    before = state()
    with pytest.raises(BackupError, match=match):
        import_all(path)
    assert state() == before


def test_a_truncated_archive_is_refused_whole(archive, tmp_path):
    data = archive.read_bytes()
    for cut in (len(data) // 2, len(data) - 10):
        (tmp_path / "cut.zip").write_bytes(data[:cut])
        refused(tmp_path / "cut.zip", "not a complete archive")


def test_a_changed_row_is_refused_by_its_checksum(archive, tmp_path):
    write_members(tmp_path / "bad.zip", tamper_title(members_of(archive)))

    refused(tmp_path / "bad.zip", "tables/catalog.resource.jsonl does not match its checksum")


def test_a_changed_row_with_a_recomputed_manifest_is_refused_by_the_signature(archive, tmp_path):
    forged = resign(tamper_title(members_of(archive)), key="une autre clé")
    write_members(tmp_path / "bad.zip", forged)

    refused(tmp_path / "bad.zip", "the signature does not match")


def test_a_missing_table_is_refused(archive, tmp_path):
    members = members_of(archive)
    del members["tables/catalog.contact.jsonl"]
    write_members(tmp_path / "bad.zip", members)

    refused(tmp_path / "bad.zip", "files missing or unexpected: tables/catalog.contact.jsonl")


def test_rows_that_do_not_hold_together_are_refused_and_nothing_changes(archive, tmp_path):
    members = members_of(archive)
    members["tables/catalog.resource.jsonl"] = b"".join(
        line
        for line in members["tables/catalog.resource.jsonl"].splitlines(keepends=True)
        if b'"title": "Revu"' not in line
    )
    write_members(tmp_path / "bad.zip", resign(members))
    assert Placement.objects.filter(resource__title="Depuis la sauvegarde").exists()

    refused(tmp_path / "bad.zip", "rows do not hold together")


def test_an_archive_of_another_schema_is_refused(archive, tmp_path):
    members = members_of(archive)
    manifest = json.loads(members["manifest.json"])
    manifest["schema"]["catalog"].append("9999_from_the_future")
    members["manifest.json"] = json.dumps(manifest).encode()
    write_members(tmp_path / "bad.zip", resign(members))

    refused(tmp_path / "bad.zip", "made with other migrations for catalog")


# --- the commands ----------------------------------------------------------------


def test_the_commands_round_trip_and_report_in_json(edited, tmp_path):
    out = StringIO()
    call_command("export-all", str(tmp_path / "a.zip"), "--format", "json", stdout=out)
    exported = json.loads(out.getvalue())
    out = StringIO()
    call_command("import-all", str(tmp_path / "a.zip"), "--format", "json", stdout=out)

    assert json.loads(out.getvalue())["tables"] == exported["tables"]
    assert exported["tables"]["catalog.historicalresource"] == edited.history.count() + sum(
        r.history.count() for r in Resource.objects.exclude(pk=edited.pk)
    )
    assert exported["tables"]["auth.user"] == 2


def test_the_import_command_says_nothing_was_changed(archive, tmp_path):
    (tmp_path / "cut.zip").write_bytes(archive.read_bytes()[:100])

    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("import-all", str(tmp_path / "cut.zip"), stdout=io.StringIO())


# --- hostile archives ----------------------------------------------------------------

BOMB_BYTES = 256 * 1024 * 1024  # a quarter of a gigabyte of zeros: about 250 KB compressed


def with_bomb(path, source, name: str) -> None:
    """A copy of `source` where the member `name` (new or replacing) inflates to BOMB_BYTES."""
    members = members_of(source)
    members.pop(name, None)
    write_members(path, members)
    zeros = bytes(1024 * 1024)
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open(name, "w", force_zip64=True) as stream,
    ):
        for _ in range(BOMB_BYTES // len(zeros)):
            stream.write(zeros)


def refused_within_memory(path, match: str) -> None:
    tracemalloc.start()
    try:
        refused(path, match)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 32 * 1024 * 1024, f"{peak / 1e6:.0f} MB held to refuse a bomb"


@pytest.mark.parametrize(
    ("member", "match"),
    [
        ("tables/extra.jsonl", "files missing or unexpected: tables/extra.jsonl"),
        ("tables/catalog.resource.jsonl", "catalog.resource.jsonl does not match its checksum"),
        ("manifest.json", "manifest.json is larger than any Sommaire backup"),
        ("manifest.sig", "manifest.sig is larger than any Sommaire backup"),
    ],
)
def test_an_archive_that_inflates_to_gigabytes_is_refused_without_inflating_it(
    archive, tmp_path, member, match
):
    with_bomb(tmp_path / "bomb.zip", archive, member)
    assert (tmp_path / "bomb.zip").stat().st_size < 2 * 1024 * 1024

    refused_within_memory(tmp_path / "bomb.zip", match)


def test_the_signature_is_checked_before_any_table_is_decompressed(archive, tmp_path):
    members = resign(tamper_title(members_of(archive)), key="une autre clé")
    write_members(tmp_path / "forged.zip", members)
    with_bomb(tmp_path / "bomb.zip", tmp_path / "forged.zip", "tables/catalog.resource.jsonl")

    refused_within_memory(tmp_path / "bomb.zip", "the signature does not match")


def test_an_archive_made_before_sizes_were_signed_still_imports(archive, tmp_path):
    members = members_of(archive)
    manifest = json.loads(members["manifest.json"])
    for table in manifest["tables"]:
        del table["bytes"]
    raw = json.dumps(manifest).encode()
    signature = hmac.new(settings.BACKUP_KEY.encode(), raw, hashlib.sha256).hexdigest()
    write_members(
        tmp_path / "older.zip",
        {**members, "manifest.json": raw, "manifest.sig": signature.encode()},
    )

    import_all(tmp_path / "older.zip")

    assert Resource.objects.filter(title="Revu").exists()


def damaged(source, path, member: str, how: str) -> None:
    """A copy of `source` with `member`'s deflate stream or its CRC spoiled."""
    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(source) as archive:
        info = archive.getinfo(member)
    if how == "stream":
        name_length, extra_length = struct.unpack("<HH", data[info.header_offset + 26 :][:4])
        start = info.header_offset + 30 + name_length + extra_length
        data[start : start + 16] = b"\xff" * 16  # a reserved block type: zlib.error
    else:
        entry = data.index(b"PK\x01\x02")
        while not data[entry + 46 :].startswith(member.encode()):
            entry = data.index(b"PK\x01\x02", entry + 4)
        crc = struct.unpack("<I", data[entry + 16 : entry + 20])[0] ^ 1
        data[entry + 16 : entry + 20] = struct.pack("<I", crc)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("how", ["stream", "crc"])
def test_a_corrupted_table_reads_as_a_damaged_archive_not_a_traceback(archive, tmp_path, how):
    damaged(archive, tmp_path / "damaged.zip", "tables/catalog.resource.jsonl", how)

    refused(tmp_path / "damaged.zip", "not a complete archive")
    with pytest.raises(CommandError, match="not a complete archive.*nothing was changed"):
        call_command("import-all", str(tmp_path / "damaged.zip"), stdout=io.StringIO())
