"""Access log entries are appended unsealed and sealed into the chain later (ADR 0009).

`seq`, `prev_hash` and `hash` stay empty until the sealer fills them; the partial
index is the sealer's queue of unsealed entries. Entries sealed before keep their seal.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0009_referral_record_kind"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="accesslogentry",
            options={
                "ordering": ["id"],
                "verbose_name": "access log entry",
                "verbose_name_plural": "access log entries",
            },
        ),
        migrations.AlterField(
            model_name="accesslogentry",
            name="hash",
            field=models.CharField(max_length=64, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name="accesslogentry",
            name="prev_hash",
            field=models.CharField(max_length=64, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name="accesslogentry",
            name="seq",
            field=models.PositiveBigIntegerField(null=True, unique=True, verbose_name="sequence"),
        ),
        migrations.AddIndex(
            model_name="accesslogentry",
            index=models.Index(
                condition=models.Q(("seq__isnull", True)),
                fields=["id"],
                name="accesslog_unsealed_idx",
            ),
        ),
    ]
