"""Aggregates of Qorgau's own reports and cases for analysts: no names, suppressed.

The figures are read from the rollups the services keep current (`qorgau.cases.rollups`,
ADR 0015): one GROUP BY over the month × district cells of the actor's scope and
period, so a national page costs the cells of a year, not the reports of a year.
`source="raw"` computes the same figures from the raw tables (the benchmark's
baseline). No row leaves here unsuppressed (qorgau.monitoring.disclosure).
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from qorgau.access import statistics_scope
from qorgau.accounts.models import User
from qorgau.cases.choices import Concern, ReporterType
from qorgau.cases.models import (
    Case,
    CaseTally,
    ConcernTally,
    RegionTally,
    Report,
    ReportChild,
    ReportConcern,
    ReportTally,
)
from qorgau.cases.rollups import AGE_GROUPS, CONCERN_BITS, Districts, children_mask
from qorgau.monitoring.disclosure import suppress_column, suppress_count
from qorgau.places.models import Place
from qorgau.places.ordering import region_order

MONTHS = 12  # this month and the eleven before


@dataclass(frozen=True)
class CaseFilters:
    """What the case-data tables are narrowed to, inside the actor's scope."""

    region: str = ""  # two KATO digits; "" the whole scope
    district: Place | None = None  # a district (or a region's own territory)
    concern: str = ""
    sex: str = ""  # "M" / "F"
    age_group: str = ""  # one of AGE_GROUPS

    @property
    def narrows_reports(self) -> bool:
        """Filters the case counts do not follow (cases are counted by region)."""
        return bool(self.district or self.concern or self.sex or self.age_group)


@dataclass(frozen=True)
class RegionRow:
    region: Place | None  # None: the scope's totals
    reports: int | None  # None: suppressed
    opened: int | None
    open_now: int | None
    closed: int | None
    screened: int | None
    screened_in_time: int | None

    @property
    def in_time_pct(self) -> float | None:
        """Share of screened reports screened within the deadline, when both are shown."""
        if not self.screened or self.screened_in_time is None:
            return None
        return self.screened_in_time / self.screened * 100


@dataclass(frozen=True)
class DistrictRow:
    district: Place
    reports: int | None
    screened: int | None
    screened_in_time: int | None


@dataclass(frozen=True)
class Overview:
    since: dt.date
    national: bool
    regions: list[RegionRow]
    totals: RegionRow | None  # the country's row, national scope only
    concerns: list[tuple[str, int | None]]
    reporters: list[tuple[str, int | None]]
    filters: CaseFilters = field(default_factory=CaseFilters)
    districts: list[DistrictRow] = field(default_factory=list)  # with a region chosen
    cases_follow_filters: bool = True  # False: case columns are by region only


def period_start(today: dt.date | None = None) -> dt.date:
    """The first day of the month eleven months before this one."""
    today = today or timezone.localdate()
    months = today.year * 12 + today.month - 1 - (MONTHS - 1)
    return dt.date(months // 12, months % 12 + 1, 1)


# Where the counts come from: rollup cells or, for the benchmark, the raw rows. ---------


def _cells(prefix: str, filters: CaseFilters, since: dt.date) -> QuerySet[ReportTally]:
    cells = ReportTally.objects.filter(month__gte=since, region__startswith=prefix)
    if filters.region:
        cells = cells.filter(region=filters.region)
    if filters.district:
        cells = cells.filter(district=filters.district)
    if filters.concern:
        cells = cells.alias(_c=F("concerns").bitand(CONCERN_BITS[filters.concern])).filter(_c__gt=0)
    if filters.sex or filters.age_group:
        mask = children_mask(filters.sex or None, filters.age_group or None)
        cells = cells.alias(_k=F("children").bitand(mask)).filter(_k__gt=0)
    return cells.order_by()


def _rollup_reports(prefix: str, filters: CaseFilters, since: dt.date) -> dict[str, Any]:
    # (Annotations may not take a field's name: "scr" is the sum of "screened".)
    sums = {"n": Sum("reports"), "scr": Sum("screened"), "in_time": Sum("screened_in_time")}

    def keyed(rows: Iterable[dict[str, Any]], key: str) -> dict[Any, dict[str, int]]:
        return {r[key]: {"n": r["n"], "screened": r["scr"], "in_time": r["in_time"]} for r in rows}

    scope = filters.region or prefix
    by_district: dict[int, dict[str, int]] = {}
    if not filters.narrows_reports:
        # Unfiltered: the month × region tallies, a few hundred cells a year.
        tallies = RegionTally.objects.filter(month__gte=since).order_by()
        in_scope = tallies.filter(region__startswith=scope)
        concerns = dict(
            ConcernTally.objects.filter(month__gte=since, region__startswith=scope)
            .order_by()
            .values_list("concern")
            .annotate(n=Sum("reports"))
        )
        if scope:
            by_district = keyed(
                _cells(prefix, filters, since).values("district").annotate(**sums), "district"
            )
        return {
            "regions": keyed(tallies.values("region").annotate(**sums), "region"),
            "districts": by_district,
            "concerns": concerns,
            "reporters": dict(in_scope.values_list("reporter_type").annotate(n=Sum("reports"))),
        }
    # One pass over the country's filtered cells: the regions (a region's row is its row
    # of the national table), and the concerns and who reported of the scope.
    regions: dict[str, dict[str, int]] = {}
    concern_counts: dict[str, int] = dict.fromkeys(CONCERN_BITS, 0)
    reporters: dict[str, int] = {}
    country = _cells("", replace(filters, region=""), since)
    grouped = country.values_list("region", "reporter_type", "concerns").annotate(
        n=Sum("reports"), s=Sum("screened"), t=Sum("screened_in_time")
    )
    for region, reporter, mask, n, screened, in_time in grouped:
        row = regions.setdefault(region, {"n": 0, "screened": 0, "in_time": 0})
        row["n"] += n
        row["screened"] += screened
        row["in_time"] += in_time
        if not region.startswith(scope):
            continue
        reporters[reporter] = reporters.get(reporter, 0) + n
        for code, bit in CONCERN_BITS.items():
            if mask & bit:
                concern_counts[code] += n
    if scope:
        cells = _cells(prefix, filters, since)
        by_district = keyed(cells.values("district").annotate(**sums), "district")
    return {
        "regions": regions,
        "districts": by_district,
        "concerns": concern_counts,
        "reporters": reporters,
    }


def _rollup_cases(since: dt.date) -> dict[str, dict]:
    cells = CaseTally.objects.order_by()
    rows = cells.values("region").annotate(
        o=Sum("opened", filter=Q(month__gte=since)),
        c=Sum("closed", filter=Q(month__gte=since)),
        ever_o=Sum("opened"),
        ever_c=Sum("closed"),
    )
    return {
        r["region"]: {
            "opened": r["o"] or 0,
            "closed": r["c"] or 0,
            "open_now": (r["ever_o"] or 0) - (r["ever_c"] or 0),
        }
        for r in rows
    }


def _raw_report_rows(prefix: str, filters: CaseFilters, since: dt.date) -> QuerySet[Report]:
    if filters.age_group:
        raise ValueError("the raw baseline has no age-group filter")
    start = dt.datetime.combine(since, dt.time(), tzinfo=timezone.get_current_timezone())
    reports = Report.objects.filter(received_at__gte=start, place__kato__startswith=prefix)
    if filters.region:
        reports = reports.filter(place__kato__startswith=filters.region)
    if filters.district and filters.district.parent_id:
        reports = reports.filter(place__kato__startswith=filters.district.territory_prefix)
    elif filters.district:  # a region's own reports, placed at no district of it
        reports = reports.filter(place=filters.district)
    if filters.concern:
        reports = reports.filter(
            Exists(ReportConcern.objects.filter(report=OuterRef("pk"), concern=filters.concern))
        )
    if filters.sex:
        reports = reports.filter(
            Exists(ReportChild.objects.filter(report=OuterRef("pk"), child__sex=filters.sex))
        )
    return reports.order_by()


def _raw_reports(prefix: str, filters: CaseFilters, since: dt.date) -> dict[str, Any]:
    """The same figures from the raw reports (no age group: that needs each child's age
    at the report's date, which only the rollups carry)."""
    reports = _raw_report_rows(prefix, filters, since)
    counts = {
        "n": Count("pk"),
        "screened": Count("pk", filter=Q(screened_at__isnull=False)),
        "in_time": Count("pk", filter=Q(screened_at__lte=F("screening_due_at"))),
    }
    country = _raw_report_rows("", replace(filters, region=""), since)
    regions = {
        r["region"]: r
        for r in country.annotate(region=Substr("place__kato", 1, 2))
        .values("region")
        .annotate(**counts)
    }
    by_district: dict[int, dict[str, int]] = {}
    if filters.region or prefix:
        tree = Districts()
        rows = list(reports.values("place").annotate(**counts))
        tree.load(r["place"] for r in rows)
        for r in rows:
            into = by_district.setdefault(tree.of(r["place"]), dict.fromkeys(counts, 0))
            for key in counts:
                into[key] += r[key]
    concerns = dict(
        ReportConcern.objects.filter(report__in=reports.values("pk"))
        .values_list("concern")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {
        "regions": regions,
        "districts": by_district,
        "concerns": concerns,
        "reporters": dict(reports.values_list("reporter_type").annotate(n=Count("pk"))),
    }


def _raw_cases(since: dt.date) -> dict[str, dict]:
    start = dt.datetime.combine(since, dt.time(), tzinfo=timezone.get_current_timezone())
    cases = Case.objects.order_by()
    return {
        r["region__kato"][:2]: r
        for r in cases.values("region__kato").annotate(
            opened=Count("pk", filter=Q(opened_at__gte=start)),
            open_now=Count("pk", filter=~Q(status=Case.Status.CLOSED)),
            closed=Count("pk", filter=Q(closed_at__gte=start)),
        )
    }


# The overview ----------------------------------------------------------------------------


def overview(
    *, actor: User, filters: CaseFilters | None = None, source: str = "rollup"
) -> Overview | None:
    """Reports and cases of the actor's scope over the last 12 months, suppressed.

    A filter outside the actor's territory narrows to nothing: a regional analyst
    asking for another region's district gets zeros, never that district's counts.
    """
    prefix = statistics_scope(actor)
    if prefix is None:
        return None
    filters = filters or CaseFilters()
    if prefix and filters.region and filters.region != prefix:
        filters = replace(filters, region=prefix)
    outside = bool(filters.district) and not filters.district.kato.startswith(  # type: ignore[union-attr]
        filters.region or prefix
    )
    since = period_start()
    # Every region of the country, suppressed as one table with its total: a region's
    # row (a regional analyst's, or the region a national analyst picks) is its row of
    # that table, so the national and regional views cannot be combined to uncover one.
    country = sorted(
        Place.objects.filter(parent__isnull=True),
        key=lambda r: region_order(r.region_code, r.name),
    )
    if outside:  # a district outside the scope: nothing, not that district's counts
        found: dict[str, Any] = {"regions": {}, "districts": {}, "concerns": {}, "reporters": {}}
        case_counts: dict[str, dict] = {}
    elif source == "raw":
        found = _raw_reports(prefix, filters, since)
        case_counts = _raw_cases(since)
    else:
        found = _rollup_reports(prefix, filters, since)
        case_counts = _rollup_cases(since)
    # A district, concern, sex or age group narrows the reports; cases are counted by
    # region only, so their columns are left out rather than shown unfiltered.
    cases_follow = not filters.narrows_reports
    national = prefix == "" and not filters.region
    columns: dict[str, tuple[list[int | None], int | None]] = {}
    report_counts = found["regions"]
    for name, source_counts, key in (
        ("reports", report_counts, "n"),
        ("screened", report_counts, "screened"),
        ("screened_in_time", report_counts, "in_time"),
        ("opened", case_counts, "opened"),
        ("open_now", case_counts, "open_now"),
        ("closed", case_counts, "closed"),
    ):
        if source_counts is case_counts and not cases_follow:
            columns[name] = ([None] * len(country), None)
            continue
        raw = [int(source_counts.get(r.region_code, {}).get(key) or 0) for r in country]
        columns[name] = suppress_column(raw)
    shown = filters.region or prefix
    rows = [
        RegionRow(region, **{name: columns[name][0][i] for name in columns})
        for i, region in enumerate(country)
        if region.region_code.startswith(shown)
    ]
    totals = None
    if national:
        totals = RegionRow(None, **{name: columns[name][1] for name in columns})
    # A report can have several concerns, so the concerns have no total to protect:
    # each count is published alone. Reporter types do add up to the reports.
    concerns = [
        (str(label), suppress_count(int(found["concerns"].get(code, 0))))
        for code, label in Concern.choices
    ]
    reporter_values, _total = suppress_column(
        [int(found["reporters"].get(code, 0)) for code, _label in ReporterType.choices]
    )
    reporters = [
        (str(label), value)
        for (_code, label), value in zip(ReporterType.choices, reporter_values, strict=True)
    ]
    return Overview(
        since=since,
        national=national,
        regions=rows,
        totals=totals,
        concerns=concerns,
        reporters=reporters,
        filters=filters,
        districts=_district_rows(filters.region or prefix, found["districts"], rows),
        cases_follow_filters=cases_follow,
    )


def _district_rows(
    region: str, counts: dict[int, dict[str, int]], rows: list[RegionRow]
) -> list[DistrictRow]:
    """The region's districts (its own territory first), each column suppressed with the
    region's row as the total they add up to. When the region's own figure is hidden,
    the districts are hidden too: their sum would give it away."""
    if not region:
        return []
    places = districts_of(region)
    published = {
        "n": rows[0].reports if rows else None,
        "screened": rows[0].screened if rows else None,
        "in_time": rows[0].screened_in_time if rows else None,
    }
    out: dict[str, list[int | None]] = {}
    for key in ("n", "screened", "in_time"):
        if published[key] is None:
            out[key] = [None] * len(places)
            continue
        out[key], _total = suppress_column(
            [int(counts.get(p.pk, {}).get(key) or 0) for p in places]
        )
    return [
        DistrictRow(p, out["n"][i], out["screened"][i], out["in_time"][i])
        for i, p in enumerate(places)
    ]


def districts_of(region: str) -> list[Place]:
    """The districts of a region (or of the country: "") as the rollups count them:
    each region itself (its own territory) first, then the places straight under it."""
    places = Place.objects.filter(
        Q(parent__isnull=True) | Q(parent__parent__isnull=True), kato__startswith=region
    )
    return sorted(places, key=lambda p: (p.kato[:2], p.parent_id is not None, p.name))


def age_groups() -> Iterable[str]:
    return AGE_GROUPS
