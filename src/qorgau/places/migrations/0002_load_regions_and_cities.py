"""The 17 regions and 3 cities of republican significance (since 8 June 2022)."""

import csv
import datetime as dt
from pathlib import Path

from django.db import migrations

REGIONS_CSV = Path(__file__).resolve().parent.parent / "data" / "regions.csv"


def load(apps, schema_editor):
    Place = apps.get_model("places", "Place")
    with REGIONS_CSV.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            Place.objects.update_or_create(
                kato=row["kato"],
                defaults={
                    "kind": row["kind"],
                    "iso_code": row["code"],
                    "name_kk": row["name_kk"],
                    "name_ru": row["name_ru"],
                    "name_en": row["name_en"],
                    "created_on": dt.date.fromisoformat(row["created"]) if row["created"] else None,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
