"""Specialists against the children they serve, in the monitoring definition mechanism.

The workforce page, the supervisor's view and the programme indicator 4.1 all read
the specialists from `filled_posts` and the children from the population
denominators, so they show the same numbers.
"""

from collections import defaultdict

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
from qorgau.workforce.models import STAFFED_KINDS, StaffingReport


def filled_posts(year: int, quarter: int | None = None) -> dict[str, dict[str, int]]:
    """Per region: approved and filled posts, each organisation as of its latest report
    in `year` (up to `quarter` if given). An organisation that did not report that year
    is not counted: the page says which ones are missing."""
    rows = StaffingReport.objects.filter(year=year, organisation__kind__in=STAFFED_KINDS).order_by(
        "organisation_id", "quarter"
    )
    if quarter is not None:
        rows = rows.filter(quarter__lte=quarter)
    latest: dict[int, tuple[str, int, int]] = {}
    for org, kato, approved, filled in rows.values_list(
        "organisation_id", "organisation__place__kato", "approved", "filled"
    ):
        latest[org] = (kato[:2], approved, filled)  # ordered by quarter: the last wins
    totals: dict[str, dict[str, int]] = defaultdict(lambda: {"approved": 0, "filled": 0})
    for region, approved, filled in latest.values():
        totals[region]["approved"] += approved
        totals[region]["filled"] += filled
    return dict(totals)


@measure("workforce.specialists", (Dim.REGION, Dim.YEAR))
def specialists(filters: Filters, by: tuple[Dim, ...]) -> Counts:
    year = filters.get(Dim.YEAR)
    years = (
        [year]
        if isinstance(year, int)
        else list(StaffingReport.objects.order_by().values_list("year", flat=True).distinct())
    )
    counts: Counts = defaultdict(float)
    for y in years:
        for region, posts in filled_posts(y).items():
            if Dim.REGION in filters and region != filters[Dim.REGION]:
                continue
            values = {Dim.REGION: region, Dim.YEAR: y}
            counts[tuple(values[d] for d in by)] += posts["filled"]
    return dict(counts)


register(
    Indicator(
        code="workforce.specialists_per_100k",
        names={
            "kk": "100 000 балаға шаққандағы мамандар",
            "ru": "Специалистов на 100 000 детей",
            "en": "Specialists per 100,000 children",
        },
        numerator="workforce.specialists",
        denominator="population.children",
        unit=Unit.PER_100K,
        disaggregations=frozenset({Dim.REGION, Dim.YEAR}),
        source=Source.CASES,
    )
)
