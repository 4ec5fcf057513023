"""PostgreSQL only: GIN indexes that let the database fallback answer without reading every row
(full-text over the jieba words, array containment for identifiers and pinyin keys). SQLite
keeps its LIKE scans: it serves the demo, not a city's archive."""

from django.db import migrations

INDEXES = {
    "search_entry_words_fts": "USING gin (to_tsvector('simple'::regconfig, words))",
    "search_entry_identifiers": "USING gin (string_to_array(btrim(identifiers), ' '))",
    "search_entry_pinyin": "USING gin (string_to_array(btrim(pinyin), ' '))",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, how in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON search_searchentry {how}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
