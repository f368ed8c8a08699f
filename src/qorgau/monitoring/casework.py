"""Case-data measures of how case work goes: time to screening and to the first visit,
open cases by risk level, overdue plan actions, police notifications in time, children
reported again within 12 months.

Each measure is one GROUP BY over the rows of the asked region (KATO prefix, filtered
first) and period: its cost follows the scope, not the country. Filters: REGION (a
region's two digits, "" or absent for the country), YEAR (calendar year in the project's
time zone; absent: the 365 days up to now, the dashboard's period). Counts here are raw:
`panel` passes them through qorgau.monitoring.disclosure before they are shown.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import (
    Count,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import ExtractYear, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.access import statistics_scope
from qorgau.accounts.models import User
from qorgau.cases.choices import RiskLevel
from qorgau.cases.models import Case, PlanAction, PoliceNotification, Report, ReportChild, Visit
from qorgau.monitoring.disclosure import (
    suppress,
    suppress_column,
    suppress_share,
    suppress_statistic,
)
from qorgau.monitoring.durations import Durations, aggregate_by, durations, register_durations
from qorgau.monitoring.indicators import Counts, Dim, Filters, measure
from qorgau.monitoring.regions import region_codes

PERIOD_DIMS = (Dim.REGION, Dim.YEAR)
REPEAT_WITHIN = dt.timedelta(days=365)
NOT_ASSESSED = "not_assessed"  # an open case whose risk is not assessed yet


def _period(filters: Filters) -> tuple[dt.datetime, dt.datetime]:
    year = filters.get(Dim.YEAR)
    if year is None:
        now = timezone.now()
        return now - dt.timedelta(days=365), now
    zone = timezone.get_current_timezone()
    return dt.datetime(int(str(year)), 1, 1, tzinfo=zone), dt.datetime(
        int(str(year)) + 1, 1, 1, tzinfo=zone
    )


def _prefix(filters: Filters) -> str:
    return str(filters.get(Dim.REGION) or "")


def _keys(kato: str, day: str | None, **others: str) -> dict[Dim, Any]:
    """What each dimension groups by: REGION the first two KATO digits, YEAR the
    local calendar year of the period's date field."""
    keys: dict[Dim, Any] = {Dim.REGION: Substr(kato, 1, 2)}
    if day:
        keys[Dim.YEAR] = ExtractYear(day)
    keys.update({Dim(dim): F(field) for dim, field in others.items()})
    return keys


_aggregate = aggregate_by


def _counts(rows: QuerySet[Any], keys: dict[Dim, Any], by: tuple[Dim, ...]) -> Counts:
    return {key: r["n"] for key, r in _aggregate(rows, keys, by, n=Count("pk"))}


# Durations -------------------------------------------------------------------------------


def local_day_end(date: Any) -> Func:
    """The end of a date's day in the project's time zone (PostgreSQL's timezone(zone,
    timestamp) reads a wall-clock time in the zone). Visits are recorded by date, so the
    time to a visit counts to the end of its day: an upper bound that never flatters."""
    next_midnight = Func(date, template="((%(expressions)s + 1)::timestamp)")
    return Func(
        Value(settings.TIME_ZONE), next_midnight, function="timezone", output_field=DateTimeField()
    )


def screening_times(filters: Filters, by: tuple[Dim, ...] = ()) -> dict[tuple, Durations]:
    """Hours from a report received to its screening, over the reports received in the
    period and screened."""
    start, end = _period(filters)
    rows = Report.objects.filter(
        place__kato__startswith=_prefix(filters),
        received_at__gte=start,
        received_at__lt=end,
        screened_at__isnull=False,
    )
    return durations(
        rows,
        _keys("place__kato", "received_at"),
        by,
        ExpressionWrapper(F("screened_at") - F("received_at"), output_field=DurationField()),
        lambda r: (r["screened_at"] - r["received_at"]).total_seconds() / 3600,
        ("screened_at", "received_at"),
    )


def first_visit_times(filters: Filters, by: tuple[Dim, ...] = ()) -> dict[tuple, Durations]:
    """Hours from a case's first report received to the end of the day of its first
    visit, over the cases opened in the period that had a visit."""
    start, end = _period(filters)
    first_visit = Visit.objects.filter(case=OuterRef("pk")).order_by("visited_on")
    first_report = Report.objects.filter(case=OuterRef("pk")).order_by("received_at")
    rows = (
        Case.objects.filter(
            region__kato__startswith=_prefix(filters), opened_at__gte=start, opened_at__lt=end
        )
        .annotate(
            first_visit=Subquery(first_visit.values("visited_on")[:1]),
            first_report=Subquery(first_report.values("received_at")[:1]),
        )
        .filter(first_visit__isnull=False, first_report__isnull=False)
    )
    zone = timezone.get_current_timezone()

    def hours(r: dict[str, Any]) -> float:
        day_end = dt.datetime.combine(r["first_visit"] + dt.timedelta(days=1), dt.time(), zone)
        return (day_end - r["first_report"]).total_seconds() / 3600

    return durations(
        rows,
        _keys("region__kato", "opened_at"),
        by,
        ExpressionWrapper(
            local_day_end(F("first_visit")) - F("first_report"), output_field=DurationField()
        ),
        hours,
        ("first_visit", "first_report"),
    )


register_durations("casework.screening_hours", PERIOD_DIMS, screening_times)
register_durations("casework.first_visit_hours", PERIOD_DIMS, first_visit_times)


# Counts --------------------------------------------------------------------------------


def _open_cases(filters: Filters) -> QuerySet[Case]:
    return Case.objects.filter(region__kato__startswith=_prefix(filters)).exclude(
        status=Case.Status.CLOSED
    )


@measure("casework.open_cases", (Dim.REGION, Dim.RISK_LEVEL))
def open_cases(filters: Filters, by: tuple[Dim, ...] = ()) -> Counts:
    """Open cases now, by risk level ("not_assessed" before the first assessment)."""
    rows = _open_cases(filters)
    if Dim.RISK_LEVEL in filters:
        level = filters[Dim.RISK_LEVEL]
        rows = rows.filter(risk_level="" if level == NOT_ASSESSED else level)
    counts = _counts(rows, _keys("region__kato", None, risk_level="risk_level"), by)
    if Dim.RISK_LEVEL not in by:
        return counts
    at = by.index(Dim.RISK_LEVEL)
    return {
        tuple(NOT_ASSESSED if i == at and v == "" else v for i, v in enumerate(key)): n
        for key, n in counts.items()
    }


@measure("casework.overdue_plan_actions", (Dim.REGION,))
def overdue_plan_actions(filters: Filters, by: tuple[Dim, ...] = ()) -> Counts:
    """Planned actions of approved plans of open cases whose due day has passed (the
    worker's overdue list counts the same)."""
    rows = PlanAction.objects.filter(
        plan__case__in=_open_cases(filters),
        plan__status="approved",
        status=PlanAction.Status.PLANNED,
        due_date__lt=timezone.localdate(),
    )
    return _counts(rows, _keys("plan__case__region__kato", None), by)


def _police(filters: Filters) -> QuerySet[PoliceNotification]:
    """Notifications due in the period whose deadline has passed or that were sent:
    one not yet due and not sent is neither in time nor late. The rolling period also
    takes the ones sent ahead of a deadline still to come."""
    start, end = _period(filters)
    rows = PoliceNotification.objects.filter(
        Q(sent_at__isnull=False) | Q(due_at__lt=timezone.now()),
        case__region__kato__startswith=_prefix(filters),
        due_at__gte=start,
    )
    return rows.filter(due_at__lt=end) if Dim.YEAR in filters else rows


@measure("casework.police_due", PERIOD_DIMS)
def police_due(filters: Filters, by: tuple[Dim, ...] = ()) -> Counts:
    return _counts(_police(filters), _keys("case__region__kato", "due_at"), by)


@measure("casework.police_in_time", PERIOD_DIMS)
def police_in_time(filters: Filters, by: tuple[Dim, ...] = ()) -> Counts:
    rows = _police(filters).filter(sent_at__lte=F("due_at"))
    return _counts(rows, _keys("case__region__kato", "due_at"), by)


def _children_reported(filters: Filters) -> QuerySet[ReportChild]:
    start, end = _period(filters)
    return ReportChild.objects.filter(
        child__isnull=False,
        report__place__kato__startswith=_prefix(filters),
        report__received_at__gte=start,
        report__received_at__lt=end,
    )


def _children(rows: QuerySet[ReportChild], by: tuple[Dim, ...]) -> Counts:
    keys = _keys("report__place__kato", "report__received_at")
    result = _aggregate(rows, keys, by, n=Count("child", distinct=True))
    return {key: r["n"] for key, r in result}


@measure("casework.children_reported", PERIOD_DIMS)
def children_reported(filters: Filters, by: tuple[Dim, ...] = ()) -> Counts:
    """Registered children with a report received in the period (in its region)."""
    return _children(_children_reported(filters), by)


@measure("casework.children_reported_again", PERIOD_DIMS)
def children_reported_again(filters: Filters, by: tuple[Dim, ...] = ()) -> Counts:
    """Of those, children with a report in the period that came within 12 months after
    an earlier report about them (anywhere)."""
    received = OuterRef("report__received_at")
    earlier = ReportChild.objects.filter(
        child=OuterRef("child"),
        report__received_at__lt=received,
        report__received_at__gte=received - REPEAT_WITHIN,
    )
    return _children(_children_reported(filters).filter(Exists(earlier)), by)


# The dashboard's table -----------------------------------------------------------------


@dataclass(frozen=True)
class PanelRow:
    label: str
    value: float | int | None  # None: hidden to protect small counts
    unit: str  # "h", "%" or "" for a count


def _total(fn: Callable[[Filters, tuple[Dim, ...]], Counts], filters: Filters) -> int:
    return int(fn(filters, ()).get((), 0))


def panel(*, actor: User, casework: "CaseworkTable | None" = None) -> list[PanelRow] | None:
    """The case-work figures of the actor's scope over the last 365 days, suppressed:
    the scope's row of the regional table (the country's row nationally), so that the
    panel and the table publish one suppression pattern."""
    casework = casework or table(actor=actor)
    if casework is None or not casework.rows:
        return None
    row = casework.rows[-1]  # KZ for the national scope, else the actor's only region
    labels = column_labels()
    return [
        PanelRow(labels[column], value, _unit(column))  # type: ignore[arg-type]
        for column, value in zip(TABLE_COLUMNS[1:], row[1:], strict=True)
    ]


def _unit(column: str) -> str:
    if "_hours_" in column:
        return "h"
    return "%" if column.endswith("_pct") else ""


# The regional table (dashboard, exports, API) ------------------------------------------

TABLE_COLUMNS = (
    "region",
    "screening_hours_p50",
    "screening_hours_p90",
    "first_visit_hours_p50",
    "first_visit_hours_p90",
    *(f"open_cases_{code}" for code in (NOT_ASSESSED, *RiskLevel.values)),
    "overdue_plan_actions",
    "police_in_time_pct",
    "reported_again_pct",
)
NATIONAL_ROW = "KZ"


@dataclass(frozen=True)
class CaseworkTable:
    """The case-work figures by region as they may be published: None where hidden."""

    year: int | None  # None: the 365 days up to now
    rows: list[list[object]]  # one per TABLE_COLUMNS; the region code first, KZ last

    @property
    def header(self) -> list[str]:
        return list(TABLE_COLUMNS)


def _published_hours(d: Durations | None) -> tuple[float | None, float | None]:
    if d is None or suppress_statistic(d.p50, d.n) is None:
        return None, None
    return round(d.p50, 2), round(d.p90, 2)


def _share_pct(part: int, whole: int) -> float | None:
    value = suppress_share(part, whole)
    return None if value is None else round(value, 2)


def table(*, actor: User, year: int | None = None) -> CaseworkTable | None:
    """One row per region of the actor's scope (and the country's row for a national
    analyst). Counts that add up (open cases by risk level, overdue plan actions) are
    suppressed as one national table, and a region's row is its row of that table, so
    the national and regional tables cannot be combined to uncover a cell; a percentile
    of fewer values than the threshold and a share whose part or rest is small are
    hidden, as on the panel."""
    prefix = statistics_scope(actor)
    if prefix is None:
        return None
    codes = region_codes()
    scope: Filters = {Dim.REGION: prefix, **({Dim.YEAR: year} if year else {})}
    national_filters: Filters = {Dim.YEAR: year} if year else {}
    by = (Dim.REGION,)
    screening = screening_times(scope, by)
    visits = first_visit_times(scope, by)
    police = (police_in_time(scope, by), police_due(scope, by))
    again = (children_reported_again(scope, by), children_reported(scope, by))
    levels = [NOT_ASSESSED, *RiskLevel.values]
    by_level = open_cases({}, (Dim.REGION, Dim.RISK_LEVEL))
    risk = suppress(
        [[int(by_level.get((code, level), 0)) for level in levels] for code in codes],
        row_totals=False,
    )
    # Counted once for every region: inside the list it was one national query per
    # region (twenty scans of the plan actions, 12 s of a page at 1M children).
    overdue = overdue_plan_actions({}, by)
    overdue_values, overdue_total = suppress_column(
        [int(overdue.get((code,), 0)) for code in codes]
    )
    rows: list[list[object]] = []
    for i, code in enumerate(codes):
        if not code.startswith(prefix):
            continue
        key = (code,)
        rows.append(
            [
                code,
                *_published_hours(screening.get(key)),
                *_published_hours(visits.get(key)),
                *risk.cells[i],
                overdue_values[i],
                _share_pct(int(police[0].get(key, 0)), int(police[1].get(key, 0))),
                _share_pct(int(again[0].get(key, 0)), int(again[1].get(key, 0))),
            ]
        )
    if prefix == "":
        rows.append(
            [
                NATIONAL_ROW,
                *_published_hours(screening_times(national_filters).get(())),
                *_published_hours(first_visit_times(national_filters).get(())),
                *(risk.col_totals or [None] * len(levels)),
                overdue_total,
                _share_pct(
                    _total(police_in_time, national_filters), _total(police_due, national_filters)
                ),
                _share_pct(
                    _total(children_reported_again, national_filters),
                    _total(children_reported, national_filters),
                ),
            ]
        )
    return CaseworkTable(year, rows)


def column_labels() -> dict[str, str]:
    """The table's columns in the reader's language (the header of the page's table)."""
    levels = {NOT_ASSESSED: _("not assessed yet"), **dict(RiskLevel.choices)}
    return {
        "region": str(_("Region")),
        "screening_hours_p50": str(_("Hours from report to screening, median")),
        "screening_hours_p90": str(_("Hours from report to screening, 90th percentile")),
        "first_visit_hours_p50": str(_("Hours from report to first visit, median")),
        "first_visit_hours_p90": str(_("Hours from report to first visit, 90th percentile")),
        **{
            f"open_cases_{code}": str(_("Open cases, risk: %(level)s") % {"level": label})
            for code, label in levels.items()
        },
        "overdue_plan_actions": str(_("Overdue plan actions")),
        "police_in_time_pct": str(_("Police notifications sent within the deadline")),
        "reported_again_pct": str(_("Children reported again within 12 months")),
    }
