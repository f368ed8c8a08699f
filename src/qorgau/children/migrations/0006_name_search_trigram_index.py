"""Name search through a trigram index on PostgreSQL (pg_trgm), not a scan of every child.

The GIN index answers both `search_key LIKE '%word%'` and the near-spelling match
(`search_key %> word`). It is built CONCURRENTLY, so a registry that already holds a
million children keeps working while it is made. The b-tree indexes on the key served
only exact and prefix matches, which no search makes: they go. SQLite has no trigrams
and searches by LIKE (qorgau/search.py), so there the index is not made.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

INDEX = "child_search_key_trgm_idx"


class EnableTrigrams(TrigramExtension):
    """Django's operation asks pg_extension on the way back even on SQLite."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} "
            "ON children_child USING gin (search_key gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("children", "0005_field_labels_for_the_history_page")]
    operations = [
        EnableTrigrams(),
        migrations.AlterField(
            model_name="child",
            name="search_key",
            field=models.CharField(editable=False, max_length=400),
        ),
        migrations.RunPython(create_index, drop_index),
    ]
