"""The ASQ (Ask Suicide-Screening Questions, National Institute of Mental Health;
public domain) as the default screening instrument, in kk/ru/en. The Kazakh and
Russian wording is this project's translation, not a validated one: replace it with
the ministry's approved wording when there is one."""

from django.db import migrations

QUESTIONS = [
    (
        "wished_dead",
        "Соңғы бірнеше аптада өлгім келеді деп ойладың ба?",
        "За последние несколько недель тебе хотелось умереть?",
        "In the past few weeks, have you wished you were dead?",
        False,
    ),
    (
        "better_off_dead",
        "Соңғы бірнеше аптада сен өлсең, сенің немесе отбасыңның жағдайы жақсарар еді деп "
        "сезіндің бе?",
        "За последние несколько недель тебе казалось, что тебе или твоей семье было бы лучше, "
        "если бы ты умер(ла)?",
        "In the past few weeks, have you felt that you or your family would be better off if "
        "you were dead?",
        False,
    ),
    (
        "thoughts_past_week",
        "Өткен аптада өзіңді өлтіру туралы ойлар болды ма?",
        "За последнюю неделю у тебя были мысли о том, чтобы убить себя?",
        "In the past week, have you been having thoughts about killing yourself?",
        False,
    ),
    (
        "tried_before",
        "Бұрын өзіңді өлтіруге әрекет жасап көрдің бе?",
        "Ты когда-нибудь пытался(ась) убить себя?",
        "Have you ever tried to kill yourself?",
        False,
    ),
    (
        "thoughts_now",
        "Дәл қазір өзіңді өлтіру туралы ойлар бар ма?",
        "Есть ли у тебя прямо сейчас мысли о том, чтобы убить себя?",
        "Are you having thoughts of killing yourself right now?",
        True,
    ),
]


def load(apps, schema_editor):
    Question = apps.get_model("safety", "ScreeningQuestion")
    for order, (code, kk, ru, en, acuity) in enumerate(QUESTIONS, start=1):
        Question.objects.update_or_create(
            instrument="asq",
            code=code,
            defaults={
                "text_kk": kk,
                "text_ru": ru,
                "text_en": en,
                "acuity": acuity,
                "order": order,
            },
        )


def unload(apps, schema_editor):
    apps.get_model("safety", "ScreeningQuestion").objects.filter(instrument="asq").delete()


class Migration(migrations.Migration):
    dependencies = [("safety", "0001_screening_and_safety_plans")]
    operations = [migrations.RunPython(load, unload)]
