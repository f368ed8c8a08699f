"""Referral indicators in the monitoring definition mechanism (issue 11): referrals by
service, the share the providers accepted and the share completed.

A referral counts in the year it was sent and in its case's region. "Accepted" is of
the referrals the provider answered (a withdrawn one counts if it had been accepted);
"completed" is of the referrals the provider closed, completed or not.
"""

from collections import defaultdict

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear

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
from qorgau.referrals.models import Referral

S = Referral.Status
_DIMS = (Dim.REGION, Dim.YEAR, Dim.SERVICE)


def _counts(rows: QuerySet[Referral], filters: Filters, by: tuple[Dim, ...]) -> Counts:
    year = filters.get(Dim.YEAR)
    if isinstance(year, int):
        rows = rows.filter(sent_at__year=year)
    if Dim.REGION in filters:
        rows = rows.filter(case__region__kato__startswith=str(filters[Dim.REGION]))
    if Dim.SERVICE in filters:
        rows = rows.filter(service__code=filters[Dim.SERVICE])
    grouped = (
        rows.order_by()
        .annotate(year=ExtractYear("sent_at"))
        .values("case__region__kato", "year", "service__code")
        .annotate(n=Count("pk"))
    )
    counts: Counts = defaultdict(float)
    for row in grouped:
        values = {
            Dim.REGION: row["case__region__kato"][:2],
            Dim.YEAR: row["year"],
            Dim.SERVICE: row["service__code"],
        }
        counts[tuple(values[d] for d in by)] += row["n"]
    return dict(counts)


@measure("referrals.sent", _DIMS)
def sent(filters: Filters, by: tuple[Dim, ...]) -> Counts:
    return _counts(Referral.objects.all(), filters, by)


@measure("referrals.answered", _DIMS)
def answered(filters: Filters, by: tuple[Dim, ...]) -> Counts:
    return _counts(Referral.objects.filter(answered_at__isnull=False), filters, by)


@measure("referrals.accepted", _DIMS)
def accepted(filters: Filters, by: tuple[Dim, ...]) -> Counts:
    rows = Referral.objects.filter(answered_at__isnull=False).exclude(status=S.DECLINED)
    return _counts(rows, filters, by)


@measure("referrals.ended", _DIMS)
def ended(filters: Filters, by: tuple[Dim, ...]) -> Counts:
    rows = Referral.objects.filter(Q(status=S.COMPLETED) | Q(status=S.NOT_COMPLETED))
    return _counts(rows, filters, by)


@measure("referrals.completed", _DIMS)
def completed(filters: Filters, by: tuple[Dim, ...]) -> Counts:
    return _counts(Referral.objects.filter(status=S.COMPLETED), filters, by)


register(
    Indicator(
        code="referrals.sent",
        names={
            "kk": "Қызметтерге жолдамалар",
            "ru": "Направления в службы",
            "en": "Referrals to services",
        },
        numerator="referrals.sent",
        denominator=None,
        unit=Unit.COUNT,
        disaggregations=frozenset(_DIMS),
        source=Source.CASES,
    )
)
register(
    Indicator(
        code="referrals.accepted_share",
        names={
            "kk": "Қызмет көрсетушілер қабылдаған жолдамалар үлесі",
            "ru": "Доля направлений, принятых поставщиками услуг",
            "en": "Share of referrals accepted by the providers",
        },
        numerator="referrals.accepted",
        denominator="referrals.answered",
        unit=Unit.PERCENT,
        disaggregations=frozenset(_DIMS),
        source=Source.CASES,
    )
)
register(
    Indicator(
        code="referrals.completed_share",
        names={
            "kk": "Орындалған жолдамалар үлесі",
            "ru": "Доля выполненных направлений",
            "en": "Share of referrals completed",
        },
        numerator="referrals.completed",
        denominator="referrals.ended",
        unit=Unit.PERCENT,
        disaggregations=frozenset(_DIMS),
        source=Source.CASES,
    )
)
