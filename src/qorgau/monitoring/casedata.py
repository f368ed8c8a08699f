"""Aggregates of Qorgau's own reports and cases for analysts: no names, suppressed.

Each query is one GROUP BY over the reports or cases of the actor's scope in the
period (KATO prefix and received_at, both indexed): its cost follows the scope and
the period, and no row leaves here unsuppressed (qorgau.monitoring.disclosure).
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.db.models.functions import Substr
from django.utils import timezone

from qorgau.access import statistics_scope
from qorgau.accounts.models import User
from qorgau.cases.choices import Concern, ReporterType
from qorgau.cases.models import Case, Report, ReportConcern
from qorgau.monitoring.disclosure import suppress_column, suppress_count
from qorgau.places.models import Place
from qorgau.places.ordering import region_order


@dataclass(frozen=True)
class RegionRow:
    region: Place | None  # None: the country's totals
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
class Overview:
    since: dt.date
    national: bool
    regions: list[RegionRow]
    totals: RegionRow | None  # the country's row, national scope only
    concerns: list[tuple[str, int | None]]
    reporters: list[tuple[str, int | None]]


def _column(values: list[int], with_total: bool) -> tuple[list[int | None], int | None]:
    if with_total:
        return suppress_column(values)
    return [suppress_count(v) for v in values], None


def overview(*, actor: User, days: int = 365) -> Overview | None:
    prefix = statistics_scope(actor)
    if prefix is None:
        return None
    since = timezone.now() - dt.timedelta(days=days)
    regions = sorted(
        Place.objects.filter(parent__isnull=True, kato__startswith=prefix),
        key=lambda r: region_order(r.region_code, r.name),
    )
    reports = (
        Report.objects.filter(received_at__gte=since, place__kato__startswith=prefix)
        .annotate(region=Substr("place__kato", 1, 2))
        .values("region")
        .annotate(
            n=Count("pk"),
            screened=Count("pk", filter=Q(screened_at__isnull=False)),
            in_time=Count("pk", filter=Q(screened_at__lte=F("screening_due_at"))),
        )
    )
    cases = (
        Case.objects.filter(region__kato__startswith=prefix)
        .values("region__kato")
        .annotate(
            opened=Count("pk", filter=Q(opened_at__gte=since)),
            open_now=Count("pk", filter=~Q(status=Case.Status.CLOSED)),
            closed=Count("pk", filter=Q(closed_at__gte=since)),
        )
    )
    report_counts = {row["region"]: row for row in reports}
    case_counts = {row["region__kato"]: row for row in cases}
    national = prefix == ""
    columns: dict[str, tuple[list[int | None], int | None]] = {}
    for name, source, key in (
        ("reports", report_counts, "n"),
        ("screened", report_counts, "screened"),
        ("screened_in_time", report_counts, "in_time"),
        ("opened", case_counts, "opened"),
        ("open_now", case_counts, "open_now"),
        ("closed", case_counts, "closed"),
    ):
        lookup = (lambda r: r.region_code) if source is report_counts else (lambda r: r.kato)
        raw = [source.get(lookup(r), {}).get(key, 0) for r in regions]
        columns[name] = _column(raw, national)
    rows = [
        RegionRow(region, **{name: columns[name][0][i] for name in columns})
        for i, region in enumerate(regions)
    ]
    totals = None
    if national:
        totals = RegionRow(None, **{name: columns[name][1] for name in columns})
    concern_counts = dict(
        ReportConcern.objects.filter(
            report__received_at__gte=since, report__place__kato__startswith=prefix
        )
        .values_list("concern")
        .annotate(n=Count("pk"))
    )
    reporter_counts = dict(
        Report.objects.filter(received_at__gte=since, place__kato__startswith=prefix)
        .values_list("reporter_type")
        .annotate(n=Count("pk"))
    )
    # A report can have several concerns, so the concerns have no total to protect:
    # each count is published alone. Reporter types do add up to the reports.
    concerns = [
        (str(label), suppress_count(concern_counts.get(code, 0))) for code, label in Concern.choices
    ]
    reporter_values, _total = suppress_column(
        [reporter_counts.get(code, 0) for code, _label in ReporterType.choices]
    )
    reporters = [
        (str(label), value)
        for (_code, label), value in zip(ReporterType.choices, reporter_values, strict=True)
    ]
    return Overview(
        since=since.date(),
        national=national,
        regions=rows,
        totals=totals,
        concerns=concerns,
        reporters=reporters,
    )
