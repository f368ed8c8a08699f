"""The first version of the structured risk assessment: questions as data.

Authored for Qorgau from common child-protection safety-assessment domains (harm,
caregiver capacity, child vulnerability, protective factors). Supervisors can add or
retire questions in the admin; past assessments keep their answers by code.
"""

from django.db import migrations

# code, domain, weight, red flag, kk, ru, en
QUESTIONS = [
    (
        "injury",
        "harm",
        3,
        True,
        "Балада түсіндірілмеген жарақат немесе зорлық-зомбылық белгілері бар ма?",
        "Есть ли у ребёнка необъяснимые травмы или следы насилия?",
        "Does the child have unexplained injuries or signs of violence?",
    ),
    (
        "sexual_harm",
        "harm",
        3,
        True,
        "Жыныстық зорлық-зомбылық туралы мәлімет немесе белгі бар ма?",
        "Есть ли сведения или признаки сексуального насилия?",
        "Is there information or a sign of sexual abuse?",
    ),
    (
        "self_harm",
        "harm",
        3,
        True,
        "Бала өзіне зиян келтіру немесе суицид туралы ойларын айтты ма?",
        "Говорил ли ребёнок о самоповреждении или мыслях о суициде?",
        "Has the child spoken of self-harm or thoughts of suicide?",
    ),
    (
        "repeat_harm",
        "harm",
        2,
        False,
        "Бұрын да осындай оқиғалар болды ма?",
        "Были ли подобные случаи раньше?",
        "Have similar incidents happened before?",
    ),
    (
        "abuser_access",
        "harm",
        2,
        False,
        "Зиян келтірген адам балаға әлі де қол жеткізе ала ма?",
        "Имеет ли причинивший вред человек по-прежнему доступ к ребёнку?",
        "Does the person who caused harm still have access to the child?",
    ),
    (
        "caregiver_substance",
        "caregiver",
        2,
        False,
        "Ата-анасы немесе қамқоршысы алкоголь не есірткі қолдана ма?",
        "Злоупотребляют ли родители или опекуны алкоголем или наркотиками?",
        "Do the parents or caregivers misuse alcohol or drugs?",
    ),
    (
        "caregiver_unable",
        "caregiver",
        2,
        False,
        "Қамқоршы баланы қорғай алмайды немесе қорғағысы келмей ме?",
        "Не может или не хочет ли опекун защитить ребёнка?",
        "Is the caregiver unable or unwilling to protect the child?",
    ),
    (
        "basic_needs",
        "caregiver",
        1,
        False,
        "Баланың тамаққа, киімге, баспанаға қажеттілігі өтелмей ме?",
        "Не удовлетворяются ли базовые потребности ребёнка (еда, одежда, жильё)?",
        "Are the child's basic needs (food, clothing, shelter) unmet?",
    ),
    (
        "young_or_disabled",
        "vulnerability",
        1,
        False,
        "Бала 6 жасқа толмаған ба немесе мүгедектігі бар ма?",
        "Ребёнок младше 6 лет или имеет инвалидность?",
        "Is the child under 6 or does the child have a disability?",
    ),
    (
        "out_of_school",
        "vulnerability",
        1,
        False,
        "Бала мектепке бармай ма немесе жиі сабақ қалдыра ма?",
        "Ребёнок не посещает школу или часто пропускает занятия?",
        "Is the child out of school or often absent?",
    ),
    (
        "no_support",
        "protective",
        1,
        False,
        "Баланың сенетін ересек адамы немесе туыстарының қолдауы жоқ па?",
        "Нет ли у ребёнка взрослого, которому он доверяет, или поддержки родственников?",
        "Does the child lack a trusted adult or support from relatives?",
    ),
]


def load(apps, schema_editor):
    Question = apps.get_model("cases", "AssessmentQuestion")
    for order, (code, domain, weight, red_flag, kk, ru, en) in enumerate(QUESTIONS, start=1):
        Question.objects.update_or_create(
            code=code,
            defaults={
                "domain": domain,
                "weight": weight,
                "red_flag": red_flag,
                "order": order,
                "text_kk": kk,
                "text_ru": ru,
                "text_en": en,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
