"""Encrypt the disability details and family phone numbers at rest (docs/adr/0005)."""

from django.db import migrations

import qorgau.protection.fields
from qorgau.protection.migration_ops import encrypt_columns


class Migration(migrations.Migration):
    dependencies = [
        ("children", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="child",
            name="disability_note",
            field=qorgau.protection.fields.EncryptedCharField(
                blank=True, max_length=300, verbose_name="disability details"
            ),
        ),
        migrations.AlterField(
            model_name="familymember",
            name="phone",
            field=qorgau.protection.fields.EncryptedCharField(
                blank=True, max_length=30, verbose_name="phone"
            ),
        ),
        encrypt_columns("children", {"child": ["disability_note"], "familymember": ["phone"]}),
    ]
