"""Rollups of case work (ADR 0015, "Case-work rollups"), kept with the cases' tallies.

- Durations (hours to screening, to the first visit) are histograms: `HoursTally` counts
  per month × region × bucket; `BUCKETS` below are the edges, fine at the low end.
- Open cases per region × risk level; planned actions of approved plans of open cases
  per region × due day (overdue = the days before today); police notifications per
  region × due day (sent, sent in time, not sent).
- Children per year × month × region of their last report that year, and whether that
  report came within 365 days after the one before it (`RepeatTally`).

`cases.rollups` calls `retally_case_rows` and `retally_child_reports` in the services'
transactions and `rebuild` (set-based SQL) from `qorgau rollups rebuild`.
"""

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import connection
from django.db.models import Case, DateField, F, Func, Min, QuerySet, Value, When
from django.db.models.functions import ExtractYear, Substr, TruncDate, TruncMonth
from django.utils import timezone

from qorgau.cases import tallies
from qorgau.cases.models import (
    CasePlan,
    CaseTallied,
    ChildReportTallied,
    HoursTally,
    OpenCaseTally,
    PlanAction,
    PlanActionTallied,
    PlanActionTally,
    PoliceNotification,
    PoliceTallied,
    PoliceTally,
    RepeatTally,
    Report,
    ReportChild,
    ReportTallied,
    Visit,
)
from qorgau.children.models import Child

REPEAT_WITHIN = dt.timedelta(days=365)
MINUTE = dt.timedelta(minutes=1)

# Histogram buckets: (first minute, width in minutes) per segment; the last is open.
# 15 minutes up to a day, an hour up to a week, a day up to 90 days, a week beyond.
SEGMENTS = ((0, 15), (24 * 60, 60), (7 * 24 * 60, 24 * 60), (90 * 24 * 60, 7 * 24 * 60))


def _first_buckets() -> list[int]:
    firsts = [0]
    for (start, width), (end, _next) in itertools.pairwise(SEGMENTS):
        firsts.append(firsts[-1] + (end - start) // width)
    return firsts


FIRST_BUCKETS = _first_buckets()  # the first bucket of each segment: 0, 96, 240, 323


def bucket_of(minutes: int) -> int:
    """The bucket of a duration in whole minutes (a negative one counts as 0)."""
    minutes = max(0, minutes)
    for (start, width), first in reversed(list(zip(SEGMENTS, FIRST_BUCKETS, strict=True))):
        if minutes >= start:
            return first + (minutes - start) // width
    raise AssertionError("unreachable: the first segment starts at 0")


def bucket_hours(bucket: int) -> tuple[float, float]:
    """A bucket's edges in hours: [low, high)."""
    for (start, width), first in reversed(list(zip(SEGMENTS, FIRST_BUCKETS, strict=True))):
        if bucket >= first:
            low = start + (bucket - first) * width
            return low / 60, (low + width) / 60
    raise ValueError(bucket)


def bucket_sql(minutes: str) -> str:
    """bucket_of in SQL, of an integer expression of minutes (a negative one is 0)."""
    m = f"GREATEST(0, {minutes})"
    whens = [
        f"WHEN {m} >= {start} THEN {first} + ({m} - {start}) / {width}"
        for (start, width), first in reversed(list(zip(SEGMENTS, FIRST_BUCKETS, strict=True)))
    ]
    return f"CASE {' '.join(whens)} END"


def minutes_between(start: dt.datetime, end: dt.datetime) -> int:
    return (end - start) // MINUTE


def _zone() -> dt.tzinfo:
    return timezone.get_default_timezone()


def first_visit_minutes(first_report: dt.datetime, first_visit: dt.date) -> int:
    """To the end of the visit's local day: visits are recorded by date (an upper bound
    that never flatters, as the raw figure)."""
    day_end = dt.datetime.combine(first_visit + dt.timedelta(days=1), dt.time(), _zone())
    return minutes_between(first_report, day_end)


def first_visit_buckets(case_ids: Iterable[int]) -> dict[int, int]:
    """Each case's bucket of hours from its first report to its first visit (a case
    with no visit or no report has none)."""
    ids = list(case_ids)
    reports = dict(
        Report.objects.filter(case_id__in=ids)
        .values("case_id")
        .annotate(first=Min("received_at"))
        .values_list("case_id", "first")
        .order_by()
    )
    visits = (
        Visit.objects.filter(case_id__in=ids)
        .values("case_id")
        .annotate(first=Min("visited_on"))
        .values_list("case_id", "first")
        .order_by()
    )
    return {
        case: bucket_of(first_visit_minutes(reports[case], day))
        for case, day in visits
        if case in reports
    }


# Plan actions and police notifications, per case -----------------------------------

ActionFacts = dict[int, tuple[int, str, dt.date]]  # action -> (case, region, due day)
PoliceFacts = dict[
    int, tuple[int, str, dt.date, bool, bool]
]  # -> (case, region, day, sent, in time)


def plan_action_facts(cases: Mapping[int, tuple[str, bool]]) -> ActionFacts:
    """The counted actions of these cases ((region, open) each): planned, in an approved
    plan, of an open case."""
    open_ids = [pk for pk, (_region, is_open) in cases.items() if is_open]
    rows = PlanAction.objects.filter(
        plan__case_id__in=open_ids,
        plan__status=CasePlan.Status.APPROVED,
        status=PlanAction.Status.PLANNED,
    ).values_list("pk", "plan__case_id", "due_date")
    return {pk: (case, cases[case][0], due) for pk, case, due in rows}


def police_facts(cases: Mapping[int, tuple[str, bool]]) -> PoliceFacts:
    rows = PoliceNotification.objects.filter(case_id__in=list(cases)).values_list(
        "pk", "case_id", "due_at", "sent_at"
    )
    return {
        pk: (
            case,
            cases[case][0],
            timezone.localdate(due, _zone()),
            sent is not None,
            sent is not None and sent <= due,
        )
        for pk, case, due, sent in rows
    }


def add_case_rows(
    sign: int, actions: ActionFacts, police: PoliceFacts, deltas: tallies.Deltas
) -> None:
    for _case, region, due in actions.values():
        tallies.add(deltas, PlanActionTally, (region, due), sign)
    for _case, region, day, sent, in_time in police.values():
        tallies.add(
            deltas, PoliceTally, (region, day), sign * sent, sign * in_time, sign * (not sent)
        )


def retally_case_rows(cases: Mapping[int, tuple[str, bool]], deltas: tallies.Deltas) -> None:
    """Move the plan actions and police notifications of these cases ((region, open)
    each, as the case rows say now) to their cells; the caller holds the cases' locks
    and applies the deltas."""
    ids = list(cases)
    old_actions: ActionFacts = {
        t.action_id: (t.case_id, t.region, t.due_date)
        for t in PlanActionTallied.objects.select_for_update().filter(case_id__in=ids)
    }
    old_police: PoliceFacts = {
        t.notification_id: (t.case_id, t.region, t.due_day, t.sent, t.in_time)
        for t in PoliceTallied.objects.select_for_update().filter(case_id__in=ids)
    }
    actions, police = plan_action_facts(cases), police_facts(cases)
    add_case_rows(-1, old_actions, old_police, deltas)
    add_case_rows(1, actions, police, deltas)
    if old_actions != actions:
        PlanActionTallied.objects.filter(case_id__in=ids).delete()
        PlanActionTallied.objects.bulk_create(
            PlanActionTallied(action_id=pk, case_id=c, region=r, due_date=d)
            for pk, (c, r, d) in actions.items()
        )
    if old_police != police:
        PoliceTallied.objects.filter(case_id__in=ids).delete()
        PoliceTallied.objects.bulk_create(
            PoliceTallied(notification_id=pk, case_id=c, region=r, due_day=d, sent=s, in_time=t)
            for pk, (c, r, d, s, t) in police.items()
        )


# Children reported again -----------------------------------------------------------

ChildFacts = dict[tuple[int, int], tuple[dt.date, str, bool, bool]]  # (child, year) -> cell


def child_facts(child_ids: Iterable[int]) -> ChildFacts:
    """Per child and local year with a report: the month and region of its last report
    that year, whether the year is the child's last, and whether that report came within
    365 days after the child's report before it."""
    rows = (
        ReportChild.objects.filter(child_id__in=list(child_ids))
        .values_list("child_id", "report_id", "report__received_at", "report__place__kato")
        .distinct()
    )
    reports: dict[int, list[tuple[dt.datetime, int, str]]] = defaultdict(list)
    for child, report, at, kato in rows:
        reports[child].append((at, report, kato))
    facts: ChildFacts = {}
    for child, found in reports.items():
        found.sort()
        last_of_year = {
            timezone.localdate(at, _zone()).year: i for i, (at, _r, _k) in enumerate(found)
        }
        final = max(last_of_year)
        for year, i in last_of_year.items():
            at, _report, kato = found[i]
            before = found[i - 1][0] if i else None
            again = before is not None and at - REPEAT_WITHIN <= before < at
            month = timezone.localdate(at, _zone()).replace(day=1)
            facts[(child, year)] = (month, kato[:2], year == final, again)
    return facts


def add_children(sign: int, facts: ChildFacts, deltas: tallies.Deltas) -> None:
    for (_child, year), (month, region, latest, again) in facts.items():
        tallies.add(deltas, RepeatTally, (year, month, region, latest), sign, sign * again)


def lock_children(ids: Iterable[int]) -> None:
    """The child rows are the lock: two reports about one child counted at once wait.
    In id order, as a merge takes them (linkage.services._lock)."""
    rows = Child.objects.select_for_update().filter(pk__in=sorted(set(ids))).order_by("pk")
    list(rows.values_list("pk", flat=True))


def retally_child_reports(child_ids: Iterable[int]) -> None:
    """Move these children to the cells their reports say now (call in the transaction
    that linked, moved or added a report about them)."""
    ids = sorted(set(child_ids))
    if not ids:
        return
    lock_children(ids)
    old: ChildFacts = {
        (t.child_id, t.year): (t.month, t.region, t.latest, t.again)
        for t in ChildReportTallied.objects.filter(child_id__in=ids)
    }
    new = child_facts(ids)
    if old == new:
        return
    deltas: tallies.Deltas = {}
    add_children(-1, old, deltas)
    add_children(1, new, deltas)
    tallies.apply(deltas)
    ChildReportTallied.objects.filter(child_id__in=ids).delete()
    ChildReportTallied.objects.bulk_create(
        ChildReportTallied(child_id=c, year=y, month=m, region=r, latest=lt, again=a)
        for (c, y), (m, r, lt, a) in new.items()
    )


# Rebuild: set-based SQL --------------------------------------------------------------

SNAPSHOTS = (PlanActionTallied, PoliceTallied, ChildReportTallied)
TALLIES = (HoursTally, OpenCaseTally, PlanActionTally, PoliceTally, RepeatTally)


def _select(queryset: QuerySet[Any]) -> tuple[str, tuple]:
    sql, params = queryset.query.sql_with_params()
    return sql, tuple(params)


def _within_a_year(before: str, at: str) -> str:
    if connection.vendor == "postgresql":
        return f"{before} >= {at} - interval '{REPEAT_WITHIN.days} days'"
    return f"julianday({before}) >= julianday({at}) - {REPEAT_WITHIN.days}"


def rebuild() -> None:
    """Fill the case-work rollups from the raw rows and the rebuilt snapshots of reports
    and cases (`ReportTallied.screening_bucket`, `CaseTallied`), one statement each;
    the caller has emptied and locked the tables."""
    t = tallies.table
    tallies.insert_select(
        HoursTally,
        ["measure", "month", "region", "bucket", "n"],
        f"SELECT %s, month, region, screening_bucket, COUNT(*) FROM {t(ReportTallied)} "  # noqa: S608
        "WHERE screening_bucket IS NOT NULL GROUP BY month, region, screening_bucket",
        [HoursTally.Measure.SCREENING],
    )
    tallies.insert_select(
        HoursTally,
        ["measure", "month", "region", "bucket", "n"],
        f"SELECT %s, opened_month, region, first_visit_bucket, COUNT(*) FROM {t(CaseTallied)} "  # noqa: S608
        "WHERE first_visit_bucket IS NOT NULL GROUP BY opened_month, region, first_visit_bucket",
        [HoursTally.Measure.FIRST_VISIT],
    )
    tallies.insert_select(
        OpenCaseTally,
        ["region", "risk_level", "n"],
        f"SELECT region, risk_level, COUNT(*) FROM {t(CaseTallied)} "  # noqa: S608
        "WHERE open GROUP BY region, risk_level",
    )
    actions = (
        PlanAction.objects.filter(
            plan__status=CasePlan.Status.APPROVED, status=PlanAction.Status.PLANNED
        )
        .exclude(plan__case__status="closed")
        .annotate(
            _pk=F("pk"),
            _case=F("plan__case_id"),
            _region=Substr("plan__case__region__kato", 1, 2),
            _due=F("due_date"),
        )
        .values_list("_pk", "_case", "_region", "_due")
    )
    tallies.insert_select(
        PlanActionTallied, ["action_id", "case_id", "region", "due_date"], *_select(actions)
    )
    tallies.insert_select(
        PlanActionTally,
        ["region", "due_date", "n"],
        f"SELECT region, due_date, COUNT(*) FROM {t(PlanActionTallied)} "  # noqa: S608
        "GROUP BY region, due_date",
    )
    police = PoliceNotification.objects.annotate(
        _pk=F("pk"),
        _case=F("case_id"),
        _region=Substr("case__region__kato", 1, 2),
        _day=TruncDate("due_at", tzinfo=_zone()),
        _sent=Case(When(sent_at__isnull=False, then=Value(True)), default=Value(False)),
        _in_time=Case(When(sent_at__lte=F("due_at"), then=Value(True)), default=Value(False)),
    ).values_list("_pk", "_case", "_region", "_day", "_sent", "_in_time")
    tallies.insert_select(
        PoliceTallied,
        ["notification_id", "case_id", "region", "due_day", "sent", "in_time"],
        *_select(police),
    )
    tallies.insert_select(
        PoliceTally,
        ["region", "due_day", "sent", "in_time", "unsent"],
        "SELECT region, due_day, SUM(CASE WHEN sent THEN 1 ELSE 0 END), "  # noqa: S608
        "SUM(CASE WHEN in_time THEN 1 ELSE 0 END), SUM(CASE WHEN sent THEN 0 ELSE 1 END) "
        f"FROM {t(PoliceTallied)} GROUP BY region, due_day",
    )
    _rebuild_children()


def _rebuild_children() -> None:
    """Per child and year the last report (ROW_NUMBER) and the report before it (LAG)."""
    zone = _zone()
    links = (
        ReportChild.objects.filter(child__isnull=False)
        .annotate(
            _child=F("child_id"),
            _report=F("report_id"),
            _at=F("report__received_at"),
            _year=ExtractYear("report__received_at", tzinfo=zone),
            _month=Func(
                TruncMonth("report__received_at", tzinfo=zone),
                function="DATE",
                output_field=DateField(),
            ),
            _region=Substr("report__place__kato", 1, 2),
        )
        .values_list("_child", "_report", "_at", "_year", "_month", "_region")
        .distinct()
    )
    base, params = _select(links)
    again = _within_a_year("o._before", "o._at")
    tallies.insert_select(
        ChildReportTallied,
        ["child_id", "year", "month", "region", "latest", "again"],
        f"SELECT o._child, o._year, o._month, o._region, o._year = o._final, "  # noqa: S608
        f"CASE WHEN o._before IS NOT NULL AND o._before < o._at AND {again} "
        "THEN TRUE ELSE FALSE END "
        "FROM (SELECT b.*, "
        "LAG(b._at) OVER (PARTITION BY b._child ORDER BY b._at, b._report) AS _before, "
        "ROW_NUMBER() OVER (PARTITION BY b._child, b._year "
        "ORDER BY b._at DESC, b._report DESC) AS _rank, "
        f"MAX(b._year) OVER (PARTITION BY b._child) AS _final FROM ({base}) b) o "
        "WHERE o._rank = 1",
        params,
    )
    tallies.insert_select(
        RepeatTally,
        ["year", "month", "region", "latest", "children", "again"],
        "SELECT year, month, region, latest, COUNT(*), "  # noqa: S608
        "SUM(CASE WHEN again THEN 1 ELSE 0 END) "
        f"FROM {tallies.table(ChildReportTallied)} GROUP BY year, month, region, latest",
    )


def expected_children(deltas: tallies.Deltas, chunk: int = 10_000) -> None:
    """RepeatTally's cells from the raw rows (the check's side, not the rebuild's)."""
    ids = list(
        ReportChild.objects.filter(child__isnull=False)
        .order_by("child_id")
        .values_list("child_id", flat=True)
        .distinct()
    )
    for start in range(0, len(ids), chunk):
        add_children(1, child_facts(ids[start : start + chunk]), deltas)
