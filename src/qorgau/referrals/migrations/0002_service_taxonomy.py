"""The service taxonomy (issue 11): data, so that departments can add to it without code."""

from django.db import migrations

SERVICES = [
    # code, Kazakh, Russian, English
    ("family_support", "Отбасыны қолдау", "Поддержка семьи", "Family support"),
    (
        "parenting_programme",
        "Ата-аналарға арналған бағдарлама",
        "Программа для родителей",
        "Parenting programme",
    ),
    (
        "psychological_counselling",
        "Психологиялық кеңес",
        "Психологическое консультирование",
        "Psychological counselling",
    ),
    ("psychiatric_care", "Психиатриялық көмек", "Психиатрическая помощь", "Psychiatric care"),
    ("legal_aid", "Заң көмегі", "Юридическая помощь", "Legal aid"),
    (
        "shelter",
        "Баспана / дағдарыс орталығында орналастыру",
        "Приют / кризисное размещение",
        "Shelter or crisis accommodation",
    ),
    ("housing_support", "Тұрғын үймен қолдау", "Жилищная поддержка", "Housing support"),
    ("social_benefits", "Әлеуметтік төлемдер", "Социальные выплаты", "Social benefits"),
    ("school_support", "Мектептегі қолдау", "Поддержка в школе", "School support"),
    ("health", "Денсаулық сақтау", "Здравоохранение", "Health"),
    (
        "disability_support",
        "Мүгедектігі бар балаларды қолдау",
        "Поддержка детей с инвалидностью",
        "Disability support",
    ),
    (
        "substance_use",
        "Тәуелділікке қарсы көмек",
        "Помощь при зависимостях",
        "Substance use",
    ),
    ("mediation", "Отбасылық медиация", "Семейная медиация", "Family mediation"),
]


def load(apps, schema_editor):
    ServiceType = apps.get_model("referrals", "ServiceType")
    for order, (code, kk, ru, en) in enumerate(SERVICES, start=1):
        ServiceType.objects.update_or_create(
            code=code, defaults={"name_kk": kk, "name_ru": ru, "name_en": en, "order": order}
        )


def unload(apps, schema_editor):
    apps.get_model("referrals", "ServiceType").objects.filter(
        code__in=[row[0] for row in SERVICES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_service_directory_and_referrals")]
    operations = [migrations.RunPython(load, unload)]
