"""A synthetic Kazakh registry with known truth, for the linkage tests and benchmark.

Kazakh and Russian names, Cyrillic and Latin spellings, typos, swapped names, missing
IINs, approximate dates of birth, twins and siblings. Every row is invented.
"""

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

from qorgau.children.iin import make_iin

_SURNAMES = [
    "Ахметов",
    "Нурланов",
    "Сейткали",
    "Жаксылыков",
    "Абенов",
    "Иванов",
    "Петров",
    "Ким",
    "Омаров",
    "Бекмуханов",
    "Касымов",
    "Смагулов",
    "Кузнецов",
    "Тулегенов",
    "Жумабаев",
    "Мухамеджанов",
    "Сулейменов",
    "Байжанов",
    "Есенов",
    "Михайлов",
]
_GIRLS = [
    "Айгерим",
    "Аружан",
    "Мария",
    "Дана",
    "Әсел",
    "Жанерке",
    "Томирис",
    "Анна",
    "Камила",
    "Медина",
    "Алина",
    "Айша",
    "Дария",
    "Ясмина",
    "Софья",
    "Інжу",
]
_BOYS = [
    "Нұрсұлтан",
    "Алихан",
    "Ерлан",
    "Данияр",
    "Иван",
    "Арсен",
    "Әли",
    "Тимур",
    "Айбек",
    "Ерасыл",
    "Максим",
    "Нурислам",
    "Санжар",
    "Мирас",
    "Дмитрий",
    "Бауыржан",
]
_FATHERS = ["Серик", "Болат", "Юрий", "Марат", "Нурлан", "Асхат", "Сергей", "Канат"]
_LATIN = {
    "а": "a",
    "ә": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "ғ": "g",
    "д": "d",
    "е": "e",
    "ё": "yo",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "і": "i",
    "к": "k",
    "қ": "q",
    "л": "l",
    "м": "m",
    "н": "n",
    "ң": "n",
    "о": "o",
    "ө": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ұ": "u",
    "ү": "u",
    "ф": "f",
    "х": "kh",
    "һ": "h",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
}
_DISTRICTS = [f"{r:02d}{d:02d}" for r in (11, 15, 19, 27, 31, 35, 55, 71, 75) for d in range(10)]


def latin(name: str) -> str:
    out = "".join(_LATIN.get(ch, _LATIN.get(ch.lower(), ch)) for ch in name)
    return out[:1].upper() + out[1:]


def _surname(base: str, sex: str) -> str:
    if base.endswith(("ов", "ев", "ин")) and sex == "F":
        return base + "а"
    return base


def _patronymic(father: str, sex: str) -> str:
    if father in ("Юрий", "Сергей"):
        stem = father[:-1]
        return stem + ("евна" if sex == "F" else "евич")
    return father + ("овна" if sex == "F" else "ович")


def _typo(text: str, rng: random.Random) -> str:
    if len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 1)
    kind = rng.random()
    if kind < 0.4:
        return text[:i] + text[i + 1 :]
    if kind < 0.7:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text[:i] + rng.choice("аеиоу") + text[i + 1 :]


def _iin(born: dt.date, sex: str, serials: dict[tuple[dt.date, str], int]) -> str:
    """A valid IIN nobody else in the registry has (serials counted per date and sex)."""
    while True:
        serial = serials[born, sex] = serials.get((born, sex), 0) + 1
        iin = make_iin(born, sex, serial % 10000)
        if iin is not None:
            return iin


def _child(
    rng: random.Random, serials: dict[tuple[dt.date, str], int], family: dict[str, Any], sex: str
) -> dict[str, Any]:
    first = rng.choice(_GIRLS if sex == "F" else _BOYS)
    return {
        "last_name": _surname(family["surname"], sex),
        "first_name": first,
        "middle_name": _patronymic(family["father"], sex),
        "birth_date": family["born"],
        "sex": sex,
        "iin": _iin(family["born"], sex, serials),
        "district": family["district"],
        "region": family["district"][:2],
        "mother_name": family["mother"],
    }


def _variant(record: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """Another report about the same child, as another office would have typed it."""
    copy = dict(record)
    if rng.random() < 0.3:
        copy["last_name"], copy["first_name"], copy["middle_name"] = (
            latin(copy["last_name"]),
            latin(copy["first_name"]),
            "",
        )
    if rng.random() < 0.25:
        copy["first_name"] = _typo(copy["first_name"], rng)
    if rng.random() < 0.2:
        copy["last_name"] = _typo(copy["last_name"], rng)
    if rng.random() < 0.1:
        copy["last_name"], copy["first_name"] = copy["first_name"], copy["last_name"]
    if rng.random() < 0.6:
        copy["iin"] = ""
    born = copy["birth_date"]
    roll = rng.random()
    if roll < 0.1 and born.day <= 12 and born.day != born.month:
        copy["birth_date"] = born.replace(month=born.day, day=born.month)
    elif roll < 0.25:
        copy["birth_date"] = dt.date(born.year, 1, 1) if rng.random() < 0.5 else born
    elif roll < 0.3:
        copy["birth_date"] = None
    if rng.random() < 0.3:
        copy["mother_name"] = ""
    if rng.random() < 0.1:
        copy["middle_name"] = ""
    return copy


def registry(
    size: int, *, seed: int = 1, duplicate_share: float = 0.15, twin_share: float = 0.03
) -> Iterator[dict[str, Any]]:
    """Rows with `record_id`, `truth` (the child's true id) and `family` (twins share
    it); about `size` rows."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
    made = 0
    person = 0
    serials: dict[tuple[dt.date, str], int] = {}
    families = 0
    while made < size:
        families += 1
        sex = rng.choice("MF")
        mother_surname = rng.choice(_SURNAMES)
        family = {
            "surname": rng.choice(_SURNAMES),
            "father": rng.choice(_FATHERS),
            "mother": f"{_surname(mother_surname, 'F')} {rng.choice(_GIRLS)}",
            "born": dt.date(2008, 1, 1) + dt.timedelta(days=rng.randrange(17 * 365)),
            "district": rng.choice(_DISTRICTS),
        }
        children = [_child(rng, serials, family, sex)]
        if rng.random() < twin_share:
            twin = _child(rng, serials, family, rng.choice("MF"))
            while twin["first_name"] == children[0]["first_name"]:
                twin = _child(rng, serials, family, twin["sex"])
            children.append(twin)
        for child in children:
            person += 1
            copies = [child]
            if rng.random() < duplicate_share:
                copies += [_variant(child, rng) for _ in range(rng.choice((1, 1, 2)))]
            for copy in copies:
                made += 1
                yield {"record_id": f"r{made}", "truth": person, "family": families, **copy}
