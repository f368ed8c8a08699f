"""A synthetic Kazakh registry with known truth, for the linkage tests and benchmark.

Kazakh and Russian names, Cyrillic and Latin spellings, typos, swapped names, missing
IINs, approximate dates of birth, twins and siblings. Every row is invented.
"""

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

from qorgau.children.iin import make_iin
from qorgau.children.names import fold_name

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


def _words(text: str) -> list[str]:
    return text.split()


# The larger name pools (`names="many"`): at 1,000,000 records the small lists above
# give 50,000 children per surname, which no real registry has (Kazakhstan's commonest
# surnames are each well under 1%), and blocking on names then compares everyone with
# everyone. Surnames are a father's name with -ов or -баев, or a Russian surname.
_ROOTS = _words(
    "Ахмет Асан Бекет Болат Дәулет Ерлан Жақып Жандос Қайрат Мұрат Нұрлан Омар Оспан Сапар "
    "Серік Смағұл Сұлтан Тоқтар Төлеген Ұлан Әбіл Айдар Алмас Аман Арман Асқар Бақыт "
    "Бауыржан Ғалым Дархан Ержан Есен Жанат Жұмаш Қанат Қасым Мақсат Марат Мейрам Мұхтар "
    "Нұрбол Рахым Сабыр Самат Сейіт Талғат Темір Тұрсын Ұзақ Шәріп Ысқақ Әділ Бексұлтан "
    "Нұржан Айбек Бейбіт Дамир Елдос Жасұлан Қуаныш Медет Нұрлыбек Рүстем Сәкен Ілияс"
)
_RUSSIAN_SURNAMES = _words(
    "Иванов Петров Смирнов Кузнецов Попов Васильев Соколов Михайлов Новиков Фёдоров "
    "Морозов Волков Алексеев Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев Орлов "
    "Андреев Макаров Никитин Захаров Зайцев Соловьёв Борисов Яковлев Григорьев Романов "
    "Воробьёв Сергеев Кузьмин Фролов Александров Дмитриев Королёв Гусев Киселёв Ильин "
    "Максимов Поляков Сорокин Виноградов Ковалёв Белов Медведев Антонов Тарасов Жуков "
    "Баранов Филиппов Комаров Давыдов Беляев Герасимов Богданов Осипов Сидоров"
)
_MANY_SURNAMES = [r + "ов" for r in _ROOTS] + [r + "баев" for r in _ROOTS] + _RUSSIAN_SURNAMES
_MANY_GIRLS = _GIRLS + _words(
    "Әйгерім Жансая Айару Аяулым Назерке Гүлназ Ақбота Айдана Мадина Сымбат Балжан Інкәр "
    "Нұрай Ажар Дильназ Анель Анастасия Виктория Полина Елизавета Алиса Ксения Екатерина "
    "Алёна Валерия Вероника Ульяна Варвара Зарина Карина Амина Диана Жасмин Мерей Айым"
)
_MANY_BOYS = _BOYS + _words(
    "Алдияр Ернұр Ерназар Бекзат Димаш Әмір Ислам Темірлан Абылай Ақжол Жандос Асылжан "
    "Нұрдәулет Айдын Ерсұлтан Александр Артём Михаил Кирилл Никита Егор Матвей Даниил "
    "Илья Андрей Алексей Тимофей Роман Амир Адиль Ансар Әлинұр Рамазан Мансур Нұрлыбек"
)
_MANY_FATHERS = [*_ROOTS, "Юрий", "Сергей", "Иван", "Олег", "Павел", "Виктор", "Андрей"]
_POOLS = {
    "few": (_SURNAMES, _GIRLS, _BOYS, _FATHERS),
    "many": (_MANY_SURNAMES, _MANY_GIRLS, _MANY_BOYS, _MANY_FATHERS),
}


def latin(name: str) -> str:
    out = "".join(_LATIN.get(ch, _LATIN.get(ch.lower(), ch)) for ch in name)
    return out[:1].upper() + out[1:]


def _surname(base: str, sex: str) -> str:
    if base.endswith(("ов", "ев", "ин")) and sex == "F":
        return base + "а"
    return base


def _patronymic(father: str, sex: str) -> str:
    if father in ("Юрий", "Сергей", "Андрей"):
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
    girls, boys = family["pool"][1:3]
    first = rng.choice(girls if sex == "F" else boys)
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
    size: int,
    *,
    seed: int = 1,
    duplicate_share: float = 0.15,
    twin_share: float = 0.03,
    names: str = "few",
) -> Iterator[dict[str, Any]]:
    """Rows with `record_id`, `truth` (the child's true id) and `family` (twins share
    it); about `size` rows. `names`: "few" (20 surnames, 16 first names per sex: the
    figures of the first runs) or "many" (190 surnames, 51 first names per sex)."""
    pool = _POOLS[names]
    surnames, girls, _, fathers = pool
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
    made = 0
    person = 0
    serials: dict[tuple[dt.date, str], int] = {}
    families = 0
    while made < size:
        families += 1
        sex = rng.choice("MF")
        mother_surname = rng.choice(surnames)
        family = {
            "pool": pool,
            "surname": rng.choice(surnames),
            "father": rng.choice(fathers),
            "mother": f"{_surname(mother_surname, 'F')} {rng.choice(girls)}",
            "born": dt.date(2008, 1, 1) + dt.timedelta(days=rng.randrange(17 * 365)),
            "district": rng.choice(_DISTRICTS),
        }
        children = [_child(rng, serials, family, sex)]
        if rng.random() < twin_share:
            twin = _child(rng, serials, family, rng.choice("MF"))
            # Another name, also once folded (Айгерим and Әйгерім are one name).
            while fold_name(twin["first_name"]) == fold_name(children[0]["first_name"]):
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
