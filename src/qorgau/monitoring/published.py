"""Indicator values as they may leave the system, each through the one suppression step
(qorgau.monitoring.disclosure), chosen by the indicator's unit:

- a count (Unit.COUNT): by one dimension a column with its total (suppress_column), by
  two a table with row and column totals (suppress);
- a share (Unit.PERCENT): shown when its numerator and the rest of its denominator both
  pass (suppress_share);
- a duration statistic (Unit.HOURS): shown when computed from at least the threshold
  (suppress_statistic, with the indicator's count_measure).

Pages and exports take their figures from here, never from `compute` directly.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from qorgau.monitoring.disclosure import (
    Suppressed,
    suppress,
    suppress_column,
    suppress_share,
    suppress_statistic,
)
from qorgau.monitoring.indicators import Dim, Filters, Unit, compute, indicator, measure_fn


@dataclass(frozen=True)
class Column:
    """One indicator by one dimension: a value per key (None: hidden) and the total."""

    code: str
    unit: Unit
    values: dict[object, float | None]
    total: float | None


def column(code: str, filters: Filters, by: Dim, keys: Sequence[object]) -> Column:
    """The indicator's value for each of ``keys`` of ``by`` and over all of them."""
    ind = indicator(code)
    per = compute(code, filters, (by,))
    if ind.unit == Unit.COUNT:
        cells, total = suppress_column([int(per.get((k,), (0, None, 0))[0]) for k in keys])
        return Column(code, ind.unit, dict(zip(keys, cells, strict=True)), total)
    overall = compute(code, filters, ()).get(())
    if ind.unit == Unit.PERCENT:

        def share(row: tuple[float, float | None, float | None] | None) -> float | None:
            if row is None or not row[1]:
                return None
            return suppress_share(int(row[0]), int(row[1]))

        values = {k: share(per.get((k,))) for k in keys}
        return Column(code, ind.unit, values, share(overall))
    if ind.unit == Unit.HOURS:
        assert ind.count_measure is not None  # noqa: S101  (Indicator checks it)
        counts = measure_fn(ind.count_measure)
        n_per = counts.counts(filters, (by,))
        n_all = counts.counts(filters, ()).get((), 0)

        def statistic(
            row: tuple[float, float | None, float | None] | None, n: float
        ) -> float | None:
            return suppress_statistic(row[0] if row is not None else None, int(n))

        values = {k: statistic(per.get((k,)), n_per.get((k,), 0)) for k in keys}
        return Column(code, ind.unit, values, statistic(overall, n_all))
    raise ValueError(f"indicator {code}: no publication rule for unit {ind.unit}")


@dataclass(frozen=True)
class Table:
    """A count indicator by two dimensions, suppressed with its totals."""

    code: str
    rows: list[object]
    columns: list[object]
    table: Suppressed


def table(
    code: str,
    filters: Filters,
    rows: tuple[Dim, Sequence[object]],
    columns: tuple[Dim, Sequence[object]],
) -> Table:
    ind = indicator(code)
    if ind.unit != Unit.COUNT:
        raise ValueError(f"indicator {code}: only counts are published as a table")
    (row_dim, row_keys), (col_dim, col_keys) = rows, columns
    counts = compute(code, filters, (row_dim, col_dim))
    values = [[int(counts.get((r, c), (0,))[0]) for c in col_keys] for r in row_keys]
    return Table(code, list(row_keys), list(col_keys), suppress(values))
