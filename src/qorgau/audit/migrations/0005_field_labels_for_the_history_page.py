"""Labels (verbose names) of the fields and records the history page shows: each in the
reader's language. No change to the database schema."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import qorgau.protection.fields


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_user_session_epoch"),
        ("audit", "0004_login_and_logout_events"),
        ("cases", "0003_encrypt_sensitive_text"),
        ("children", "0005_field_labels_for_the_history_page"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="historicalassessment",
            options={
                "get_latest_by": ("history_date", "history_id"),
                "ordering": ("-history_date", "-history_id"),
                "verbose_name": "historical risk assessment",
                "verbose_name_plural": "historical risk assessments",
            },
        ),
        migrations.AlterField(
            model_name="historicalassessment",
            name="answers",
            field=qorgau.protection.fields.EncryptedJSONField(default=dict, verbose_name="answers"),
        ),
        migrations.AlterField(
            model_name="historicalassessment",
            name="case",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="cases.case",
                verbose_name="case",
            ),
        ),
        migrations.AlterField(
            model_name="historicalassessment",
            name="performed_at",
            field=models.DateTimeField(verbose_name="assessed at"),
        ),
        migrations.AlterField(
            model_name="historicalassessment",
            name="performed_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="assessed by",
            ),
        ),
        migrations.AlterField(
            model_name="historicalassessment",
            name="score",
            field=models.PositiveIntegerField(verbose_name="score"),
        ),
        migrations.AlterField(
            model_name="historicalassessment",
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
            model_name="historicalcase",
            name="closure_requested_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="closure requested by",
            ),
        ),
        migrations.AlterField(
            model_name="historicalcaseplan",
            name="case",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="cases.case",
                verbose_name="case",
            ),
        ),
        migrations.AlterField(
            model_name="historicalcaseplan",
            name="decided_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="decided at"),
        ),
        migrations.AlterField(
            model_name="historicalcaseplan",
            name="decided_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="decided by",
            ),
        ),
        migrations.AlterField(
            model_name="historicalcaseplan",
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
            model_name="historicalcaseplan",
            name="submitted_at",
            field=models.DateTimeField(verbose_name="submitted at"),
        ),
        migrations.AlterField(
            model_name="historicalcaseplan",
            name="submitted_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="submitted by",
            ),
        ),
        migrations.AlterField(
            model_name="historicalchild",
            name="created_at",
            field=models.DateTimeField(blank=True, editable=False, verbose_name="registered at"),
        ),
        migrations.AlterField(
            model_name="historicalchild",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="registered by",
            ),
        ),
        migrations.AlterField(
            model_name="historicalfamilymember",
            name="child",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="children.child",
                verbose_name="child",
            ),
        ),
        migrations.AlterField(
            model_name="historicalplanaction",
            name="plan",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="cases.caseplan",
                verbose_name="case plan",
            ),
        ),
        migrations.AlterField(
            model_name="historicalplanaction",
            name="status",
            field=models.CharField(
                choices=[("planned", "Planned"), ("done", "Done"), ("cancelled", "Cancelled")],
                default="planned",
                max_length=10,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="historicalpolicenotification",
            name="case",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="cases.case",
                verbose_name="case",
            ),
        ),
        migrations.AlterField(
            model_name="historicalpolicenotification",
            name="concerns",
            field=models.CharField(max_length=200, verbose_name="concerns"),
        ),
        migrations.AlterField(
            model_name="historicalpolicenotification",
            name="sent_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="sent by",
            ),
        ),
        migrations.AlterField(
            model_name="historicalreport",
            name="case",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="cases.case",
                verbose_name="case",
            ),
        ),
        migrations.AlterField(
            model_name="historicalreport",
            name="created_at",
            field=models.DateTimeField(blank=True, editable=False, verbose_name="recorded at"),
        ),
        migrations.AlterField(
            model_name="historicalreport",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="recorded by",
            ),
        ),
        migrations.AlterField(
            model_name="historicalreport",
            name="screened_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="screened at"),
        ),
        migrations.AlterField(
            model_name="historicalreport",
            name="screened_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="screened by",
            ),
        ),
        migrations.AlterField(
            model_name="historicalreport",
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
            model_name="historicaltransfer",
            name="case",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="cases.case",
                verbose_name="case",
            ),
        ),
        migrations.AlterField(
            model_name="historicaltransfer",
            name="decided_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="decided at"),
        ),
        migrations.AlterField(
            model_name="historicaltransfer",
            name="decided_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="decided by",
            ),
        ),
        migrations.AlterField(
            model_name="historicaltransfer",
            name="due_at",
            field=models.DateTimeField(verbose_name="acceptance due"),
        ),
        migrations.AlterField(
            model_name="historicaltransfer",
            name="from_organisation",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="accounts.organisation",
                verbose_name="sending organisation",
            ),
        ),
        migrations.AlterField(
            model_name="historicaltransfer",
            name="requested_at",
            field=models.DateTimeField(verbose_name="requested at"),
        ),
        migrations.AlterField(
            model_name="historicaltransfer",
            name="requested_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="requested by",
            ),
        ),
        migrations.AlterField(
            model_name="historicaltransfer",
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
            model_name="historicalvisit",
            name="case",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="cases.case",
                verbose_name="case",
            ),
        ),
        migrations.AlterField(
            model_name="historicalvisit",
            name="performed_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="visited by",
            ),
        ),
    ]
