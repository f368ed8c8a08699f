"""The indicators Qorgau ships. Other apps register theirs the same way."""

from qorgau.monitoring.indicators import Dim, Indicator, Source, Unit, register

OFFICIAL_DIMS = frozenset({Dim.REGION, Dim.YEAR, Dim.OFFENCE_GROUP})

register(
    Indicator(
        code="population.children",
        names={
            "kk": "Балалар саны (0-17)",
            "ru": "Численность детей (0-17)",
            "en": "Children aged 0-17",
        },
        numerator="population.children",
        denominator=None,
        unit=Unit.COUNT,
        disaggregations=frozenset({Dim.REGION, Dim.YEAR, Dim.SEX, Dim.AGE_GROUP}),
        source=Source.OFFICIAL,
    )
)
register(
    Indicator(
        code="offences.count",
        names={
            "kk": "Кәмелетке толмағандарға қарсы құқық бұзушылықтар",
            "ru": "Правонарушения против несовершеннолетних",
            "en": "Offences against minors",
        },
        numerator="offences.count",
        denominator=None,
        unit=Unit.COUNT,
        disaggregations=OFFICIAL_DIMS,
        source=Source.OFFICIAL,
    )
)
register(
    Indicator(
        code="offences.rate",
        names={
            "kk": "Кәмелетке толмағандарға қарсы құқық бұзушылықтар, 100 000 балаға",
            "ru": "Правонарушения против несовершеннолетних на 100 000 детей",
            "en": "Offences against minors per 100,000 children",
        },
        numerator="offences.count",
        denominator="population.children",
        unit=Unit.PER_100K,
        disaggregations=OFFICIAL_DIMS,
        source=Source.OFFICIAL,
    )
)
