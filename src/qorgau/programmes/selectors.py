"""Reads: a programme's dashboard (measures by status and lateness, indicators against
targets nationally and by region), who is late with their reports, the forms' choices.

Programme data holds no personal data; what a user sees is narrowed by region through
qorgau.access (the caller passes the regions the user may see).
"""

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from qorgau.accounts.models import Organisation
from qorgau.monitoring.indicators import Dim, compute
from qorgau.monitoring.selectors import population_years
from qorgau.places.models import Place
from qorgau.programmes.models import (
    ActivityReport,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    Measure,
    MeasureReport,
    Programme,
    ResponsibleBody,
)
from qorgau.programmes.periods import Quarter, last_due
from qorgau.programmes.statements import (
    ChangeStatement,
    TargetStatement,
    change_statement,
    target_statement,
)

ACTIVE = (Measure.Status.PLANNED, Measure.Status.IN_PROGRESS)
THOUSANDTH = Decimal("0.001")


def programmes() -> QuerySet[Programme]:
    return Programme.objects.annotate(
        measure_count=Count("measures", distinct=True),
        indicator_count=Count("indicators", distinct=True),
    )


def late_measures(programme: Programme, today: dt.date) -> QuerySet[Measure]:
    """Measures past their deadline and neither done nor cancelled."""
    return programme.measures.filter(deadline__lt=today, status__in=ACTIVE)


@dataclass(frozen=True)
class DirectionSummary:
    number: int
    name: str
    statuses: dict[str, int]
    late: int

    @property
    def total(self) -> int:
        return sum(self.statuses.values())


def measure_summary(programme: Programme, today: dt.date) -> list[DirectionSummary]:
    rows = (
        programme.measures.order_by()
        .values("direction__number", "status")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(deadline__lt=today, status__in=ACTIVE)))
    )
    statuses: dict[int, Counter[str]] = defaultdict(Counter)
    late: Counter[int] = Counter()
    for row in rows:
        statuses[row["direction__number"]][row["status"]] += row["n"]
        late[row["direction__number"]] += row["late"]
    return [
        DirectionSummary(
            number=d.number,
            name=d.name,
            statuses={s: statuses[d.number][s] for s in Measure.Status.values},
            late=late[d.number],
        )
        for d in programme.directions.all()
    ]


@dataclass(frozen=True)
class IndicatorRow:
    indicator: Indicator
    place: Place | None  # None: national
    value: Decimal | None
    ci_low: Decimal | None
    ci_high: Decimal | None
    period: str  # "2026 Q2" for a reported value, "2026" for a computed one
    target: Decimal | None
    target_year: int | None
    statement: TargetStatement
    change: ChangeStatement | None
    computed: bool

    @property
    def estimated(self) -> bool:
        return self.ci_low is not None


@dataclass
class _Value:
    value: Decimal
    period: str
    year: int
    ci_low: Decimal | None = None
    ci_high: Decimal | None = None


def _reported(indicators: list[Indicator], regions: list[Place | None]) -> dict:
    ids = [i.pk for i in indicators if not i.definition]
    region_q = Q(region__isnull=True) if None in regions else Q(pk__in=[])
    region_q |= Q(region__in=[r for r in regions if r is not None])
    latest: dict[tuple[int, int | None], _Value] = {}
    rows = IndicatorValue.objects.filter(region_q, indicator_id__in=ids).order_by("year", "quarter")
    for row in rows:  # in time order: the latest wins
        latest[(row.indicator_id, row.region_id)] = _Value(
            row.value, f"{row.year} Q{row.quarter}", row.year, row.ci_low, row.ci_high
        )
    return latest


def _computed(indicators: list[Indicator], regions: list[Place | None], year: int) -> dict:
    latest: dict[tuple[int, int | None], _Value] = {}
    by_code = {r.iso_code: r for r in regions if r is not None}
    for indicator in indicators:
        if not indicator.definition:
            continue
        if None in regions:
            total = compute(indicator.definition, {Dim.YEAR: year}).get(())
            if total and total[2] is not None:
                latest[(indicator.pk, None)] = _Value(_decimal(total[2]), str(year), year)
        if by_code:
            values = compute(indicator.definition, {Dim.YEAR: year}, (Dim.REGION,))
            for (code,), (_n, _d, value) in values.items():
                if str(code) in by_code and value is not None:
                    latest[(indicator.pk, by_code[str(code)].pk)] = _Value(
                        _decimal(value), str(year), year
                    )
    return latest


def population_years_up_to(year: int) -> int | None:
    return max((y for y in population_years() if y <= year), default=None)


def _decimal(value: float) -> Decimal:
    return Decimal(str(value)).quantize(THOUSANDTH)


def indicator_rows(
    programme: Programme, regions: Iterable[Place | None], today: dt.date
) -> list[IndicatorRow]:
    """Each indicator's latest value against its target, for each of `regions` (None:
    national). A region without its own target is held to the national one."""
    regions = list(regions)
    indicators = list(programme.indicators.select_related("direction"))
    # Computed values need the population of their year: the latest year it is known.
    year = population_years_up_to(today.year)
    computed = _computed(indicators, regions, year) if year else {}
    values = _reported(indicators, regions) | computed
    targets = {
        (t.indicator_id, t.region_id, t.year): t.value
        for t in IndicatorTarget.objects.filter(indicator__in=indicators)
    }
    rows = []
    for indicator in indicators:
        for region in regions:
            region_id = region.pk if region is not None else None
            found = values.get((indicator.pk, region_id))
            year = found.year if found else today.year
            target = targets.get((indicator.pk, region_id, year))
            if target is None:
                target = targets.get((indicator.pk, None, year))
            rows.append(
                IndicatorRow(
                    indicator=indicator,
                    place=region,
                    value=found.value if found else None,
                    ci_low=found.ci_low if found else None,
                    ci_high=found.ci_high if found else None,
                    period=found.period if found else "",
                    target=target,
                    target_year=year if target is not None else None,
                    statement=target_statement(
                        value=found.value if found else None,
                        target=target,
                        higher_is_better=indicator.higher_is_better,
                        ci_low=found.ci_low if found else None,
                        ci_high=found.ci_high if found else None,
                    ),
                    change=change_statement(
                        value=found.value,
                        baseline=indicator.baseline_value,
                        ci_low=found.ci_low,
                        ci_high=found.ci_high,
                    )
                    if found
                    else None,
                    computed=bool(indicator.definition),
                )
            )
    return rows


@dataclass(frozen=True)
class LateBody:
    body: ResponsibleBody
    missing: int  # active measures without this body's report for the quarter


def late_bodies(
    programme: Programme, quarter: Quarter, *, national: bool, regions: QuerySet[Place]
) -> list[LateBody]:
    """Bodies that owe a report on active measures for `quarter`, most missing first.

    `national`: the ministry chases every body; a region its own bodies only."""
    reported = MeasureReport.objects.filter(
        measure=OuterRef("measure"),
        body=OuterRef("responsiblebody"),
        year=quarter.year,
        quarter=quarter.quarter,
    )
    links = Measure.bodies.through.objects.filter(
        measure__programme=programme, measure__status__in=ACTIVE
    ).exclude(Exists(reported))
    if not national:
        links = links.filter(responsiblebody__region__in=regions)
    rows = links.order_by().values("responsiblebody").annotate(n=Count("pk"))
    counts = {row["responsiblebody"]: row["n"] for row in rows}
    bodies = ResponsibleBody.objects.in_bulk(counts)
    late = [LateBody(bodies[pk], n) for pk, n in counts.items()]
    return sorted(late, key=lambda b: (-b.missing, b.body.code))


def schools_late(schools: QuerySet[Organisation], quarter: Quarter) -> QuerySet[Organisation]:
    """Schools (of those given) with no Adal Azamat report for `quarter`."""
    reported = ActivityReport.objects.filter(
        school=OuterRef("pk"), year=quarter.year, quarter=quarter.quarter
    )
    return schools.exclude(Exists(reported)).select_related("place").order_by("place__kato", "name")


@dataclass
class Dashboard:
    programme: Programme
    region: Place | None
    directions: list[DirectionSummary]
    indicators: list[IndicatorRow]
    late_bodies: list[LateBody]
    due_quarter: Quarter
    totals: dict[str, int] = field(default_factory=dict)
    late: int = 0


def dashboard(
    *,
    programme: Programme,
    region: Place | None,
    national: bool,
    regions: QuerySet[Place],
    today: dt.date,
) -> Dashboard:
    directions = measure_summary(programme, today)
    totals = {s: sum(d.statuses[s] for d in directions) for s in Measure.Status.values}
    due = last_due(today)
    return Dashboard(
        programme=programme,
        region=region,
        directions=directions,
        indicators=indicator_rows(programme, [None, region] if region else [None], today),
        late_bodies=late_bodies(programme, due, national=national, regions=regions),
        due_quarter=due,
        totals=totals,
        late=sum(d.late for d in directions),
    )


def measures_of_body(body: ResponsibleBody, programme: Programme) -> QuerySet[Measure]:
    return body.measures.filter(programme=programme).select_related("direction")


def reports_of(body: ResponsibleBody, quarter: Quarter) -> dict[int, MeasureReport]:
    rows = MeasureReport.objects.filter(body=body, year=quarter.year, quarter=quarter.quarter)
    return {r.measure_id: r for r in rows}
