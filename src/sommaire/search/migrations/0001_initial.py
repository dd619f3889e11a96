import django.db.models.deletion
from django.db import migrations, models

# The engines' indexes are derived from search_entry by the database itself,
# so that a row written in a transaction is searchable in that transaction.

SQLITE_FORWARD = [
    # External content: the FTS table stores only the index, read from search_entry.
    # 'ascii' tokenizer: entries hold [a-z0-9] tokens separated by spaces.
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        code, title, meta, body,
        content='search_entry', content_rowid='resource_id', tokenize='ascii'
    )""",
    """CREATE TRIGGER search_entry_ai AFTER INSERT ON search_entry BEGIN
        INSERT INTO search_fts(rowid, code, title, meta, body)
        VALUES (new.resource_id, new.code, new.title, new.meta, new.body);
    END""",
    """CREATE TRIGGER search_entry_ad AFTER DELETE ON search_entry BEGIN
        INSERT INTO search_fts(search_fts, rowid, code, title, meta, body)
        VALUES ('delete', old.resource_id, old.code, old.title, old.meta, old.body);
    END""",
    """CREATE TRIGGER search_entry_au AFTER UPDATE ON search_entry BEGIN
        INSERT INTO search_fts(search_fts, rowid, code, title, meta, body)
        VALUES ('delete', old.resource_id, old.code, old.title, old.meta, old.body);
        INSERT INTO search_fts(rowid, code, title, meta, body)
        VALUES (new.resource_id, new.code, new.title, new.meta, new.body);
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_entry_au",
    "DROP TRIGGER IF EXISTS search_entry_ad",
    "DROP TRIGGER IF EXISTS search_entry_ai",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRESQL_FORWARD = [
    # 'simple': no stemming nor stop words, the tokens are already analysed.
    """ALTER TABLE search_entry ADD COLUMN vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, code), 'A')
        || setweight(to_tsvector('simple'::regconfig, title), 'B')
        || setweight(to_tsvector('simple'::regconfig, meta), 'C')
        || setweight(to_tsvector('simple'::regconfig, body), 'D')
    ) STORED""",
    "CREATE INDEX search_entry_vector ON search_entry USING GIN (vector)",
]
POSTGRESQL_BACKWARD = [
    "DROP INDEX IF EXISTS search_entry_vector",
    "ALTER TABLE search_entry DROP COLUMN IF EXISTS vector",
]


def _run(statements):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("catalog", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="Entry",
            fields=[
                (
                    "resource",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_entry",
                        serialize=False,
                        to="catalog.resource",
                    ),
                ),
                ("active", models.BooleanField(default=True)),
                ("code", models.TextField(blank=True, help_text="Codes of the document, whole: dsrhopdpiva1.")),
                ("title", models.TextField(blank=True, help_text="Title and kind.")),
                ("meta", models.TextField(blank=True, help_text="Sections, group, publisher, profile, wave.")),
                ("body", models.TextField(blank=True, help_text="Description.")),
                ("words", models.TextField(blank=True, help_text="Words as written, for typo correction.")),
            ],
            options={
                "verbose_name": "entrée de l’index de recherche",
                "verbose_name_plural": "index de recherche",
            },
        ),
        migrations.CreateModel(
            name="Synonym",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("words", models.JSONField(verbose_name="mots")),
                ("means", models.JSONField(blank=True, default=list, verbose_name="signifie")),
                ("order", models.PositiveIntegerField(default=0, verbose_name="ordre")),
            ],
            options={
                "verbose_name": "synonyme",
                "verbose_name_plural": "synonymes",
                "ordering": ["order", "pk"],
            },
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRESQL_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRESQL_BACKWARD}),
        ),
    ]
