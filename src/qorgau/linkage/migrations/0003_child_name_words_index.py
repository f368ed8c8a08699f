"""Candidate lookup at intake by exact folded name words, through a GIN index.

`string_to_array(search_key, ' ') @> ARRAY[last, first]` finds the children whose
folded name has both words, in any order (swapped first and last names included),
and `&&` those with either; the GIN index answers both from the words' posting
lists, so a lookup costs the children of that name, not the registry
(linkage/selectors.py). Built CONCURRENTLY, so a full registry keeps working; on
SQLite the lookup uses LIKE and no index is made.
"""

from django.db import migrations

INDEX = "child_name_words_idx"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} "
            "ON children_child USING gin (string_to_array(search_key, ' '))"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    atomic = False
    dependencies = [
        ("linkage", "0002_batch_runs_and_review_queue"),
        ("children", "0006_name_search_trigram_index"),
    ]
    operations = [migrations.RunPython(create_index, drop_index)]
