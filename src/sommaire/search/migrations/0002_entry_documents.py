from django.db import migrations, models

# The words of a resource's linked document (sommaire.documents) join its
# entry as a fifth column, weighed lowest: a document found by its text
# comes after those found by their title or description. The engines'
# indexes are made again with the new column (SQLite removes the triggers
# of search_entry when AddField rebuilds the table, so they are made again
# too), then filled from search_entry.

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_entry_au",
    "DROP TRIGGER IF EXISTS search_entry_ad",
    "DROP TRIGGER IF EXISTS search_entry_ai",
    "DROP TABLE IF EXISTS search_fts",
]


def _sqlite(columns: list[str]) -> list[str]:
    names = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    return [
        *SQLITE_DROP,
        f"""CREATE VIRTUAL TABLE search_fts USING fts5(
            {names}, content='search_entry', content_rowid='resource_id', tokenize='ascii'
        )""",
        f"""CREATE TRIGGER search_entry_ai AFTER INSERT ON search_entry BEGIN
            INSERT INTO search_fts(rowid, {names}) VALUES (new.resource_id, {new});
        END""",
        f"""CREATE TRIGGER search_entry_ad AFTER DELETE ON search_entry BEGIN
            INSERT INTO search_fts(search_fts, rowid, {names})
            VALUES ('delete', old.resource_id, {old});
        END""",
        f"""CREATE TRIGGER search_entry_au AFTER UPDATE ON search_entry BEGIN
            INSERT INTO search_fts(search_fts, rowid, {names})
            VALUES ('delete', old.resource_id, {old});
            INSERT INTO search_fts(rowid, {names}) VALUES (new.resource_id, {new});
        END""",
        "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
    ]


def _postgresql(columns: list[str]) -> list[str]:
    labels = {"code": "A", "title": "B", "meta": "C", "body": "D", "documents": "D"}
    vector = " || ".join(
        f"setweight(to_tsvector('simple'::regconfig, {c}), '{labels[c]}')" for c in columns
    )
    return [
        "DROP INDEX IF EXISTS search_entry_vector",
        "ALTER TABLE search_entry DROP COLUMN IF EXISTS vector",
        f"ALTER TABLE search_entry ADD COLUMN vector tsvector GENERATED ALWAYS AS ({vector}) STORED",
        "CREATE INDEX search_entry_vector ON search_entry USING GIN (vector)",
    ]


OLD = ["code", "title", "meta", "body"]
NEW = [*OLD, "documents"]


def _run(statements):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
    ]

    operations = [
        # Backwards only: the old vector comes back once the column is gone
        # (PostgreSQL refuses to drop a column a generated column reads).
        migrations.RunPython(migrations.RunPython.noop, _run({"postgresql": _postgresql(OLD)})),
        migrations.AddField(
            model_name="entry",
            name="documents",
            field=models.TextField(
                blank=True,
                default="",
                help_text="Distinct words of the linked document (sommaire.documents).",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(
            _run({"sqlite": _sqlite(NEW), "postgresql": _postgresql(NEW)}),
            _run({"sqlite": _sqlite(OLD), "postgresql": _postgresql([])[:2]}),
        ),
    ]
