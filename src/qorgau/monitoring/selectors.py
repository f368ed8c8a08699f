"""Reads: population denominators and offence counts, summed by the asked dimensions."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet, Sum

from qorgau.monitoring.disclosure import Suppressed, suppress
from qorgau.monitoring.indicators import Counts, Dim, Filters, measure
from qorgau.monitoring.models import OffenceCount, PopulationCount, StatsImport
from qorgau.monitoring.offences import group_codes
from qorgau.monitoring.regions import region_codes

_POPULATION_FIELDS = {
    Dim.YEAR: "year",
    Dim.REGION: "region",
    Dim.SEX: "sex",
    Dim.AGE_GROUP: "age_group",
}
_OFFENCE_FIELDS = {Dim.YEAR: "year", Dim.REGION: "region", Dim.OFFENCE_GROUP: "group"}


def _lookup(fields: dict[Dim, str], filters: Filters) -> dict[str, object]:
    lookup: dict[str, object] = {}
    for dim, value in filters.items():
        if dim not in fields:
            raise ValueError(f"no filter by {dim}")
        many = isinstance(value, list | tuple | set | frozenset)
        lookup[f"{fields[dim]}__in" if many else fields[dim]] = value
    return lookup


def _sum(
    model: type[PopulationCount | OffenceCount],
    fields: dict[Dim, str],
    value: str,
    filters: Filters,
    by: Iterable[Dim],
) -> Counts:
    by = tuple(by)
    columns = [fields[d] for d in by]
    matching = model._default_manager.filter(**_lookup(fields, filters)).order_by()
    if not columns:  # .values() with no fields would group by every field
        total = matching.aggregate(n=Sum(value))["n"]
        return {(): total} if total is not None else {}
    rows = matching.values(*columns).annotate(n=Sum(value))
    return {tuple(row[c] for c in columns): row["n"] or 0 for row in rows}


@measure("population.children", _POPULATION_FIELDS)
def children(filters: Filters, by: tuple[Dim, ...] = ()) -> Counts:
    """Children 0-17 (or the asked sex/age group) by the asked dimensions.

    Filters: YEAR (int or list), REGION (code or list), SEX ("M"/"F"), AGE_GROUP.
    Before 2022 Abai, Jetisu and Ulytau have no rows: their children are in 63, 19, 35.
    """
    return _sum(PopulationCount, _POPULATION_FIELDS, "children", filters, by)


@measure("offences.count", _OFFENCE_FIELDS)
def offences(filters: Filters, by: tuple[Dim, ...] = ()) -> Counts:
    """Registered offences against minors; filter OFFENCE_GROUP to one group or a list."""
    return _sum(OffenceCount, _OFFENCE_FIELDS, "count", filters, by)


def population_years() -> list[int]:
    return list(PopulationCount.objects.order_by("year").values_list("year", flat=True).distinct())


def offence_years() -> list[int]:
    return list(OffenceCount.objects.order_by("year").values_list("year", flat=True).distinct())


def imports(kind: str | None = None) -> QuerySet[StatsImport]:
    rows = StatsImport.objects.defer("content").select_related("imported_by")
    return rows.filter(kind=kind) if kind else rows


@dataclass(frozen=True)
class OffenceTable:
    """Offences by region (rows) and group (columns) in one year, as it may be published."""

    year: int
    regions: list[str]
    groups: list[str]
    table: Suppressed

    def rows(self) -> list[list[object]]:
        """region, one cell per group, total; then the total row. None: suppressed."""
        body: list[list[object]] = [
            [code, *cells, self.table.row_totals[i] if self.table.row_totals else None]
            for i, (code, cells) in enumerate(zip(self.regions, self.table.cells, strict=True))
        ]
        return [*body, ["total", *(self.table.col_totals or []), self.table.total]]


def offence_table(year: int, groups: list[str] | None = None) -> OffenceTable:
    groups = groups or group_codes()
    codes = region_codes()
    counts = offences({Dim.YEAR: year, Dim.OFFENCE_GROUP: groups}, (Dim.REGION, Dim.OFFENCE_GROUP))
    values = [[int(counts.get((code, g), 0)) for g in groups] for code in codes]
    return OffenceTable(year, codes, groups, suppress(values))
