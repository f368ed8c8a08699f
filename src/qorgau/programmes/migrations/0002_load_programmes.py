"""The two national prevention programmes (configuration data): their plans of
measures are imported afterwards with `qorgau programmes import`."""

import datetime as dt

from django.db import migrations

PROGRAMMES = [
    {
        "code": "adal-azamat",
        "name_kk": "«Адал азамат»",
        "name_ru": "«Адал азамат»",
        "name_en": "Adal Azamat (Honest Citizen)",
        "starts_on": dt.date(2025, 9, 1),
        "ends_on": None,
    },
    {
        "code": "qazaqstan-balalary",
        "name_kk": "«Қазақстан балалары» 2026-2030",
        "name_ru": "«Қазақстан балалары» на 2026-2030 годы",
        "name_en": "Qazaqstan Balalary 2026-2030",
        "starts_on": dt.date(2026, 1, 1),
        "ends_on": dt.date(2030, 12, 31),
    },
]


def load(apps, schema_editor):
    Programme = apps.get_model("programmes", "Programme")
    for row in PROGRAMMES:
        Programme.objects.update_or_create(code=row["code"], defaults=row)


class Migration(migrations.Migration):
    dependencies = [("programmes", "0001_programmes_measures_indicators")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
