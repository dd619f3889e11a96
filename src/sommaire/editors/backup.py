"""Whole-site backups: every table that matters, history and accounts included.

An archive is a zip file:

    manifest.json            format, schema (the migrations applied), and for
                             each table its model, row count and SHA-256
    manifest.sig             HMAC-SHA256 of manifest.json with BACKUP_KEY
    tables/<app.model>.jsonl one row per line, by primary key, keys sorted

The same data gives the same bytes, on SQLite and on PostgreSQL: rows in key
order, JSON with sorted keys, dates at full precision, zip entries without
timestamps. So export -> wipe -> import -> export is byte-identical.

An import checks everything before it writes anything (signature, schema,
each table's checksum and count, no extra file) and then replaces the
tables in one transaction: a truncated or tampered archive is refused whole,
and a failure half-way changes nothing.
"""

import hashlib
import hmac
import json
import os
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder

FORMAT = "sommaire-backup"
VERSION = 1
MANIFEST, SIGNATURE = "manifest.json", "manifest.sig"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
# The manifest lists migrations and tables: a few dozen kilobytes. Anything
# larger is not ours, and is refused before it is decompressed further.
MANIFEST_MAX_BYTES = 4 * 1024 * 1024
SIGNATURE_MAX_BYTES = 128
CHUNK_BYTES = 1024 * 1024
# What reading a damaged zip raises: a bad CRC (BadZipFile), a truncated or
# corrupted deflate stream (EOFError, zlib.error), an unreadable header.
DAMAGED = (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, zlib.error)

# Never archived, never wiped: transient rows, and the cache generation, which
# must only grow (an import moves it forward instead).
SKIPPED = {
    "editors.loginfailure",
    "alerts.subscriberequest",
    "catalog.catalogstate",
    "linkcheck.runlock",
}
# Never archived but wiped on import, then rebuilt from the restored tables.
DERIVED = {"search.entry", "edition.builtpdf"}
# Django's own tables that matter; content types and permissions come from
# the migrations and are referred to by natural key.
DJANGO_TABLES = {"auth.user", "auth.group", "admin.logentry"}


class BackupError(Exception):
    """An archive that cannot be imported; nothing was changed."""


@dataclass
class Table:
    label: str
    rows: int
    sha256: str
    # The member's size, signed with the rest: a tampered member that would
    # inflate past it is refused at once. Absent from older archives.
    bytes: int | None = None

    @property
    def member(self) -> str:
        return f"tables/{self.label}.jsonl"


@dataclass
class Report:
    tables: list[Table] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"tables": {t.label: t.rows for t in self.tables}, "rows": self.rows()}

    def rows(self) -> int:
        return sum(t.rows for t in self.tables)


def _label(model) -> str:
    return model._meta.label_lower


def archived_models() -> list:
    """The models an archive holds, parents before children."""
    chosen = []
    for model in apps.get_models():
        label = _label(model)
        ours = model._meta.app_config.name.startswith("sommaire.")
        wanted = (ours or label in DJANGO_TABLES) and label not in SKIPPED | DERIVED
        if wanted and model._meta.managed and not model._meta.proxy:
            chosen.append(model)
    by_app: dict = {}
    for model in chosen:
        by_app.setdefault(model._meta.app_config, []).append(model)
    return serializers.sort_dependencies(by_app.items(), allow_cycles=True)


def _schema() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def _json_default(value):
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        raise TypeError("binary values are serialised by their field")
    raise TypeError(f"cannot archive {type(value).__name__}")


def _dump(objects: list[dict]) -> bytes:
    lines = []
    for obj in objects:
        row = {"pk": obj["pk"], "fields": obj["fields"]}
        lines.append(json.dumps(row, default=_json_default, ensure_ascii=False, sort_keys=True))
    return ("\n".join(lines) + "\n" if lines else "").encode("utf-8")


def _sign(manifest: bytes) -> str:
    return hmac.new(settings.BACKUP_KEY.encode(), manifest, hashlib.sha256).hexdigest()


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def export_all(path: Path, progress: Callable[[str, int], None] | None = None) -> Report:
    """Write every table that matters into the archive at `path` (replaced atomically)."""
    report, members = Report(), {}
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            # One snapshot for every table: rows written during the export
            # must not appear in one table and be missing from another.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        schema = _schema()
        for model in archived_models():
            rows = model._base_manager.order_by("pk")
            objects = serializers.serialize(
                "python", rows.iterator(chunk_size=2000), use_natural_foreign_keys=True
            )
            data = _dump(objects)
            table = Table(_label(model), len(objects), hashlib.sha256(data).hexdigest(), len(data))
            report.tables.append(table)
            members[table.member] = data
            if progress:
                progress(table.label, table.rows)
    manifest = json.dumps(
        {
            "format": FORMAT,
            "version": VERSION,
            "schema": schema,
            "tables": [t.__dict__ for t in report.tables],
        },
        ensure_ascii=False,
        sort_keys=True,
        indent=1,
    ).encode("utf-8")
    _write_zip(Path(path), {MANIFEST: manifest, SIGNATURE: _sign(manifest).encode(), **members})
    return report


def _write_zip(path: Path, members: dict[str, bytes]) -> None:
    # Written beside the target then renamed: an interrupted export never
    # leaves a half archive under the real name.
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w") as archive:
            for name, data in members.items():
                archive.writestr(_entry(name), data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_archive(path: Path) -> dict:
    """Open and verify an archive completely; return its manifest; BackupError on any doubt.

    The order is the defence against a hostile file: the list of members is
    read from the zip's directory without decompressing anything; the
    manifest is decompressed with a cap and its signature checked before
    any table is touched; each table is then hashed as a stream, never held
    whole. A small archive that inflates to gigabytes is refused after a few
    kilobytes, and a damaged deflate stream reads as a damaged archive.
    """
    with _open(path) as archive:
        return _verified_manifest(path, archive)


@contextmanager
def _open(path: Path):
    """The zip at `path`; any damage met while reading it becomes one BackupError."""
    try:
        with zipfile.ZipFile(path) as archive:
            yield archive
    except FileNotFoundError:
        raise BackupError(f"{path}: no such file") from None
    except DAMAGED as error:
        raise BackupError(f"{path}: not a complete archive ({error})") from None


def _verified_manifest(path: Path, archive: zipfile.ZipFile) -> dict:
    names = [info.filename for info in archive.infolist()]
    if MANIFEST not in names or SIGNATURE not in names:
        raise BackupError(f"{path}: no manifest: not a Sommaire backup")
    manifest_bytes = _read_capped(path, archive, MANIFEST, MANIFEST_MAX_BYTES)
    signature = _read_capped(path, archive, SIGNATURE, SIGNATURE_MAX_BYTES)
    if not hmac.compare_digest(signature.decode("ascii", "replace"), _sign(manifest_bytes)):
        raise BackupError(
            f"{path}: the signature does not match: the archive was altered, or it was made "
            "with another SOMMAIRE_BACKUP_KEY"
        )
    manifest = json.loads(manifest_bytes)
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BackupError(f"{path}: unknown format {manifest.get('format')!r}")
    _check_schema(manifest["schema"])
    tables = [Table(**t) for t in manifest["tables"]]
    expected = {MANIFEST, SIGNATURE} | {t.member for t in tables}
    if set(names) != expected or len(names) != len(expected):
        extra = sorted(set(names) ^ expected) or ["a file named twice"]
        raise BackupError(f"{path}: files missing or unexpected: {', '.join(extra)}")
    for table in tables:
        _read_table(path, archive, table, keep=False)
    return manifest


def _read_capped(path: Path, archive: zipfile.ZipFile, name: str, cap: int) -> bytes:
    with archive.open(name) as stream:
        data = stream.read(cap + 1)
    if len(data) > cap:
        raise BackupError(f"{path}: {name} is larger than any Sommaire backup's: refused")
    return data


def _read_table(path: Path, archive: zipfile.ZipFile, table: Table, keep: bool) -> bytes:
    """Hash (and keep, if asked) one table's member as a stream, checked against the manifest."""
    digest, lines, size, kept = hashlib.sha256(), 0, 0, []
    if table.bytes is not None and archive.getinfo(table.member).file_size != table.bytes:
        raise BackupError(f"{path}: {table.member} does not match its checksum")
    with archive.open(table.member) as stream:
        while chunk := stream.read(CHUNK_BYTES):
            size += len(chunk)
            if table.bytes is not None and size > table.bytes:
                raise BackupError(f"{path}: {table.member} does not match its checksum")
            digest.update(chunk)
            lines += chunk.count(b"\n")
            if keep:
                kept.append(chunk)
    if digest.hexdigest() != table.sha256:
        raise BackupError(f"{path}: {table.member} does not match its checksum")
    if lines != table.rows:
        raise BackupError(f"{path}: {table.member} does not hold {table.rows} rows")
    return b"".join(kept)


def _check_schema(archived: dict) -> None:
    here = _schema()
    differ = sorted(app for app in set(here) | set(archived) if here.get(app) != archived.get(app))
    if differ:
        raise BackupError(
            f"the archive was made with other migrations for {', '.join(differ)}: restore it "
            "with the version of Sommaire that made it, then upgrade"
        )


def import_all(path: Path, progress: Callable[[str, int], None] | None = None) -> Report:
    """Replace every archived table by the archive's rows, in one transaction."""
    with _open(path) as archive:
        return _import(path, archive, progress)


def _import(path: Path, archive: zipfile.ZipFile, progress) -> Report:
    manifest = _verified_manifest(path, archive)
    tables = [Table(**t) for t in manifest["tables"]]
    unknown = [t.label for t in tables if _model(t.label) is None]
    if unknown:
        raise BackupError(f"{path}: unknown tables {', '.join(unknown)}")
    models = [_model(t.label) for t in tables]
    report, pending = Report(tables), []
    with transaction.atomic():
        _wipe(models + [m for m in map(_model, sorted(DERIVED)) if m is not None])
        for table in tables:
            # Read again, and checked again: the file may have changed since.
            data = _read_table(path, archive, table, keep=True)
            rows = [json.loads(line) for line in data.splitlines()]
            for row in rows:
                row["model"] = table.label
            try:
                for obj in serializers.deserialize("python", rows, handle_forward_references=True):
                    obj.save()
                    if obj.deferred_fields:
                        pending.append(obj)
            except Exception as error:  # any bad row refuses the whole archive
                raise BackupError(f"{table.member}: {error}") from error
            if progress:
                progress(table.label, table.rows)
        for obj in pending:
            obj.save_deferred_fields()
        _reset_sequences(models)
        _check_constraints()
        _after_import()
    return report


def _model(label: str):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _wipe(models: list) -> None:
    # Plain DELETEs, children of many-to-many first; foreign keys are deferred
    # to the commit on both databases, so the order of the rest is free.
    tables = []
    for model in models:
        for m2m in model._meta.local_many_to_many:
            if m2m.remote_field.through._meta.auto_created:
                tables.append(m2m.remote_field.through._meta.db_table)
    tables += [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")


def _reset_sequences(models: list) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _check_constraints() -> None:
    """Fail inside the transaction, not at COMMIT, if a reference is dangling."""
    try:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            connection.check_constraints()
    except Exception as error:
        raise BackupError(f"the archive's rows do not hold together: {error}") from error


def _after_import() -> None:
    """Rebuild what is derived from the restored rows, and invalidate cached pages."""
    from sommaire.catalog.models import CatalogState

    if apps.is_installed("sommaire.search"):
        from sommaire.search import services as search

        search.reindex()
    CatalogState.bump()
