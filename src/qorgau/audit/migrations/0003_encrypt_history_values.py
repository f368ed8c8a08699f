"""The field history keeps the encrypted fields encrypted too: the historical models
copy the field classes, and the values already recorded are encrypted here."""

from django.db import migrations

import qorgau.protection.fields
from qorgau.protection.migration_ops import encrypt_columns


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_field_history"),
        ("cases", "0003_encrypt_sensitive_text"),
        ("children", "0003_iin_keyed_hash"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalassessment",
            name="answers",
            field=qorgau.protection.fields.EncryptedJSONField(default=dict),
        ),
        migrations.AlterField(
            model_name="historicalassessment",
            name="reasoning",
            field=qorgau.protection.fields.EncryptedTextField(verbose_name="reasoning"),
        ),
        migrations.AlterField(
            model_name="historicalcase",
            name="closure_note",
            field=qorgau.protection.fields.EncryptedTextField(
                blank=True, verbose_name="closure summary"
            ),
        ),
        migrations.AlterField(
            model_name="historicalcaseplan",
            name="summary",
            field=qorgau.protection.fields.EncryptedTextField(verbose_name="plan summary"),
        ),
        migrations.AlterField(
            model_name="historicalchild",
            name="disability_note",
            field=qorgau.protection.fields.EncryptedCharField(
                blank=True, max_length=300, verbose_name="disability details"
            ),
        ),
        migrations.AlterField(
            model_name="historicalchild",
            name="iin",
            field=qorgau.protection.fields.EncryptedCharField(
                blank=True, max_length=12, null=True, verbose_name="IIN"
            ),
        ),
        migrations.AlterField(
            model_name="historicalfamilymember",
            name="phone",
            field=qorgau.protection.fields.EncryptedCharField(
                blank=True, max_length=30, verbose_name="phone"
            ),
        ),
        migrations.AlterField(
            model_name="historicalreport",
            name="narrative",
            field=qorgau.protection.fields.EncryptedTextField(verbose_name="what was reported"),
        ),
        migrations.AlterField(
            model_name="historicalreport",
            name="reporter_contact",
            field=qorgau.protection.fields.EncryptedCharField(
                blank=True, max_length=200, verbose_name="reporter's contact"
            ),
        ),
        migrations.AlterField(
            model_name="historicalreport",
            name="reporter_name",
            field=qorgau.protection.fields.EncryptedCharField(
                blank=True, max_length=200, verbose_name="reporter's name"
            ),
        ),
        migrations.AlterField(
            model_name="historicalvisit",
            name="findings",
            field=qorgau.protection.fields.EncryptedTextField(verbose_name="findings"),
        ),
        encrypt_columns(
            "audit",
            {
                "historicalreport": ["narrative", "reporter_name", "reporter_contact"],
                "historicalassessment": ["answers", "reasoning"],
                "historicalvisit": ["findings"],
                "historicalcase": ["closure_note"],
                "historicalcaseplan": ["summary"],
                "historicalchild": ["iin", "disability_note"],
                "historicalfamilymember": ["phone"],
            },
        ),
    ]
