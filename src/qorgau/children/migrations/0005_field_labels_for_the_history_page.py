"""Labels (verbose names) of the fields and records the history page shows: each in the
reader's language. No change to the database schema."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("children", "0004_rebuild_name_search_keys"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="child",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="registered at"),
        ),
        migrations.AlterField(
            model_name="child",
            name="created_by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="registered by",
            ),
        ),
        migrations.AlterField(
            model_name="familymember",
            name="child",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="family",
                to="children.child",
                verbose_name="child",
            ),
        ),
    ]
