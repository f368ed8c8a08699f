"""The programmes' indicators in the monitoring definition mechanism.

Adal Azamat's reach: pupils reached per 100 children 0-17 (the population denominators).
A pupil is reached in a year if reached in any of its quarters: per school and grade
the year's largest quarterly count is taken, never the sum of the quarters (the same
pupils come back every quarter).
"""

from collections import defaultdict

from django.db.models import Max

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
from qorgau.programmes.models import ActivityReport

_DIMS = (Dim.REGION, Dim.YEAR, Dim.QUARTER)


@measure("programme.pupils_reached", _DIMS)
def pupils_reached(filters: Filters, by: tuple[Dim, ...]) -> Counts:
    rows = ActivityReport.objects.order_by()
    year, quarter = filters.get(Dim.YEAR), filters.get(Dim.QUARTER)
    if isinstance(year, int):
        rows = rows.filter(year=year)
    if isinstance(quarter, int):
        rows = rows.filter(quarter=quarter)
    if Dim.REGION in filters:
        rows = rows.filter(school__place__kato__startswith=str(filters[Dim.REGION]))
    columns = ["school_id", "school__place__kato", "grade", "year"]
    if Dim.QUARTER in by:
        columns.append("quarter")
    counts: Counts = defaultdict(float)
    for row in rows.values(*columns).annotate(n=Max("pupils_reached")):
        values = {
            Dim.REGION: row["school__place__kato"][:2],
            Dim.YEAR: row["year"],
            Dim.QUARTER: row.get("quarter"),
        }
        counts[tuple(values[d] for d in by)] += row["n"]
    return dict(counts)


register(
    Indicator(
        code="programme.adal_azamat_reach",
        names={
            "kk": "«Адал азамат» бағдарламасымен қамтылған оқушылар, 100 балаға",
            "ru": "Охват учащихся программой «Адал азамат» на 100 детей",
            "en": "Pupils reached by Adal Azamat per 100 children",
        },
        numerator="programme.pupils_reached",
        denominator="population.children",
        unit=Unit.PERCENT,
        disaggregations=frozenset({Dim.REGION, Dim.YEAR}),
        source=Source.PROGRAMME,
    )
)
