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

# Case work (qorgau.monitoring.casework): timeliness, risk, follow-up. -----------------
CASEWORK_DIMS = frozenset({Dim.REGION, Dim.YEAR})
_TIMING = {
    "screening": ("Хабарламадан скринингке дейінгі сағат", "Часы от сообщения до скрининга",
                  "Hours from report to screening"),
    "first_visit": ("Хабарламадан алғашқы барғанға дейінгі сағат",
                    "Часы от сообщения до первого визита", "Hours from report to first visit"),
}  # fmt: skip
_STATISTIC = {
    "p50": ("медиана", "медиана", "median"),
    "p90": ("90-процентиль", "90-й процентиль", "90th percentile"),
}
for _what, (_kk, _ru, _en) in _TIMING.items():
    for _stat, (_skk, _sru, _sen) in _STATISTIC.items():
        register(
            Indicator(
                code=f"casework.{_what}_hours_{_stat}",
                names={"kk": f"{_kk}, {_skk}", "ru": f"{_ru}, {_sru}", "en": f"{_en}, {_sen}"},
                numerator=f"casework.{_what}_hours_{_stat}",
                denominator=None,
                unit=Unit.HOURS,
                count_measure=f"casework.{_what}_hours_n",
                disaggregations=CASEWORK_DIMS,
                source=Source.CASES,
            )
        )
register(
    Indicator(
        code="casework.open_cases_by_risk",
        names={
            "kk": "Ашық істер, қауіп деңгейі бойынша",
            "ru": "Открытые дела по уровню риска",
            "en": "Open cases by risk level",
        },
        numerator="casework.open_cases",
        denominator=None,
        unit=Unit.COUNT,
        disaggregations=frozenset({Dim.REGION, Dim.RISK_LEVEL}),
        source=Source.CASES,
    )
)
register(
    Indicator(
        code="casework.overdue_plan_actions",
        names={
            "kk": "Мерзімі өткен жоспар әрекеттері",
            "ru": "Просроченные действия плана",
            "en": "Overdue plan actions",
        },
        numerator="casework.overdue_plan_actions",
        denominator=None,
        unit=Unit.COUNT,
        disaggregations=frozenset({Dim.REGION}),
        source=Source.CASES,
    )
)
register(
    Indicator(
        code="casework.police_notified_in_time",
        names={
            "kk": "Мерзімінде жіберілген полиция хабарламалары, %",
            "ru": "Уведомления полиции, отправленные в срок, %",
            "en": "Police notifications sent within the deadline, %",
        },
        numerator="casework.police_in_time",
        denominator="casework.police_due",
        unit=Unit.PERCENT,
        disaggregations=CASEWORK_DIMS,
        source=Source.CASES,
    )
)
register(
    Indicator(
        code="casework.reported_again_12m",
        names={
            "kk": "12 ай ішінде қайта хабарланған балалар, %",
            "ru": "Дети с повторным сообщением в течение 12 месяцев, %",
            "en": "Children reported again within 12 months, %",
        },
        numerator="casework.children_reported_again",
        denominator="casework.children_reported",
        unit=Unit.PERCENT,
        disaggregations=CASEWORK_DIMS,
        source=Source.CASES,
    )
)
