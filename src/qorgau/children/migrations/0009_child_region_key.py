"""The region of each child's place on the child's row, for the name search index.

`region_code` (the first two digits of the place's KATO code) leads the trigram index
of children 0010, so a caseworker's name search reads their region's children, not the
country's. Filled from the place in batches of 50,000 children, each its own
transaction on PostgreSQL (a million children is twenty short updates, not one long
lock); the services keep it from then on. `linked_beyond_region` marks a child a case
of another region links to; cases 0010 fills it, as it reads the cases.
"""

from django.db import migrations, models

BATCH = 50_000


def backfill(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT MIN(id), MAX(id) FROM children_child")
        low, high = cursor.fetchone()
        if low is None:
            return
        for start in range(low, high + 1, BATCH):
            cursor.execute(
                "UPDATE children_child SET region_code = "
                "(SELECT SUBSTR(p.kato, 1, 2) FROM places_place p "
                "WHERE p.id = children_child.place_id) WHERE id >= %s AND id < %s",
                [start, start + BATCH],
            )


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("children", "0008_unknown_child_described")]
    operations = [
        migrations.AddField(
            model_name="child",
            name="region_code",
            field=models.CharField(default="", editable=False, max_length=2),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="child",
            name="linked_beyond_region",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="child",
            constraint=models.CheckConstraint(
                condition=models.Q(region_code__regex="^[0-9]{2}$"), name="child_region_code_set"
            ),
        ),
    ]
