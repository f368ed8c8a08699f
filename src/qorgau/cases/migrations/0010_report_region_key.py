"""Region keys: on reports for the screening queue, on cases and children for search.

The region of each report's place on the report's row, for the screening queue.

`region_code` (the first two digits of the place's KATO code) leads a new index of the
queue (status, region_code, screening_due_at): a region's reports awaiting screening,
in due order, without reading the country's overdue reports first. Filled from the
place in batches of 50,000 reports, each its own transaction on PostgreSQL; the
services keep it from then on. A report awaiting screening has no case (screening in
is what gives it one), now a constraint, on which the queue's access rule rests.

Children linked to a case of another region than their own are marked
(children.Child.linked_beyond_region, added by children 0009), and the cases get
(organisation, region) and (worker, region) indexes: together they let a name search
find the children beyond the searcher's region without reading the country's matches
(access.children_visible_to).
"""

from django.db import migrations, models

BATCH = 50_000


def backfill(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT MIN(id), MAX(id) FROM cases_report")
        low, high = cursor.fetchone()
        if low is None:
            return
        for start in range(low, high + 1, BATCH):
            cursor.execute(
                "UPDATE cases_report SET region_code = "
                "(SELECT SUBSTR(p.kato, 1, 2) FROM places_place p "
                "WHERE p.id = cases_report.place_id) WHERE id >= %s AND id < %s",
                [start, start + BATCH],
            )


def mark_children_beyond_region(apps, schema_editor):
    schema_editor.execute(
        "UPDATE children_child SET linked_beyond_region = %s WHERE id IN ("
        "SELECT l.child_id FROM cases_case_children l "
        "JOIN cases_case k ON k.id = l.case_id "
        "JOIN places_place r ON r.id = k.region_id "
        "JOIN children_child c ON c.id = l.child_id "
        "WHERE SUBSTR(r.kato, 1, 2) <> c.region_code)",
        [True],
    )


class Migration(migrations.Migration):
    atomic = False
    dependencies = [
        ("cases", "0009_screen_out_review"),
        ("children", "0009_child_region_key"),
    ]
    operations = [
        migrations.AddField(
            model_name="report",
            name="region_code",
            field=models.CharField(default="", editable=False, max_length=2),
            preserve_default=False,
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="report",
            constraint=models.CheckConstraint(
                condition=models.Q(region_code__regex="^[0-9]{2}$"),
                name="report_region_code_set",
            ),
        ),
        migrations.AddConstraint(
            model_name="report",
            constraint=models.CheckConstraint(
                condition=~models.Q(status="new") | models.Q(case__isnull=True),
                name="report_awaiting_screening_has_no_case",
            ),
        ),
        migrations.AddIndex(
            model_name="report",
            index=models.Index(
                fields=["status", "region_code", "screening_due_at"],
                name="report_region_queue_idx",
            ),
        ),
        migrations.RunPython(mark_children_beyond_region, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["organisation", "region"], name="case_organisation_region_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["worker", "region"], name="case_worker_region_idx"),
        ),
    ]
