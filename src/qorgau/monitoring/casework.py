"""Case-data measures of how case work goes: time to screening and to the first visit,
open cases by risk level, overdue plan actions, police notifications in time, children
reported again within 12 months.

The measures below compute each figure from the raw rows: one GROUP BY over the rows
of the asked region (KATO prefix, filtered first) and period. Filters: REGION (a
region's two digits, "" or absent for the country), YEAR (calendar year in the project's
time zone; absent: this month and the eleven before, the dashboard's period).

`table` and `panel` read the same figures from the case-work rollups the services keep
(cases.casework_tallies, ADR 0015): a few hundred cells, whatever the size of the
country; `table(source="raw")` is the raw path, for the tests and the benchmark that
compare the two. Counts here are raw: `table` passes them through
qorgau.monitoring.disclosure before they are shown.
"""

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

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
    Sum,
    Value,
)
from django.db.models.functions import ExtractYear, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.access import statistics_scope
from qorgau.accounts.models import User
from qorgau.cases.casework_tallies import REPEAT_WITHIN
from qorgau.cases.choices import RiskLevel
from qorgau.cases.models import (
    Case,
    HoursTally,
    OpenCaseTally,
    PlanAction,
    PlanActionTally,
    PoliceNotification,
    PoliceTally,
    RepeatTally,
    Report,
    ReportChild,
    Visit,
)
from qorgau.monitoring.casedata import period_start
from qorgau.monitoring.disclosure import (
    suppress,
    suppress_column,
    suppress_share,
    suppress_statistic,
)
from qorgau.monitoring.durations import (
    Durations,
    aggregate_by,
    durations,
    from_histogram,
    register_durations,
)
from qorgau.monitoring.indicators import Counts, Dim, Filters, measure
from qorgau.monitoring.regions import region_codes

PERIOD_DIMS = (Dim.REGION, Dim.YEAR)
NOT_ASSESSED = "not_assessed"  # an open case whose risk is not assessed yet


def _period(filters: Filters) -> tuple[dt.datetime, dt.datetime]:
    """The dashboard's months (the rollups are monthly), or a calendar year."""
    year = filters.get(Dim.YEAR)
    zone = timezone.get_current_timezone()
    if year is None:
        return dt.datetime.combine(period_start(), dt.time(), zone), timezone.now()
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
    """Each registered child's last report in the period, in its region: a child is
    counted once, in the region of that report."""
    start, end = _period(filters)
    in_period = ReportChild.objects.filter(
        child__isnull=False, report__received_at__gte=start, report__received_at__lt=end
    )
    at = OuterRef("report__received_at")
    later = in_period.filter(child=OuterRef("child")).filter(
        Q(report__received_at__gt=at) | Q(report__received_at=at, report_id__gt=OuterRef("report"))
    )
    return in_period.filter(report__place__kato__startswith=_prefix(filters)).exclude(Exists(later))


def _children(rows: QuerySet[ReportChild], by: tuple[Dim, ...]) -> Counts:
    keys = _keys("report__place__kato", "report__received_at")
    result = _aggregate(rows, keys, by, n=Count("child", distinct=True))
    return {key: r["n"] for key, r in result}


@measure("casework.children_reported", PERIOD_DIMS)
def children_reported(filters: Filters, by: tuple[Dim, ...] = ()) -> Counts:
    """Registered children with a report received in the period (in the region of the
    last one)."""
    return _children(_children_reported(filters), by)


@measure("casework.children_reported_again", PERIOD_DIMS)
def children_reported_again(filters: Filters, by: tuple[Dim, ...] = ()) -> Counts:
    """Of those, children whose last report in the period came within 12 months after
    an earlier report about them (anywhere). A child with two reports in the period has
    them within 12 months of each other, so this is "a report in the period within 12
    months after an earlier one" (ADR 0015)."""
    received = OuterRef("report__received_at")
    earlier = ReportChild.objects.filter(
        child=OuterRef("child"),
        report__received_at__lt=received,
        report__received_at__gte=received - REPEAT_WITHIN,  # as the rollup counts
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
    """The case-work figures of the actor's scope over this month and the eleven before, suppressed:
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

    year: int | None  # None: this month and the eleven before
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


@dataclass(frozen=True)
class Figures:
    """The case-work figures of every region ((code,) keys) and of the country (())."""

    screening: dict[tuple, Durations]
    visits: dict[tuple, Durations]
    by_level: Counts  # (region, level) -> open cases, all regions
    overdue: Counts  # (region,) -> overdue plan actions, all regions
    police_in_time: Counts
    police_due: Counts
    again: Counts
    reported: Counts


def _raw_figures(prefix: str, year: int | None) -> Figures:
    """The figures computed from the raw rows (the benchmark's and the tests' baseline)."""
    scope: Filters = {Dim.REGION: prefix, **({Dim.YEAR: year} if year else {})}
    country: Filters = {Dim.YEAR: year} if year else {}
    by = (Dim.REGION,)

    def with_total(fn: Callable[[Filters, tuple[Dim, ...]], Counts]) -> Counts:
        return {**fn(scope, by), **({(): _total(fn, country)} if prefix == "" else {})}

    return Figures(
        screening={**screening_times(scope, by), **screening_times(country)},
        visits={**first_visit_times(scope, by), **first_visit_times(country)},
        by_level=open_cases({}, (Dim.REGION, Dim.RISK_LEVEL)),
        # Counted once for every region: inside the list it was one national query per
        # region (twenty scans of the plan actions, 12 s of a page at 1M children).
        overdue=overdue_plan_actions({}, by),
        police_in_time=with_total(police_in_time),
        police_due=with_total(police_due),
        again=with_total(children_reported_again),
        reported=with_total(children_reported),
    )


def _with_country(by_region: dict[str, Counter[str]]) -> dict[tuple, Counter[str]]:
    country: Counter[str] = Counter()
    for counts in by_region.values():
        country.update(counts)
    return {**{(code,): c for code, c in by_region.items()}, (): country}


def _hours(since: dt.date, end: dt.date | None) -> dict[str, dict[tuple, Durations]]:
    """Per measure, the durations of every region and of the country: one read of the
    histograms."""
    cells = HoursTally.objects.filter(month__gte=since)
    if end:
        cells = cells.filter(month__lt=end)
    histograms: dict[str, dict[tuple, Counter[int]]] = {
        m: defaultdict(Counter) for m in HoursTally.Measure.values
    }
    rows = cells.values_list("measure", "region", "bucket").annotate(n=Sum("n")).order_by()
    for kind, region, bucket, n in rows:
        histograms[kind][(region,)][bucket] += n
        histograms[kind][()][bucket] += n
    out: dict[str, dict[tuple, Durations]] = {}
    for kind, by_key in histograms.items():
        found = {key: from_histogram(h) for key, h in by_key.items()}
        out[kind] = {key: d for key, d in found.items() if d is not None}
    return out


def late_today() -> QuerySet[PoliceNotification, tuple[str, int]]:
    """Per region, the notifications not sent whose deadline passed earlier today (the
    tally has them from tomorrow): a range of today's deadlines in a partial index."""
    today = dt.datetime.combine(timezone.localdate(), dt.time(), timezone.get_current_timezone())
    return (
        PoliceNotification.objects.filter(
            sent_at__isnull=True, due_at__gte=today, due_at__lt=timezone.now()
        )
        .values_list(Substr("case__region__kato", 1, 2))
        .annotate(n=Count("pk"))
        .order_by()
    )


def _police_rollup(since: dt.date, end: dt.date | None) -> tuple[Counts, Counts]:
    """(in time, due) per region and for the country: sent ones by their due day, and
    those not sent counted late from the moment their deadline passed (the days before
    today from the cells, today's few from the raw rows)."""
    today = timezone.localdate()
    cells = PoliceTally.objects.filter(due_day__gte=since)
    if end:
        cells = cells.filter(due_day__lt=end)
    by_region: dict[str, Counter[str]] = defaultdict(Counter)
    for region, sent, in_time, late in cells.values_list("region").annotate(
        sent=Sum("sent"), in_time=Sum("in_time"), late=Sum("unsent", filter=Q(due_day__lt=today))
    ):
        by_region[region].update(in_time=in_time, due=sent + (late or 0))
    if since <= today and (end is None or today < end):
        for region, n in late_today():
            by_region[region]["due"] += n
    counts = _with_country(by_region)
    return (
        {key: c["in_time"] for key, c in counts.items()},
        {key: c["due"] for key, c in counts.items()},
    )


def _rollup_figures(year: int | None) -> Figures:
    """The figures from the case-work rollups, every region and the country at once."""
    since, end = (dt.date(year, 1, 1), dt.date(year + 1, 1, 1)) if year else (period_start(), None)
    by_level: Counts = {
        (region, level or NOT_ASSESSED): n
        for region, level, n in OpenCaseTally.objects.filter(n__gt=0).values_list(
            "region", "risk_level", "n"
        )
    }
    overdue: Counts = {
        (region,): n
        for region, n in PlanActionTally.objects.filter(due_date__lt=timezone.localdate())
        .values_list("region")
        .annotate(n=Sum("n"))
        .order_by()
    }
    repeat = (
        RepeatTally.objects.filter(year=year)
        if year
        else RepeatTally.objects.filter(latest=True, month__gte=since)
    )
    by_region: dict[str, Counter[str]] = defaultdict(Counter)
    for region, children, again in (
        repeat.values_list("region").annotate(c=Sum("children"), a=Sum("again")).order_by()
    ):
        by_region[region].update(children=children, again=again)
    repeats = _with_country(by_region)
    in_time, due = _police_rollup(since, end)
    hours = _hours(since, end)
    return Figures(
        screening=hours[HoursTally.Measure.SCREENING],
        visits=hours[HoursTally.Measure.FIRST_VISIT],
        by_level=by_level,
        overdue=overdue,
        police_in_time=in_time,
        police_due=due,
        again={key: c["again"] for key, c in repeats.items()},
        reported={key: c["children"] for key, c in repeats.items()},
    )


def table(
    *, actor: User, year: int | None = None, source: Literal["rollup", "raw"] = "rollup"
) -> CaseworkTable | None:
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
    f = _rollup_figures(year) if source == "rollup" else _raw_figures(prefix, year)
    levels = [NOT_ASSESSED, *RiskLevel.values]
    risk = suppress(
        [[int(f.by_level.get((code, level), 0)) for level in levels] for code in codes],
        row_totals=False,
    )
    overdue_values, overdue_total = suppress_column(
        [int(f.overdue.get((code,), 0)) for code in codes]
    )

    def shares(key: tuple) -> list[float | None]:
        return [
            _share_pct(int(f.police_in_time.get(key, 0)), int(f.police_due.get(key, 0))),
            _share_pct(int(f.again.get(key, 0)), int(f.reported.get(key, 0))),
        ]

    rows: list[list[object]] = []
    for i, code in enumerate(codes):
        if not code.startswith(prefix):
            continue
        key = (code,)
        rows.append(
            [
                code,
                *_published_hours(f.screening.get(key)),
                *_published_hours(f.visits.get(key)),
                *risk.cells[i],
                overdue_values[i],
                *shares(key),
            ]
        )
    if prefix == "":
        rows.append(
            [
                NATIONAL_ROW,
                *_published_hours(f.screening.get(())),
                *_published_hours(f.visits.get(())),
                *(risk.col_totals or [None] * len(levels)),
                overdue_total,
                *shares(()),
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
