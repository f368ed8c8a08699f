"""Search by address and by a family member's name through trigram indexes (PostgreSQL).

`address__icontains` and `full_name__icontains` are `UPPER(col::text) LIKE UPPER('%..%')`
on PostgreSQL: a GIN trigram index on that same expression answers them without
reading every child or every relative in the country. Built CONCURRENTLY, as the name
index of 0006; SQLite has no trigrams and scans.
"""

from django.db import migrations

INDEXES = {
    "child_address_trgm_idx": "children_child USING gin ((UPPER(address::text)) gin_trgm_ops)",
    "family_member_name_trgm_idx": (
        "children_familymember USING gin ((UPPER(full_name::text)) gin_trgm_ops)"
    ),
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, target in INDEXES.items():
            schema_editor.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {target}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("children", "0006_name_search_trigram_index")]
    operations = [migrations.RunPython(create_indexes, drop_indexes)]
