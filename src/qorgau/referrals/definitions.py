"""Referral and housing indicators in the monitoring definition mechanism (issue 11):
referrals by service, the share the providers accepted, the share completed, the hours
to acceptance (median and 90th percentile), and the open housing needs by type.

A referral counts in the year it was sent, in its case's region and in the district of
the child's place ("" when the place is a whole region). "Accepted" is of the referrals
the provider answered (a withdrawn one counts if it had been accepted); "completed" is
of the referrals the provider closed, completed or not. The time to acceptance runs from
sending to the provider's acceptance, over the accepted referrals. A housing need is
counted while open, in its case's region and its child's district.

Filters: REGION (two digits), DISTRICT (four), YEAR, SERVICE, HOUSING_NEED. Counts here
are raw: pages take them through qorgau.monitoring.published.
"""

from typing import Any

from django.db.models import Case as Choose
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Value, When
from django.db.models.functions import ExtractYear, Substr

from qorgau.monitoring.durations import Durations, aggregate_by, durations, register_durations
from qorgau.monitoring.indicators import (
    Counts,
    Dim,
    Filters,
    Indicator,
    Source,
    Unit,
    measure,
    register,
)
from qorgau.referrals.models import HousingNeed, Referral

S = Referral.Status
_DIMS = (Dim.REGION, Dim.DISTRICT, Dim.YEAR, Dim.SERVICE)
_HOUSING_DIMS = (Dim.REGION, Dim.DISTRICT, Dim.HOUSING_NEED)
# A place whose code ends in seven zeros is a whole region or city: no district.
_REGION_WIDE = "0000000"


def district_of(kato_field: str) -> Choose:
    """A place's district: the first four KATO digits, "" for a region-wide place."""
    return Choose(
        When(**{f"{kato_field}__endswith": _REGION_WIDE}, then=Value("")),
        default=Substr(kato_field, 1, 4),
    )


def _keys(child: str, case: str) -> dict[Dim, Any]:
    return {
        Dim.REGION: Substr(f"{case}region__kato", 1, 2),
        Dim.DISTRICT: district_of(f"{child}place__kato"),
    }


def _referral_keys() -> dict[Dim, Any]:
    return {
        **_keys("child__", "case__"),
        Dim.YEAR: ExtractYear("sent_at"),
        Dim.SERVICE: F("service__code"),
    }


def _scoped(rows: QuerySet[Any], filters: Filters, child: str, case: str) -> QuerySet[Any]:
    if filters.get(Dim.REGION):
        rows = rows.filter(**{f"{case}region__kato__startswith": str(filters[Dim.REGION])})
    if Dim.DISTRICT in filters:
        rows = rows.filter(**{f"{child}place__kato__startswith": str(filters[Dim.DISTRICT])})
    return rows


def _referrals(rows: QuerySet[Referral], filters: Filters) -> QuerySet[Referral]:
    rows = _scoped(rows, filters, "child__", "case__")
    year = filters.get(Dim.YEAR)
    if isinstance(year, int):
        rows = rows.filter(sent_at__year=year)
    if Dim.SERVICE in filters:
        rows = rows.filter(service__code=filters[Dim.SERVICE])
    return rows


def _counts(rows: QuerySet[Referral], filters: Filters, by: tuple[Dim, ...]) -> Counts:
    grouped = aggregate_by(_referrals(rows, filters), _referral_keys(), by, n=Count("pk"))
    return {key: r["n"] for key, r in grouped}


@measure("referrals.sent", _DIMS)
def sent(filters: Filters, by: tuple[Dim, ...]) -> Counts:
    return _counts(Referral.objects.all(), filters, by)


@measure("referrals.answered", _DIMS)
def answered(filters: Filters, by: tuple[Dim, ...]) -> Counts:
    return _counts(Referral.objects.filter(answered_at__isnull=False), filters, by)


def _accepted() -> QuerySet[Referral]:
    return Referral.objects.filter(answered_at__isnull=False).exclude(status=S.DECLINED)


@measure("referrals.accepted", _DIMS)
def accepted(filters: Filters, by: tuple[Dim, ...]) -> Counts:
    return _counts(_accepted(), filters, by)


@measure("referrals.ended", _DIMS)
def ended(filters: Filters, by: tuple[Dim, ...]) -> Counts:
    rows = Referral.objects.filter(Q(status=S.COMPLETED) | Q(status=S.NOT_COMPLETED))
    return _counts(rows, filters, by)


@measure("referrals.completed", _DIMS)
def completed(filters: Filters, by: tuple[Dim, ...]) -> Counts:
    return _counts(Referral.objects.filter(status=S.COMPLETED), filters, by)


def acceptance_times(filters: Filters, by: tuple[Dim, ...] = ()) -> dict[tuple, Durations]:
    """Hours from sending to the provider's acceptance, of the accepted referrals."""
    return durations(
        _referrals(_accepted(), filters),
        _referral_keys(),
        by,
        ExpressionWrapper(F("answered_at") - F("sent_at"), output_field=DurationField()),
        lambda r: (r["answered_at"] - r["sent_at"]).total_seconds() / 3600,
        ("answered_at", "sent_at"),
    )


register_durations("referrals.acceptance_hours", _DIMS, acceptance_times)


@measure("housing.open_needs", _HOUSING_DIMS)
def open_housing_needs(filters: Filters, by: tuple[Dim, ...]) -> Counts:
    """Housing needs open now, by type."""
    rows = _scoped(
        HousingNeed.objects.filter(status=HousingNeed.Status.OPEN), filters, "child__", "case__"
    )
    if Dim.HOUSING_NEED in filters:
        rows = rows.filter(kind=filters[Dim.HOUSING_NEED])
    keys = {**_keys("child__", "case__"), Dim.HOUSING_NEED: F("kind")}
    return {key: r["n"] for key, r in aggregate_by(rows, keys, by, n=Count("pk"))}


def _indicator(code: str, names: tuple[str, str, str], **kwargs: Any) -> None:
    kk, ru, en = names
    register(
        Indicator(
            code=code,
            names={"kk": kk, "ru": ru, "en": en},
            source=Source.CASES,
            disaggregations=frozenset(kwargs.pop("dims", _DIMS)),
            **kwargs,
        )
    )


_indicator(
    "referrals.sent",
    ("Қызметтерге жолдамалар", "Направления в службы", "Referrals to services"),
    numerator="referrals.sent",
    denominator=None,
    unit=Unit.COUNT,
)
_indicator(
    "referrals.accepted_share",
    (
        "Қызмет көрсетушілер қабылдаған жолдамалар үлесі",
        "Доля направлений, принятых поставщиками услуг",
        "Share of referrals accepted by the providers",
    ),
    numerator="referrals.accepted",
    denominator="referrals.answered",
    unit=Unit.PERCENT,
)
_indicator(
    "referrals.completed_share",
    ("Орындалған жолдамалар үлесі", "Доля выполненных направлений", "Share of referrals completed"),
    numerator="referrals.completed",
    denominator="referrals.ended",
    unit=Unit.PERCENT,
)
_STATISTIC = {
    "p50": ("медиана", "медиана", "median"),
    "p90": ("90-процентиль", "90-й процентиль", "90th percentile"),
}
for _stat, (_kk, _ru, _en) in _STATISTIC.items():
    _indicator(
        f"referrals.acceptance_hours_{_stat}",
        (
            f"Жолдаманы қабылдауға дейінгі сағат, {_kk}",
            f"Часы до принятия направления, {_ru}",
            f"Hours to a referral's acceptance, {_en}",
        ),
        numerator=f"referrals.acceptance_hours_{_stat}",
        denominator=None,
        unit=Unit.HOURS,
        count_measure="referrals.acceptance_hours_n",
    )
_indicator(
    "housing.open_needs",
    (
        "Ашық тұрғын үй қажеттіліктері, түрі бойынша",
        "Открытые жилищные потребности по видам",
        "Open housing needs by type",
    ),
    numerator="housing.open_needs",
    denominator=None,
    unit=Unit.COUNT,
    dims=_HOUSING_DIMS,
)
