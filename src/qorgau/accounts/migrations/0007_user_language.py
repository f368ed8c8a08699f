from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_approval_delegation"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="language",
            field=models.CharField(
                blank=True,
                choices=[("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")],
                default="",
                max_length=8,
                verbose_name="language",
            ),
        ),
    ]
