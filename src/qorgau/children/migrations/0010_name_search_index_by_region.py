"""The name search's trigram index led by the region key (btree_gin), on PostgreSQL.

A GIN index on (region_code, search_key gin_trgm_ops) answers "this region's children
whose name holds these words" from the index alone: a common first name searched by a
caseworker reads their region's matches, not the country's (the nationwide trigram
posting list of "аигерим" at 1M children is 15,000 rows). btree_gin gives GIN the
equality on the region; the index still serves a condition on the name alone (GIN
answers any subset of its columns), so it replaces the trigram index of 0006. Built
CONCURRENTLY, as 0006; SQLite has no GIN and searches by LIKE. A second, partial
index holds the names of the children a case of another region links to
(`linked_beyond_region`): beyond the region a search reads those few, not the country.
"""

from django.contrib.postgres.operations import BtreeGinExtension
from django.db import migrations

INDEX = "child_region_search_trgm_idx"
BEYOND = "child_beyond_region_search_trgm_idx"
OLD = "child_search_key_trgm_idx"


class EnableBtreeGin(BtreeGinExtension):
    """Django's operation asks pg_extension on the way back even on SQLite."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} "
            "ON children_child USING gin (region_code, search_key gin_trgm_ops)"
        )
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {BEYOND} "
            "ON children_child USING gin (search_key gin_trgm_ops) WHERE linked_beyond_region"
        )
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {OLD}")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {OLD} "
            "ON children_child USING gin (search_key gin_trgm_ops)"
        )
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {BEYOND}")


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("children", "0009_child_region_key")]
    operations = [EnableBtreeGin(), migrations.RunPython(create_index, drop_index)]
