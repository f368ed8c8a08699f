"""What the monitoring dashboard shows for one actor and filter: all of it suppressed.

A regional analyst's scope is their region: their row of the national suppressed
table (the same pattern the national page publishes, so the two cannot be combined
to uncover a cell) and their region's change and trend.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.utils.translation import gettext as _

from qorgau.monitoring import changes, charts, regions
from qorgau.monitoring.indicators import Dim
from qorgau.monitoring.offences import group_label
from qorgau.monitoring.selectors import OffenceTable, children, offence_table, offence_years

Row = TypeVar("Row", changes.ChangeRow, changes.TrendRow)
HEADLINE_GROUPS = ("especially_grave", "sexual")


@dataclass(frozen=True)
class Filters:
    group: str
    year_from: int
    year_to: int
    region: str  # "" for the whole scope


@dataclass(frozen=True)
class Headline:
    group_label: str
    change: changes.ChangeRow
    trend: changes.TrendRow | None


@dataclass(frozen=True)
class RankedRegion:
    code: str
    name: str
    count: int | None
    rate: float | None
    low: float | None
    high: float | None
    change: changes.ChangeRow


@dataclass(frozen=True)
class Dashboard:
    filters: Filters
    national: bool
    years: list[int]
    headlines: list[Headline]
    group_label: str
    ranked: list[RankedRegion]
    ranking_chart: charts.IntervalChart | None
    trend_rows: list[tuple[int, int | None, float | None, float | None, float | None]]
    trend_chart: charts.TrendChart | None
    tiles: list[charts.Tile]
    table: OffenceTable | None
    table_rows: list[tuple[str, list[object]]]  # (region name, cells ... total)


def _row_for(rows: Sequence[Row], code: str) -> Row:
    return next(r for r in rows if r.region == code)


def build(*, scope: str, filters: Filters) -> Dashboard | None:
    """None when no official statistics are imported yet."""
    years = offence_years()
    if not years:
        return None
    national = scope == ""
    focus = regions.NATIONAL if national and not filters.region else (filters.region or scope)
    headlines = []
    for group in dict.fromkeys([*HEADLINE_GROUPS, filters.group]):
        rows = changes.changes(group, filters.year_from, filters.year_to)
        group_trends = (
            changes.trends(group, filters.year_from, filters.year_to)
            if filters.year_to - filters.year_from >= 2
            else []
        )
        headlines.append(
            Headline(
                group_label(group),
                _row_for(rows, focus),
                _row_for(group_trends, focus) if group_trends else None,
            )
        )
    change_rows = changes.changes(filters.group, filters.year_from, filters.year_to)
    pops = children({Dim.YEAR: filters.year_to}, (Dim.REGION,))
    ranked = []
    for row in change_rows:
        if row.region == regions.NATIONAL or (not national and row.region != scope):
            continue
        count, pop = row.count_to, pops.get((row.region,))
        rate: float | None = None
        low: float | None = None
        high: float | None = None
        if (
            count is not None
            and pop
            and count >= 5
            and regions.existed_in(row.region, row.period_to)
        ):
            low, high = changes.rate_interval(count, pop)
            rate = count / pop * 100_000
        ranked.append(
            RankedRegion(row.region, regions.region_name(row.region), count, rate, low, high, row)
        )
    ranked.sort(key=lambda r: (r.rate is None, -(r.rate or 0)))
    kz = _row_for(change_rows, regions.NATIONAL)
    points = [(r.name, r.rate, r.low, r.high) for r in ranked if r.rate is not None]
    ranking_chart = (
        charts.interval_chart(
            "ranking",
            _("Rate per 100,000 children in %(year)s, with 95%% intervals")
            % {"year": filters.year_to},
            points,  # type: ignore[arg-type]
            kz.rate_to if national else None,
        )
        if points
        else None
    )
    trend_rows = _trend_series(filters, focus)
    shown = [(y, rate, low, high) for y, _c, rate, low, high in trend_rows if rate is not None]
    trend_chart = (
        charts.trend_chart(
            "trend",
            _("%(group)s per 100,000 children, %(place)s")
            % {"group": group_label(filters.group), "place": regions.region_name(focus)},
            shown,  # type: ignore[arg-type]
        )
        if shown
        else None
    )
    names = {code: regions.region_name(code) for code in regions.region_codes()}
    tiles = charts.tile_map({r.code: r.rate for r in ranked}, names)
    table = offence_table(filters.year_to)
    table_rows = [
        (names.get(str(row[0]), _("Total")), row[1:])
        for row in table.rows()
        if national or row[0] == scope
    ]
    return Dashboard(
        filters, national, years, headlines, group_label(filters.group), ranked,
        ranking_chart, trend_rows, trend_chart, tiles, table, table_rows,
    )  # fmt: skip


def _trend_series(
    filters: Filters, focus: str
) -> list[tuple[int, int | None, float | None, float | None, float | None]]:
    """(year, count, rate, low, high) of the focus for each year; suppressed when small."""
    out: list[tuple[int, int | None, float | None, float | None, float | None]] = []
    for year in range(filters.year_from, filters.year_to + 1):
        table = offence_table(year, [filters.group])
        if focus == regions.NATIONAL:
            count = table.table.total
            pop = sum(children({Dim.YEAR: year}, (Dim.REGION,)).values())
        else:
            index = table.regions.index(focus)
            count = table.table.cells[index][0]
            pop = children({Dim.YEAR: year, Dim.REGION: focus}, ()).get((), 0)
        if count is None or not pop or count < 5:
            out.append((year, count, None, None, None))
            continue
        low, high = changes.rate_interval(count, pop)
        out.append((year, count, count / pop * 100_000, low, high))
    return out
