"""Regions as the demo uses them: a slug for usernames, names for organisations, districts.

District and city names are real. Their KATO codes are SYNTHETIC (region code, then a
made-up district number, then zeros): they keep the real structure AB-CD-EF-HIJ so
prefix queries by region work, but they are not the official codes.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class District:
    name_kk: str
    name_ru: str
    name_en: str


@dataclass(frozen=True)
class RegionInfo:
    code: str  # ISO 3166-2:KZ numeric = first two KATO digits
    slug: str  # for usernames: caseworker.<slug>
    of_ru: str  # Russian genitive for organisation names: "управление ... <of_ru>"
    weight: int  # share of children and reports (rough population weight)
    kazakh_share: float  # share of families with Kazakh names
    districts: tuple[District, ...]


def _d(kk: str, ru: str, en: str) -> District:
    return District(kk, ru, en)


REGIONS: tuple[RegionInfo, ...] = (
    RegionInfo("10", "abai", "области Абай", 3, 0.7, (
        _d("Семей қаласы", "город Семей", "Semey city"),
        _d("Курчатов қаласы", "город Курчатов", "Kurchatov city"),
        _d("Аягөз ауданы", "Аягозский район", "Ayagoz district"),
    )),
    RegionInfo("11", "akmola", "Акмолинской области", 3, 0.55, (
        _d("Көкшетау қаласы", "город Кокшетау", "Kokshetau city"),
        _d("Степногорск қаласы", "город Степногорск", "Stepnogorsk city"),
        _d("Бурабай ауданы", "Бурабайский район", "Burabay district"),
    )),
    RegionInfo("15", "aktobe", "Актюбинской области", 4, 0.85, (
        _d("Ақтөбе қаласы", "город Актобе", "Aktobe city"),
        _d("Хромтау ауданы", "Хромтауский район", "Khromtau district"),
        _d("Мұғалжар ауданы", "Мугалжарский район", "Mugalzhar district"),
    )),
    RegionInfo("19", "almatyregion", "Алматинской области", 5, 0.75, (
        _d("Қонаев қаласы", "город Конаев", "Qonaev city"),
        _d("Қарасай ауданы", "Карасайский район", "Karasay district"),
        _d("Талғар ауданы", "Талгарский район", "Talgar district"),
        _d("Іле ауданы", "Илийский район", "Ile district"),
    )),
    RegionInfo("23", "atyrau", "Атырауской области", 3, 0.95, (
        _d("Атырау қаласы", "город Атырау", "Atyrau city"),
        _d("Жылыой ауданы", "Жылыойский район", "Zhylyoi district"),
    )),
    RegionInfo("27", "wko", "Западно-Казахстанской области", 3, 0.75, (
        _d("Орал қаласы", "город Уральск", "Oral city"),
        _d("Бөрлі ауданы", "Бурлинский район", "Burli district"),
    )),
    RegionInfo("31", "zhambyl", "Жамбылской области", 5, 0.8, (
        _d("Тараз қаласы", "город Тараз", "Taraz city"),
        _d("Байзақ ауданы", "Байзакский район", "Baizak district"),
        _d("Шу ауданы", "Шуский район", "Shu district"),
    )),
    RegionInfo("33", "jetisu", "области Жетісу", 3, 0.75, (
        _d("Талдықорған қаласы", "город Талдыкорган", "Taldykorgan city"),
        _d("Текелі қаласы", "город Текели", "Tekeli city"),
        _d("Сарқан ауданы", "Сарканский район", "Sarkand district"),
    )),
    RegionInfo("35", "karaganda", "Карагандинской области", 5, 0.55, (
        _d("Қарағанды қаласы", "город Караганда", "Karaganda city"),
        _d("Теміртау қаласы", "город Темиртау", "Temirtau city"),
        _d("Балқаш қаласы", "город Балхаш", "Balkhash city"),
        _d("Шахтинск қаласы", "город Шахтинск", "Shakhtinsk city"),
    )),
    RegionInfo("39", "kostanay", "Костанайской области", 3, 0.45, (
        _d("Қостанай қаласы", "город Костанай", "Kostanay city"),
        _d("Рудный қаласы", "город Рудный", "Rudny city"),
        _d("Лисаков қаласы", "город Лисаковск", "Lisakovsk city"),
    )),
    RegionInfo("43", "kyzylorda", "Кызылординской области", 4, 0.95, (
        _d("Қызылорда қаласы", "город Кызылорда", "Kyzylorda city"),
        _d("Арал ауданы", "Аральский район", "Aral district"),
        _d("Қазалы ауданы", "Казалинский район", "Kazaly district"),
    )),
    RegionInfo("47", "mangystau", "Мангистауской области", 4, 0.95, (
        _d("Ақтау қаласы", "город Актау", "Aktau city"),
        _d("Жаңаөзен қаласы", "город Жанаозен", "Zhanaozen city"),
        _d("Мұнайлы ауданы", "Мунайлинский район", "Munaily district"),
    )),
    RegionInfo("55", "pavlodar", "Павлодарской области", 14, 0.55, (
        _d("Павлодар қаласы", "город Павлодар", "Pavlodar city"),
        _d("Екібастұз қаласы", "город Экибастуз", "Ekibastuz city"),
        _d("Ақсу қаласы", "город Аксу", "Aksu city"),
        _d("Павлодар ауданы", "Павлодарский район", "Pavlodar district"),
        _d("Баянауыл ауданы", "Баянаульский район", "Bayanaul district"),
        _d("Шарбақты ауданы", "Щербактинский район", "Sharbakty district"),
    )),
    RegionInfo("59", "nko", "Северо-Казахстанской области", 2, 0.4, (
        _d("Петропавл қаласы", "город Петропавловск", "Petropavl city"),
        _d("Қызылжар ауданы", "Кызылжарский район", "Kyzylzhar district"),
        _d("Есіл ауданы", "Есильский район", "Esil district"),
    )),
    RegionInfo("61", "turkistan", "Туркестанской области", 7, 0.9, (
        _d("Түркістан қаласы", "город Туркестан", "Turkistan city"),
        _d("Кентау қаласы", "город Кентау", "Kentau city"),
        _d("Сарыағаш ауданы", "Сарыагашский район", "Saryagash district"),
        _d("Сайрам ауданы", "Сайрамский район", "Sairam district"),
    )),
    RegionInfo("62", "ulytau", "области Ұлытау", 1, 0.85, (
        _d("Жезқазған қаласы", "город Жезказган", "Zhezkazgan city"),
        _d("Сәтбаев қаласы", "город Сатпаев", "Satbayev city"),
        _d("Ұлытау ауданы", "Улытауский район", "Ulytau district"),
    )),
    RegionInfo("63", "eko", "Восточно-Казахстанской области", 3, 0.45, (
        _d("Өскемен қаласы", "город Усть-Каменогорск", "Oskemen city"),
        _d("Риддер қаласы", "город Риддер", "Ridder city"),
        _d("Алтай ауданы", "район Алтай", "Altai district"),
    )),
    RegionInfo("71", "astana", "города Астаны", 12, 0.8, (
        _d("Алматы ауданы", "район Алматы", "Almaty district"),
        _d("Есіл ауданы", "район Есиль", "Yesil district"),
        _d("Сарыарқа ауданы", "район Сарыарка", "Saryarka district"),
        _d("Байқоңыр ауданы", "район Байконур", "Baikonur district"),
        _d("Нұра ауданы", "район Нура", "Nura district"),
    )),
    RegionInfo("75", "almaty", "города Алматы", 14, 0.65, (
        _d("Алмалы ауданы", "Алмалинский район", "Almaly district"),
        _d("Әуезов ауданы", "Ауэзовский район", "Auezov district"),
        _d("Бостандық ауданы", "Бостандыкский район", "Bostandyk district"),
        _d("Медеу ауданы", "Медеуский район", "Medeu district"),
        _d("Түрксіб ауданы", "Турксибский район", "Turksib district"),
        _d("Алатау ауданы", "Алатауский район", "Alatau district"),
    )),
    RegionInfo("79", "shymkent", "города Шымкента", 8, 0.9, (
        _d("Абай ауданы", "Абайский район", "Abai district"),
        _d("Әл-Фараби ауданы", "Аль-Фарабийский район", "Al-Farabi district"),
        _d("Еңбекші ауданы", "Енбекшинский район", "Enbekshi district"),
        _d("Қаратау ауданы", "Каратауский район", "Karatau district"),
        _d("Тұран ауданы", "район Туран", "Turan district"),
    )),
)  # fmt: skip

# Regions with the full set of demo personas (school reporter, analyst, ...).
PERSONA_REGIONS = ("55", "71", "75", "79")
NATIONAL_REGION = "71"  # Astana: the 111 centre and the ministry committee


def district_kato(region_code: str, index: int) -> str:
    """A SYNTHETIC 9-digit KATO code for the index-th demo district of a region."""
    return f"{region_code}{11 + 2 * index:02d}10000"
