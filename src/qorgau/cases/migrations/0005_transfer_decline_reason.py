"""A declined transfer says why: the sender keeps the case and reads the reason."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_field_labels_for_the_history_page"),
    ]

    operations = [
        migrations.AddField(
            model_name="transfer",
            name="decline_reason",
            field=models.TextField(blank=True, verbose_name="reason for declining"),
        ),
    ]
