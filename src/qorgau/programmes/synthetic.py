"""A SYNTHETIC plan of measures in the shape of "Qazaqstan Balalary" (4 directions,
10 indicators, 158 measures), written as the import workbook. Never the real text:
the titles are made up from a few patterns, the numbers are random but seeded.
"""

import csv
import datetime as dt
import random
from pathlib import Path

from openpyxl import Workbook

from qorgau.programmes.plan import SHEETS

REGIONS_CSV = Path(__file__).resolve().parent.parent / "places" / "data" / "regions.csv"

DIRECTIONS = [
    ("Балалардың қауіпсіздігі", "Безопасность детей", "Children's safety"),
    ("Отбасын қолдау", "Поддержка семьи", "Support for families"),
    ("Денсаулық және білім", "Здоровье и образование", "Health and education"),
    (
        "Балалар құқықтарын қорғау жүйесі",
        "Система защиты прав детей",
        "The child protection system",
    ),
]
MINISTRIES = [
    (
        "min-education",
        "Оқу-ағарту министрлігі",
        "Министерство просвещения",
        "Ministry of Education",
    ),
    (
        "min-interior",
        "Ішкі істер министрлігі",
        "Министерство внутренних дел",
        "Ministry of Internal Affairs",
    ),
    (
        "min-health",
        "Денсаулық сақтау министрлігі",
        "Министерство здравоохранения",
        "Ministry of Health",
    ),
    ("min-labour", "Еңбек министрлігі", "Министерство труда", "Ministry of Labour"),
    ("min-culture", "Мәдениет министрлігі", "Министерство культуры", "Ministry of Culture"),
]
# (code, direction, unit, higher is better, baseline, yearly step, name en, ru, kk)
INDICATORS = [
    (
        "1.1",
        1,
        "per 100000",
        False,
        41.0,
        -2.5,
        "Grave crimes against children",
        "Тяжкие преступления против детей",
        "Балаларға қарсы ауыр қылмыстар",
    ),
    (
        "1.2",
        1,
        "%",
        False,
        18.0,
        -1.0,
        "Pupils who report bullying",
        "Школьники, сообщающие о буллинге",
        "Буллинг туралы хабарлайтын оқушылар",
    ),
    (
        "1.3",
        1,
        "%",
        True,
        62.0,
        4.0,
        "Schools with a QR code to 111",
        "Школы с QR-кодом 111",
        "111 QR-коды бар мектептер",
    ),
    (
        "2.1",
        2,
        "%",
        True,
        55.0,
        3.0,
        "Families at risk with a support plan",
        "Семьи в зоне риска с планом поддержки",
        "Қолдау жоспары бар қауіп тобындағы отбасылар",
    ),
    (
        "2.2",
        2,
        "per 1000",
        False,
        3.1,
        -0.2,
        "Children in residential care",
        "Дети в интернатных учреждениях",
        "Интернат мекемелеріндегі балалар",
    ),
    (
        "3.1",
        3,
        "%",
        True,
        88.0,
        1.5,
        "Children covered by the Adal Azamat programme",
        "Охват детей программой «Адал азамат»",
        "«Адал азамат» бағдарламасымен қамтылған балалар",
    ),
    (
        "3.2",
        3,
        "%",
        False,
        9.5,
        -0.5,
        "Children aged 1-14 who experienced violent discipline (MICS)",
        "Дети 1-14 лет, испытавшие насильственную дисциплину (MICS)",
        "Зорлық-зомбылықты тәрбиені бастан өткерген 1-14 жастағы балалар (MICS)",
    ),
    (
        "3.3",
        3,
        "%",
        True,
        71.0,
        2.0,
        "Schools with a psychologist",
        "Школы с психологом",
        "Психологы бар мектептер",
    ),
    (
        "4.1",
        4,
        "per 100000",
        True,
        16.0,
        1.0,
        "Specialists per 100,000 children (the norm: 20, one per 5,000)",
        "Специалистов на 100 000 детей (норматив: 20, один на 5000)",
        "100 000 балаға шаққандағы мамандар (норматив: 20, 5000 балаға бір)",
    ),
    (
        "4.2",
        4,
        "days",
        False,
        12.0,
        -1.0,
        "Days from report to first assessment",
        "Дней от сообщения до первичной оценки",
        "Хабарламадан бастапқы бағалауға дейінгі күндер",
    ),
]
MEASURE_PATTERNS = [
    (
        "Разработать методические рекомендации по теме {n}",
        "{n} тақырыбы бойынша әдістемелік ұсынымдар әзірлеу",
        "Draft guidance on topic {n}",
    ),
    (
        "Провести обучение специалистов (цикл {n})",
        "Мамандарды оқыту ({n}-цикл)",
        "Train specialists (cycle {n})",
    ),
    (
        "Организовать информационную кампанию № {n}",
        "№ {n} ақпараттық науқанды ұйымдастыру",
        "Run awareness campaign No. {n}",
    ),
    (
        "Внести изменения в нормативный акт № {n}",
        "№ {n} нормативтік актіге өзгерістер енгізу",
        "Amend regulation No. {n}",
    ),
    (
        "Открыть службу поддержки семьи (этап {n})",
        "Отбасын қолдау қызметін ашу ({n}-кезең)",
        "Open a family support service (stage {n})",
    ),
]
# Indicators computed from Qorgau's data by a monitoring definition, not reported.
DEFINITIONS = {"3.1": "programme.adal_azamat_reach", "4.1": "workforce.specialists_per_100k"}
MEASURES = 158
YEARS = range(2026, 2031)


def regions() -> list[dict[str, str]]:
    with REGIONS_CSV.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def synthetic_plan(seed: int = 2026) -> Workbook:
    rnd = random.Random(seed)  # noqa: S311  (synthetic data, not security)
    book = Workbook()
    book.remove(book.active)
    sheets = {name: book.create_sheet(name) for name in SHEETS}
    for name, columns in SHEETS.items():
        sheets[name].append([c.rstrip("*") for c in columns])
    akimats = []
    for code, kk, ru, en in MINISTRIES:
        sheets["bodies"].append([code, kk, ru, en, None])
    for region in regions():
        code = f"akimat-{region['code']}"
        akimats.append(code)
        sheets["bodies"].append(
            [
                code,
                f"{region['name_kk']} әкімдігі",
                f"Акимат: {region['name_ru']}",
                f"Akimat of {region['name_en']}",
                region["kato"],
            ]
        )
    for number, (kk, ru, en) in enumerate(DIRECTIONS, start=1):
        sheets["directions"].append([number, kk, ru, en])
    for code, direction, unit, higher, base, step, en, ru, kk in INDICATORS:
        sheets["indicators"].append(
            [
                code,
                direction,
                kk,
                ru,
                en,
                unit,
                "yes" if higher else "no",
                2025,
                base,
                "synthetic",
                DEFINITIONS.get(code),
            ]
        )
        for offset, year in enumerate(YEARS, start=1):
            sheets["targets"].append([code, year, None, round(base + step * offset, 2)])
        for region in regions():
            spread = rnd.uniform(0.85, 1.15)
            sheets["targets"].append(
                [code, YEARS[-1], region["kato"], round((base + step * len(YEARS)) * spread, 2)]
            )
    for number in range(1, MEASURES + 1):
        ru, kk, en = rnd.choice(MEASURE_PATTERNS)
        direction = (number - 1) * len(DIRECTIONS) // MEASURES + 1
        responsible = [rnd.choice(MINISTRIES)[0]]
        if rnd.random() < 0.4:
            responsible.append(rnd.choice(akimats))
        deadline = dt.date(rnd.choice(YEARS), rnd.choice((3, 6, 9, 12)), 1) + dt.timedelta(days=27)
        budget = f"BP-{rnd.randint(100, 999)}" if rnd.random() < 0.5 else None
        sheets["measures"].append(
            [
                number,
                direction,
                kk.format(n=number),
                ru.format(n=number),
                en.format(n=number),
                ";".join(responsible),
                deadline,
                budget,
            ]
        )
    return book
