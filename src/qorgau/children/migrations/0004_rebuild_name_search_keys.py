"""Rebuild every child's name search key after Я/Ю folding was added (Maria = Мария).

The key is derived data: it must equal what children.services.search_key computes
today, so this migration calls that function rather than freezing a copy of it.
"""

from django.db import migrations


def rebuild(apps, schema_editor):
    from qorgau.children.services import search_key

    Child = apps.get_model("children", "Child")
    batch = []
    for child in Child.objects.only(
        "pk", "last_name", "first_name", "middle_name", "other_spelling"
    ).iterator(chunk_size=2000):
        child.search_key = search_key(
            child.last_name, child.first_name, child.middle_name, child.other_spelling
        )
        batch.append(child)
        if len(batch) == 2000:
            Child.objects.bulk_update(batch, ["search_key"])
            batch = []
    Child.objects.bulk_update(batch, ["search_key"])


class Migration(migrations.Migration):
    dependencies = [("children", "0003_iin_keyed_hash")]
    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
