"""The access log tells saves (change) and refused opens of real records (refused) apart."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0010_access_log_sealed_in_batches"),
    ]

    operations = [
        migrations.AlterField(
            model_name="accesslogentry",
            name="action",
            field=models.CharField(
                choices=[
                    ("view", "View"),
                    ("change", "Changed"),
                    ("refused", "Refused"),
                    ("search", "Search"),
                    ("list", "List"),
                    ("export", "Export"),
                    ("print", "Print"),
                    ("emergency", "Emergency access"),
                    ("login", "Login"),
                    ("logout", "Logout"),
                ],
                max_length=10,
                verbose_name="action",
            ),
        ),
    ]
