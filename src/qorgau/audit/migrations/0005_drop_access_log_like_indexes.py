"""Drop the three `varchar_pattern_ops` ("_like") indexes PostgreSQL got on the access log.

Django adds one beside the b-tree of every indexed or unique text column, for
`LIKE 'prefix%'`. The log is only ever matched exactly on `actor_username`, `hash` and
`prev_hash`, so the three copies only slowed every append (the log is written on every
page that shows personal data) and took space. The b-tree and unique indexes stay.
"""

from django.db import migrations

COLUMNS = ("actor_username", "hash", "prev_hash")


def drop_like_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        # Their names end in a hash Django made up: found by what they are.
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'audit_accesslogentry' "
            "AND indexdef LIKE '%%varchar_pattern_ops%%'"
        )
        names = [name for (name,) in cursor.fetchall()]
    for name in names:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


def create_like_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "audit_accesslogentry_{column}_like" '
            f"ON audit_accesslogentry ({column} varchar_pattern_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_login_and_logout_events")]
    operations = [migrations.RunPython(drop_like_indexes, create_like_indexes)]
