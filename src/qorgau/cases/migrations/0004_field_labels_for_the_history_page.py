"""Labels (verbose names) of the fields and records the history page shows: each in the
reader's language. No change to the database schema."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import qorgau.protection.fields


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_user_session_epoch"),
        ("cases", "0003_encrypt_sensitive_text"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="assessment",
            options={
                "ordering": ["-performed_at"],
                "verbose_name": "risk assessment",
                "verbose_name_plural": "risk assessments",
            },
        ),
        migrations.AlterModelOptions(
            name="caseplan",
            options={
                "ordering": ["-submitted_at"],
                "verbose_name": "case plan",
                "verbose_name_plural": "case plans",
            },
        ),
        migrations.AlterModelOptions(
            name="planaction",
            options={
                "ordering": ["due_date", "pk"],
                "verbose_name": "plan action",
                "verbose_name_plural": "plan actions",
            },
        ),
        migrations.AlterModelOptions(
            name="policenotification",
            options={
                "ordering": ["due_at"],
                "verbose_name": "police notification",
                "verbose_name_plural": "police notifications",
            },
        ),
        migrations.AlterModelOptions(
            name="transfer",
            options={
                "ordering": ["-requested_at"],
                "verbose_name": "transfer",
                "verbose_name_plural": "transfers",
            },
        ),
        migrations.AlterModelOptions(
            name="visit",
            options={
                "ordering": ["-visited_on", "-pk"],
                "verbose_name": "visit",
                "verbose_name_plural": "visits",
            },
        ),
        migrations.AlterField(
            model_name="assessment",
            name="answers",
            field=qorgau.protection.fields.EncryptedJSONField(default=dict, verbose_name="answers"),
        ),
        migrations.AlterField(
            model_name="assessment",
            name="case",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="assessments",
                to="cases.case",
                verbose_name="case",
            ),
        ),
        migrations.AlterField(
            model_name="assessment",
            name="performed_at",
            field=models.DateTimeField(verbose_name="assessed at"),
        ),
        migrations.AlterField(
            model_name="assessment",
            name="performed_by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="assessed by",
            ),
        ),
        migrations.AlterField(
            model_name="assessment",
            name="score",
            field=models.PositiveIntegerField(verbose_name="score"),
        ),
        migrations.AlterField(
            model_name="assessment",
            name="suggested_level",
            field=models.CharField(
                choices=[
                    ("low", "Low"),
                    ("medium", "Medium"),
                    ("high", "High"),
                    ("critical", "Critical"),
                ],
                max_length=10,
                verbose_name="suggested risk level",
            ),
        ),
        migrations.AlterField(
            model_name="case",
            name="closure_requested_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="closure requested by",
            ),
        ),
        migrations.AlterField(
            model_name="caseplan",
            name="case",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="plans",
                to="cases.case",
                verbose_name="case",
            ),
        ),
        migrations.AlterField(
            model_name="caseplan",
            name="decided_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="decided at"),
        ),
        migrations.AlterField(
            model_name="caseplan",
            name="decided_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="decided by",
            ),
        ),
        migrations.AlterField(
            model_name="caseplan",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "Draft"),
                    ("submitted", "Awaiting approval"),
                    ("approved", "Approved"),
                    ("returned", "Returned for changes"),
                ],
                default="draft",
                max_length=10,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="caseplan",
            name="submitted_at",
            field=models.DateTimeField(verbose_name="submitted at"),
        ),
        migrations.AlterField(
            model_name="caseplan",
            name="submitted_by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="submitted by",
            ),
        ),
        migrations.AlterField(
            model_name="planaction",
            name="plan",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="actions",
                to="cases.caseplan",
                verbose_name="case plan",
            ),
        ),
        migrations.AlterField(
            model_name="planaction",
            name="status",
            field=models.CharField(
                choices=[("planned", "Planned"), ("done", "Done"), ("cancelled", "Cancelled")],
                default="planned",
                max_length=10,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="policenotification",
            name="case",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="police_notifications",
                to="cases.case",
                verbose_name="case",
            ),
        ),
        migrations.AlterField(
            model_name="policenotification",
            name="concerns",
            field=models.CharField(max_length=200, verbose_name="concerns"),
        ),
        migrations.AlterField(
            model_name="policenotification",
            name="sent_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="sent by",
            ),
        ),
        migrations.AlterField(
            model_name="report",
            name="case",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="reports",
                to="cases.case",
                verbose_name="case",
            ),
        ),
        migrations.AlterField(
            model_name="report",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="recorded at"),
        ),
        migrations.AlterField(
            model_name="report",
            name="created_by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="reports_created",
                to=settings.AUTH_USER_MODEL,
                verbose_name="recorded by",
            ),
        ),
        migrations.AlterField(
            model_name="report",
            name="screened_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="screened at"),
        ),
        migrations.AlterField(
            model_name="report",
            name="screened_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="screened by",
            ),
        ),
        migrations.AlterField(
            model_name="report",
            name="status",
            field=models.CharField(
                choices=[
                    ("new", "Awaiting screening"),
                    ("screened_in", "Screened in"),
                    ("screened_out", "Screened out"),
                ],
                default="new",
                max_length=15,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="transfer",
            name="case",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="transfers",
                to="cases.case",
                verbose_name="case",
            ),
        ),
        migrations.AlterField(
            model_name="transfer",
            name="decided_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="decided at"),
        ),
        migrations.AlterField(
            model_name="transfer",
            name="decided_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="decided by",
            ),
        ),
        migrations.AlterField(
            model_name="transfer",
            name="due_at",
            field=models.DateTimeField(verbose_name="acceptance due"),
        ),
        migrations.AlterField(
            model_name="transfer",
            name="from_organisation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.organisation",
                verbose_name="sending organisation",
            ),
        ),
        migrations.AlterField(
            model_name="transfer",
            name="requested_at",
            field=models.DateTimeField(verbose_name="requested at"),
        ),
        migrations.AlterField(
            model_name="transfer",
            name="requested_by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="requested by",
            ),
        ),
        migrations.AlterField(
            model_name="transfer",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "Awaiting acceptance"),
                    ("accepted", "Accepted"),
                    ("declined", "Declined"),
                ],
                default="pending",
                max_length=10,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="visit",
            name="case",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="visits",
                to="cases.case",
                verbose_name="case",
            ),
        ),
        migrations.AlterField(
            model_name="visit",
            name="performed_by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="visited by",
            ),
        ),
    ]
