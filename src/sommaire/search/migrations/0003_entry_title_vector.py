from django.db import migrations

# The code and title of every entry in an index of their own. The ranking
# plan's tiers and candidates are the entries whose code or title hold the
# words: found in the index of every column, they cost a reading of every
# entry holding the words anywhere (PostgreSQL's GIN index knows no weights;
# FTS5 reads the positions of every row to filter by column), a quarter of
# the catalog for a common word such as « santé ». Both are kept by the
# database itself, so every write of search_entry keeps them true.
#
# PostgreSQL: `title_vector`, the code (A) and title (B), generated like
# `vector`, with its own GIN index.
# SQLite: `search_title_fts`, an FTS5 table of the code and title fed by
# triggers like `search_fts`. Hazard: a migration that makes SQLite rebuild
# search_entry drops its triggers (see 0002), which must then be made again.

POSTGRESQL_FORWARD = [
    """ALTER TABLE search_entry ADD COLUMN title_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, code), 'A')
        || setweight(to_tsvector('simple'::regconfig, title), 'B')
    ) STORED""",
    "CREATE INDEX search_entry_title_vector ON search_entry USING GIN (title_vector)",
    "ANALYZE search_entry",
]
POSTGRESQL_BACKWARD = [
    "DROP INDEX IF EXISTS search_entry_title_vector",
    "ALTER TABLE search_entry DROP COLUMN IF EXISTS title_vector",
]
SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE search_title_fts USING fts5(
        code, title, content='search_entry', content_rowid='resource_id', tokenize='ascii'
    )""",
    """CREATE TRIGGER search_entry_title_ai AFTER INSERT ON search_entry BEGIN
        INSERT INTO search_title_fts(rowid, code, title)
        VALUES (new.resource_id, new.code, new.title);
    END""",
    """CREATE TRIGGER search_entry_title_ad AFTER DELETE ON search_entry BEGIN
        INSERT INTO search_title_fts(search_title_fts, rowid, code, title)
        VALUES ('delete', old.resource_id, old.code, old.title);
    END""",
    """CREATE TRIGGER search_entry_title_au AFTER UPDATE ON search_entry BEGIN
        INSERT INTO search_title_fts(search_title_fts, rowid, code, title)
        VALUES ('delete', old.resource_id, old.code, old.title);
        INSERT INTO search_title_fts(rowid, code, title)
        VALUES (new.resource_id, new.code, new.title);
    END""",
    "INSERT INTO search_title_fts(search_title_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_entry_title_au",
    "DROP TRIGGER IF EXISTS search_entry_title_ad",
    "DROP TRIGGER IF EXISTS search_entry_title_ai",
    "DROP TABLE IF EXISTS search_title_fts",
]


def _run(statements):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_entry_documents"),
    ]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRESQL_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
