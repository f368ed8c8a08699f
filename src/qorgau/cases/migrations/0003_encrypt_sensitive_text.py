"""Encrypt report narratives and reporters, assessments, plans, visit findings and
closure notes at rest (docs/adr/0005)."""

from django.db import migrations

import qorgau.protection.fields
from qorgau.protection.migration_ops import encrypt_columns


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_risk_assessment_questions"),
    ]

    operations = [
        migrations.AlterField(
            model_name="assessment",
            name="answers",
            field=qorgau.protection.fields.EncryptedJSONField(default=dict),
        ),
        migrations.AlterField(
            model_name="assessment",
            name="reasoning",
            field=qorgau.protection.fields.EncryptedTextField(verbose_name="reasoning"),
        ),
        migrations.AlterField(
            model_name="case",
            name="closure_note",
            field=qorgau.protection.fields.EncryptedTextField(
                blank=True, verbose_name="closure summary"
            ),
        ),
        migrations.AlterField(
            model_name="caseplan",
            name="summary",
            field=qorgau.protection.fields.EncryptedTextField(verbose_name="plan summary"),
        ),
        migrations.AlterField(
            model_name="report",
            name="narrative",
            field=qorgau.protection.fields.EncryptedTextField(verbose_name="what was reported"),
        ),
        migrations.AlterField(
            model_name="report",
            name="reporter_contact",
            field=qorgau.protection.fields.EncryptedCharField(
                blank=True, max_length=200, verbose_name="reporter's contact"
            ),
        ),
        migrations.AlterField(
            model_name="report",
            name="reporter_name",
            field=qorgau.protection.fields.EncryptedCharField(
                blank=True, max_length=200, verbose_name="reporter's name"
            ),
        ),
        migrations.AlterField(
            model_name="visit",
            name="findings",
            field=qorgau.protection.fields.EncryptedTextField(verbose_name="findings"),
        ),
        encrypt_columns(
            "cases",
            {
                "report": ["narrative", "reporter_name", "reporter_contact"],
                "assessment": ["answers", "reasoning"],
                "visit": ["findings"],
                "case": ["closure_note"],
                "caseplan": ["summary"],
            },
        ),
    ]
