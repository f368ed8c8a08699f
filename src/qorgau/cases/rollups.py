"""Monitoring's rollups of reports and cases, kept current by the services (ADR 0015).

Each report is counted in exactly one `ReportTally` cell: month × district × who
reported × urgency × its concerns (a bit per concern) × its children (a bit per sex
M/F/U × age group at the report's date, or age not known).
Filtering by a concern or by sex and age group is then a bit test on the cell, and a
report about two girls still counts once. Cases are counted per month and region when
opened and when closed (`CaseTally`); open now is opened minus closed.

`ReportTallied` / `CaseTallied` remember the cell each object is counted in, so any
change (screening, a child linked or merged, a transfer, a reopening) moves it exactly
once: `retally_reports` / `retally_cases` subtract the old cell and add the new one,
in the caller's transaction. Cells are incremented with INSERT ... ON CONFLICT DO
UPDATE SET n = n + EXCLUDED.n, so two transactions counting into the same cell never
lose an update; the keys are applied in sorted order so that they cannot deadlock.
`rebuild` recomputes everything from the raw rows (backfill and repair).
The case-work rollups (durations, open cases by risk, plan actions, police, children
reported again) are `cases.casework_tallies`, moved by the same two functions.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import connection, models, transaction
from django.utils import timezone

from qorgau.cases import casework_tallies, tallies
from qorgau.cases.choices import Concern
from qorgau.cases.models import (
    Case,
    CaseTallied,
    CaseTally,
    ConcernTally,
    HoursTally,
    OpenCaseTally,
    RegionTally,
    Report,
    ReportChild,
    ReportConcern,
    ReportTallied,
    ReportTally,
)
from qorgau.children.models import Child, Sex
from qorgau.places.models import Place

AGE_GROUPS = ("0-4", "5-9", "10-14", "15-17")  # the population file's groups
_AGES = (*AGE_GROUPS, "")  # "": age not known (or 18 and over at the report's date)
_SEXES = (Sex.MALE.value, Sex.FEMALE.value, Sex.UNKNOWN.value)
# Concern bits follow the order of Concern's codes: new concerns go at the end; after
# reordering them run `qorgau rollups rebuild`.
CONCERN_BITS = {code: 1 << i for i, code in enumerate(Concern.values)}


def child_bit(sex: str, age_group: str) -> int:
    """A child's bit: sex (M, F, U) × age group ("" when not known); a child the report
    only describes is (U, "")."""
    return 1 << (_SEXES.index(sex) * len(_AGES) + _AGES.index(age_group))


def children_mask(sex: str | None = None, age_group: str | None = None) -> int:
    """The bits a report's children mask must share to have a child of this sex and age
    group (either None: any)."""
    mask = 0
    for s in _SEXES:
        for g in _AGES:
            if (sex is None or s == sex) and (age_group is None or g == age_group):
                mask |= child_bit(s, g)
    return mask


def age_group_of(age: int | None) -> str:
    if age is None or age < 0 or age > 17:
        return ""
    return AGE_GROUPS[min(age // 5, 3)]


def age_on(birth_date: dt.date, day: dt.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def month_of(when: dt.datetime) -> dt.date:
    return timezone.localdate(when).replace(day=1)


@dataclass(frozen=True, order=True)
class ReportCell:
    month: dt.date
    region: str
    district_id: int
    reporter_type: str
    urgency: str
    concerns: int
    children: int


@dataclass(frozen=True)
class ReportFacts:
    cell: ReportCell
    screened: bool
    screened_in_time: bool
    screening_bucket: int | None = None  # HoursTally's bucket of the hours to screening


class Districts:
    """A place's district: the place straight under its region on its way up the tree
    (a region's own reports count under the region): the finest territory the
    dashboards filter by."""

    def __init__(self) -> None:
        self._up: dict[int, tuple[int | None, str]] = {}  # place -> (parent, kato)

    def load(self, place_ids: Iterable[int]) -> None:
        wanted = set(place_ids) - set(self._up)
        while wanted:
            rows = list(Place.objects.filter(pk__in=wanted).values_list("pk", "parent_id", "kato"))
            for pk, parent, kato in rows:
                self._up[pk] = (parent, kato)
            wanted = {parent for _pk, parent, _kato in rows if parent} - set(self._up)

    def load_all(self) -> None:
        self._up = {
            pk: (parent, kato)
            for pk, parent, kato in Place.objects.values_list("pk", "parent_id", "kato")
        }

    def of(self, place_id: int) -> int:
        place = place_id
        parent = self._up[place][0]
        while parent is not None and self._up[parent][0] is not None:
            place, parent = parent, self._up[parent][0]
        return place

    def region_of(self, place_id: int) -> str:
        return self._up[place_id][1][:2]


def _child_bits(sex: str | None, born: dt.date | None, approx: int | None, day: dt.date) -> int:
    if sex is None or sex not in _SEXES:  # a child only described, not linked to a record
        return child_bit(Sex.UNKNOWN, "")
    return child_bit(sex, age_group_of(age_on(born, day) if born else approx))


def report_facts(ids: Iterable[int], districts: Districts | None = None) -> dict[int, ReportFacts]:
    """The cell and flags of each report as its rows say now (missing: no such report)."""
    ids = list(ids)
    if not ids:
        return {}
    rows = list(
        Report.objects.filter(pk__in=ids).values_list(
            "pk",
            "received_at",
            "place_id",
            "reporter_type",
            "urgency",
            "screened_at",
            "screening_due_at",
        )
    )
    concerns: dict[int, int] = defaultdict(int)
    for report_id, code in ReportConcern.objects.filter(report_id__in=ids).values_list(
        "report_id", "concern"
    ):
        concerns[report_id] |= CONCERN_BITS.get(code, 0)
    kids: dict[int, list[tuple[str | None, dt.date | None, int | None]]] = defaultdict(list)
    for report_id, sex, born, approx in ReportChild.objects.filter(report_id__in=ids).values_list(
        "report_id", "child__sex", "child__birth_date", "child__approximate_age"
    ):
        kids[report_id].append((sex, born, approx))
    districts = districts or Districts()
    districts.load(place for _pk, _at, place, *_rest in rows)
    facts = {}
    for pk, received_at, place, reporter_type, urgency, screened_at, due_at in rows:
        day = timezone.localdate(received_at)
        mask = 0
        for child_sex, born, approx in kids[pk]:
            mask |= _child_bits(child_sex, born, approx, day)
        cell = ReportCell(
            day.replace(day=1),
            districts.region_of(place),
            districts.of(place),
            reporter_type,
            urgency,
            concerns[pk],
            mask,
        )
        facts[pk] = ReportFacts(
            cell,
            screened_at is not None,
            screened_at is not None and screened_at <= due_at,
            None
            if screened_at is None
            else casework_tallies.bucket_of(
                casework_tallies.minutes_between(received_at, screened_at)
            ),
        )
    return facts


def _upsert(model: type[models.Model], rows: list[tuple[tuple, tuple]]) -> None:
    tallies.upsert(model, rows)


def _add_report(
    sign: int,
    cell: ReportCell,
    screened: bool,
    in_time: bool,
    deltas: dict[type[models.Model], dict[tuple, list[int]]],
    screening_bucket: int | None = None,
) -> None:
    """Count one report (sign −1: uncount it) into every report rollup's deltas."""
    if screening_bucket is not None:
        key = (HoursTally.Measure.SCREENING.value, cell.month, cell.region, screening_bucket)
        tallies.add(deltas, HoursTally, key, sign)
    fine = deltas[ReportTally].setdefault(_cell_key(cell), [0, 0, 0])
    coarse = deltas[RegionTally].setdefault(
        (cell.month, cell.region, cell.reporter_type), [0, 0, 0]
    )
    for d in (fine, coarse):
        d[0] += sign
        d[1] += sign * screened
        d[2] += sign * in_time
    for code, bit in CONCERN_BITS.items():
        if cell.concerns & bit:
            deltas[ConcernTally].setdefault((cell.month, cell.region, code), [0])[0] += sign


def _cell_key(cell: ReportCell) -> tuple:
    return (
        cell.month,
        cell.region,
        cell.district_id,
        cell.reporter_type,
        cell.urgency,
        cell.concerns,
        cell.children,
    )


@transaction.atomic
def retally_reports(ids: Iterable[int], children: Iterable[int] = ()) -> None:
    """Move these reports to the cells their rows say now (call after changing them),
    and the children they are about (and `children`: ones a merge took them from)."""
    ids = sorted(set(ids))
    if not ids:
        casework_tallies.retally_child_reports(children)
        return
    about = ReportChild.objects.filter(report_id__in=ids, child__isnull=False)
    about_ids = {*about.values_list("child_id", flat=True), *children}
    # The children before the cells, as a merge or an edit of a child takes them: a report
    # counted during a merge waits for it (the other order deadlocked), and the sex and
    # age read below are the committed ones.
    casework_tallies.lock_children(about_ids)
    old = {t.report_id: t for t in ReportTallied.objects.select_for_update().filter(pk__in=ids)}
    new = report_facts(ids)
    deltas: dict[type[models.Model], dict[tuple, list[int]]] = {
        ReportTally: {},
        RegionTally: {},
        ConcernTally: {},
    }
    for t in old.values():
        cell = ReportCell(
            t.month, t.region, t.district_id, t.reporter_type, t.urgency, t.concerns, t.children
        )
        _add_report(-1, cell, t.screened, t.screened_in_time, deltas, t.screening_bucket)
    for f in new.values():
        _add_report(1, f.cell, f.screened, f.screened_in_time, deltas, f.screening_bucket)
    tallies.apply(deltas)
    ReportTallied.objects.filter(pk__in=set(old) - set(new)).delete()
    ReportTallied.objects.bulk_create(
        [_snapshot(pk, f) for pk, f in new.items()],
        update_conflicts=True,
        unique_fields=["report"],
        update_fields=[
            "month",
            "region",
            "district",
            "reporter_type",
            "urgency",
            "concerns",
            "children",
            "screened",
            "screened_in_time",
            "screening_bucket",
        ],
    )
    casework_tallies.retally_child_reports(about_ids)


def _snapshot(pk: int, f: ReportFacts) -> ReportTallied:
    c = f.cell
    return ReportTallied(
        report_id=pk,
        month=c.month,
        region=c.region,
        district_id=c.district_id,
        reporter_type=c.reporter_type,
        urgency=c.urgency,
        concerns=c.concerns,
        children=c.children,
        screened=f.screened,
        screened_in_time=f.screened_in_time,
        screening_bucket=f.screening_bucket,
    )


@dataclass(frozen=True)
class CaseFacts:
    region: str
    opened_month: dt.date
    closed_month: dt.date | None
    open: bool  # not closed: counted in OpenCaseTally
    risk_level: str
    first_visit_bucket: int | None


def case_facts(ids: Iterable[int]) -> dict[int, CaseFacts]:
    """Each case as its row says now (its region, months, status, risk level, and the
    bucket of hours from its first report to its first visit)."""
    ids = list(ids)
    first_visits = casework_tallies.first_visit_buckets(ids)
    rows = Case.objects.filter(pk__in=ids).values_list(
        "pk", "region__kato", "opened_at", "closed_at", "status", "risk_level"
    )
    return {
        pk: CaseFacts(
            kato[:2],
            month_of(opened),
            month_of(closed) if closed else None,
            status != Case.Status.CLOSED,
            risk_level,
            first_visits.get(pk),
        )
        for pk, kato, opened, closed, status, risk_level in rows
    }


def _add_case(sign: int, f: CaseFacts, deltas: tallies.Deltas) -> None:
    """Count one case (sign −1: uncount it) into the case rollups' deltas."""
    tallies.add(deltas, CaseTally, (f.opened_month, f.region), sign, 0)
    if f.closed_month:
        tallies.add(deltas, CaseTally, (f.closed_month, f.region), 0, sign)
    if f.open:
        tallies.add(deltas, OpenCaseTally, (f.region, f.risk_level), sign)
    if f.first_visit_bucket is not None:
        key = (HoursTally.Measure.FIRST_VISIT.value, f.opened_month, f.region, f.first_visit_bucket)
        tallies.add(deltas, HoursTally, key, sign)


def _tallied(t: CaseTallied) -> CaseFacts:
    return CaseFacts(
        t.region, t.opened_month, t.closed_month, t.open, t.risk_level, t.first_visit_bucket
    )


def _case_snapshot(pk: int, f: CaseFacts) -> CaseTallied:
    return CaseTallied(
        case_id=pk,
        region=f.region,
        opened_month=f.opened_month,
        closed_month=f.closed_month,
        open=f.open,
        risk_level=f.risk_level,
        first_visit_bucket=f.first_visit_bucket,
    )


@transaction.atomic
def retally_cases(ids: Iterable[int]) -> None:
    """Move these cases, their plan actions and police notifications to the cells their
    rows say now (call after changing any of them)."""
    ids = sorted(set(ids))
    if not ids:
        return
    old = {t.case_id: t for t in CaseTallied.objects.select_for_update().filter(pk__in=ids)}
    new = case_facts(ids)
    deltas: tallies.Deltas = {}
    for t in old.values():
        _add_case(-1, _tallied(t), deltas)
    for f in new.values():
        _add_case(1, f, deltas)
    casework_tallies.retally_case_rows({pk: (f.region, f.open) for pk, f in new.items()}, deltas)
    tallies.apply(deltas)
    CaseTallied.objects.filter(pk__in=set(old) - set(new)).delete()
    CaseTallied.objects.bulk_create(
        [_case_snapshot(pk, f) for pk, f in new.items()],
        update_conflicts=True,
        unique_fields=["case"],
        update_fields=[
            "region",
            "opened_month",
            "closed_month",
            "open",
            "risk_level",
            "first_visit_bucket",
        ],
    )


def retally_children(child_ids: Iterable[int]) -> None:
    """After a child's sex or date of birth changed: the reports about them."""
    retally_reports(
        ReportChild.objects.filter(child_id__in=list(child_ids)).values_list("report_id", flat=True)
    )


def child_changed(child: Child) -> None:
    """children.services' hook: a child's record was corrected."""
    retally_children([child.pk])


def _chunks(ids: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


@dataclass(frozen=True)
class Rebuilt:
    reports: int
    report_cells: int
    cases: int
    case_cells: int


@transaction.atomic
def rebuild(chunk: int = 10_000) -> Rebuilt:
    """Recompute every rollup from the raw rows (backfill after a migration, repair).

    On PostgreSQL the rollup tables are locked first: services that count meanwhile
    wait, then move the rebuilt cells, so nothing is counted twice or lost. The
    snapshots of reports and cases are computed in chunks (the districts, concern and
    child bits); every tally is then one INSERT ... SELECT ... GROUP BY.
    """
    rollup_models = (
        ReportTally,
        RegionTally,
        ConcernTally,
        ReportTallied,
        CaseTally,
        CaseTallied,
        *casework_tallies.TALLIES,
        *casework_tallies.SNAPSHOTS,
    )
    tables = [m._meta.db_table for m in rollup_models]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {', '.join(tables)} IN EXCLUSIVE MODE")
    for model in rollup_models:
        model._default_manager.all().delete()
    districts = Districts()
    districts.load_all()
    report_ids = list(Report.objects.order_by("pk").values_list("pk", flat=True))
    if connection.vendor == "postgresql":
        _snapshot_reports_in_sql(districts)
    else:
        for ids in _chunks(report_ids, chunk):
            facts = report_facts(ids, districts)
            ReportTallied.objects.bulk_create([_snapshot(pk, f) for pk, f in facts.items()], 5000)
    t = tallies.table
    tallies.insert_select(
        ReportTally,
        [*tallies.SHAPES[ReportTally][0], *tallies.SHAPES[ReportTally][2]],
        "SELECT month, region, district_id, reporter_type, urgency, concerns, children, "  # noqa: S608
        "COUNT(*), SUM(CASE WHEN screened THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN screened_in_time THEN 1 ELSE 0 END) FROM {t(ReportTallied)} "
        "GROUP BY month, region, district_id, reporter_type, urgency, concerns, children",
    )
    _rebuild_coarse()
    case_ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
    for ids in _chunks(case_ids, chunk):
        CaseTallied.objects.bulk_create(
            [_case_snapshot(pk, f) for pk, f in case_facts(ids).items()], 5000
        )
    tallies.insert_select(
        CaseTally,
        ["month", "region", "opened", "closed"],
        "SELECT month, region, SUM(opened), SUM(closed) FROM ("  # noqa: S608
        f"SELECT opened_month AS month, region, 1 AS opened, 0 AS closed FROM {t(CaseTallied)} "
        f"UNION ALL SELECT closed_month, region, 0, 1 FROM {t(CaseTallied)} "
        "WHERE closed_month IS NOT NULL) moves GROUP BY month, region",
    )
    casework_tallies.rebuild()
    return Rebuilt(
        len(report_ids), ReportTally.objects.count(), len(case_ids), CaseTally.objects.count()
    )


def _snapshot_reports_in_sql(districts: Districts) -> None:
    """`report_facts` of every report as one INSERT ... SELECT (PostgreSQL: bit_or and
    age()); the places' districts come from the tree in Python, a few thousand rows."""
    places = list(districts._up)
    sex = "CASE ch.sex " + " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(_SEXES)) + " END"
    age = (
        "CASE WHEN ch.birth_date IS NOT NULL "
        "THEN date_part('year', age((r.received_at AT TIME ZONE %(tz)s)::date, ch.birth_date))"
        "::int ELSE ch.approximate_age END"
    )
    group = (
        f"CASE WHEN ({age}) IS NULL OR ({age}) < 0 OR ({age}) > 17 THEN {len(AGE_GROUPS)} "
        f"ELSE LEAST(({age}) / 5, {len(AGE_GROUPS) - 1}) END"
    )
    unknown = _SEXES.index(Sex.UNKNOWN.value) * len(_AGES) + len(AGE_GROUPS)
    bit = (
        f"CASE WHEN ch.id IS NULL OR ch.sex NOT IN ({', '.join(repr(s) for s in _SEXES)}) "
        f"THEN 1 << {unknown} ELSE 1 << (({sex}) * {len(_AGES)} + ({group})) END"
    )
    minutes = "floor(extract(epoch FROM r.screened_at - r.received_at) / 60)::bigint"
    sql = f"""
        INSERT INTO {tallies.table(ReportTallied)} (report_id, month, region, district_id,
          reporter_type, urgency, concerns, children, screened, screened_in_time,
          screening_bucket)
        SELECT r.id, date_trunc('month', r.received_at AT TIME ZONE %(tz)s)::date,
          d.region, d.district, r.reporter_type, r.urgency, COALESCE(c.bits, 0),
          COALESCE(k.bits, 0), r.screened_at IS NOT NULL,
          r.screened_at IS NOT NULL AND r.screened_at <= r.screening_due_at,
          CASE WHEN r.screened_at IS NOT NULL THEN {casework_tallies.bucket_sql(minutes)} END
        FROM cases_report r
        JOIN unnest(%(places)s::bigint[], %(districts)s::bigint[], %(regions)s::text[])
          AS d(place, district, region) ON d.place = r.place_id
        LEFT JOIN (
          SELECT rc.report_id, SUM(b.bit) AS bits FROM cases_reportconcern rc
          JOIN unnest(%(codes)s::text[], %(bits)s::int[]) AS b(concern, bit)
            ON b.concern = rc.concern
          GROUP BY rc.report_id
        ) c ON c.report_id = r.id
        LEFT JOIN (
          SELECT l.report_id, bit_or({bit}) AS bits FROM cases_reportchild l
          JOIN cases_report r ON r.id = l.report_id
          LEFT JOIN children_child ch ON ch.id = l.child_id
          GROUP BY l.report_id
        ) k ON k.report_id = r.id
    """  # noqa: S608 (names and numbers from the code)
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "tz": timezone.get_current_timezone_name(),
                "places": places,
                "districts": [districts.of(p) for p in places],
                "regions": [districts.region_of(p) for p in places],
                "codes": list(CONCERN_BITS),
                "bits": list(CONCERN_BITS.values()),
            },
        )


def _rebuild_coarse() -> None:
    """RegionTally and ConcernTally summed from the rebuilt fine cells (a concern's
    cells are those whose mask has its bit)."""
    t = tallies.table
    tallies.insert_select(
        RegionTally,
        ["month", "region", "reporter_type", "reports", "screened", "screened_in_time"],
        "SELECT month, region, reporter_type, SUM(reports), SUM(screened), "  # noqa: S608
        f"SUM(screened_in_time) FROM {t(ReportTally)} GROUP BY month, region, reporter_type",
    )
    bits = " UNION ALL ".join("SELECT %s AS concern, %s AS bit" for _ in CONCERN_BITS)
    tallies.insert_select(
        ConcernTally,
        ["month", "region", "concern", "reports"],
        f"SELECT t.month, t.region, c.concern, SUM(t.reports) FROM {t(ReportTally)} t "  # noqa: S608
        f"JOIN ({bits}) c ON (t.concerns & c.bit) <> 0 GROUP BY t.month, t.region, c.concern",
        [value for item in CONCERN_BITS.items() for value in item],
    )


Cells = dict[type[models.Model], dict[tuple, tuple[int, ...]]]


def expected() -> Cells:
    """Every rollup's cells computed afresh from the raw rows (the stored ones untouched)."""
    deltas: tallies.Deltas = {model: {} for model in tallies.SHAPES}
    districts = Districts()
    districts.load_all()
    ids = list(Report.objects.order_by("pk").values_list("pk", flat=True))
    for chunk in _chunks(ids, 10_000):
        for f in report_facts(chunk, districts).values():
            _add_report(1, f.cell, f.screened, f.screened_in_time, deltas, f.screening_bucket)
    case_ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
    for chunk in _chunks(case_ids, 10_000):
        found = case_facts(chunk)
        for case in found.values():
            _add_case(1, case, deltas)
        cases = {pk: (c.region, c.open) for pk, c in found.items()}
        casework_tallies.add_case_rows(
            1,
            casework_tallies.plan_action_facts(cases),
            casework_tallies.police_facts(cases),
            deltas,
        )
    casework_tallies.expected_children(deltas)
    return {m: {k: tuple(v) for k, v in cells.items() if any(v)} for m, cells in deltas.items()}


def stored() -> Cells:
    """The stored cells of every rollup (empty ones left out)."""
    out: Cells = {}
    for model, (keys, _conflict, counts) in tallies.SHAPES.items():
        names = [k.removesuffix("_id") if k == "district_id" else k for k in keys]
        rows = model._default_manager.values_list(*names, *counts)
        out[model] = {
            tuple(row[: len(keys)]): tuple(row[len(keys) :])
            for row in rows
            if any(row[len(keys) :])
        }
    return out


def differences() -> list[str]:
    """Each cell whose stored counts differ from the raw rows, as a line to print."""
    want, have = expected(), stored()
    lines = []
    for model in tallies.SHAPES:
        w, h = want.get(model, {}), have.get(model, {})
        for key in sorted(set(w) | set(h), key=str):
            if w.get(key) != h.get(key):
                lines.append(f"{model.__name__} {key}: stored {h.get(key)}, raw {w.get(key)}")
    return lines
