"""Duration statistics: the median and the 90th percentile of "time to ..." in hours.

One place for every duration indicator (time to screening, to a first visit, to a
referral's acceptance). PostgreSQL computes ``percentile_cont`` in the GROUP BY; other
databases (the SQLite demo) read the durations of the group and interpolate the same
way in Python, so both give the same figures. A statistic of fewer durations than the
disclosure threshold is one person's time: ``disclosure.suppress_statistic`` hides it.

``register_durations(code, dims, source)`` registers three measures for a source of
``Durations`` per key: ``<code>_p50``, ``<code>_p90`` (hours) and ``<code>_n`` (how
many durations, which the suppression step needs).
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Aggregate, Count, DurationField, QuerySet

from qorgau.cases.casework_tallies import bucket_hours
from qorgau.monitoring.indicators import Counts, Dim, Filters, measure, remembered

FRACTIONS = {"p50": 0.5, "p90": 0.9}


class Percentile(Aggregate):
    """PostgreSQL's percentile_cont: the interpolated percentile of the ordered values."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression: Any, fraction: float, **extra: Any) -> None:
        super().__init__(expression, fraction=float(fraction), **extra)


def percentile(values: Sequence[float], fraction: float) -> float:
    """percentile_cont in Python, for databases without it: linear interpolation
    between the two ordered values around ``fraction * (n - 1)``."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class Durations:
    n: int  # how many durations
    p50: float  # hours
    p90: float


Key = tuple[object, ...]


def aggregate_by(
    rows: QuerySet[Any], keys: dict[Dim, Any], by: tuple[Dim, ...], **aggregates: Any
) -> list[tuple[Key, dict[str, Any]]]:
    """(key, aggregates) per group of the asked dimensions. No dimension: one total
    (`.values()` of nothing would group by every field), none when no row matches."""
    if not by:
        total = rows.aggregate(**aggregates)
        return [((), total)] if total.get("n") else []
    columns = [f"_{dim}" for dim in by]
    grouped = rows.annotate(**{f"_{d}": keys[d] for d in by}).order_by().values(*columns)
    return [(tuple(r[c] for c in columns), r) for r in grouped.annotate(**aggregates)]


def durations(
    rows: QuerySet[Any],
    keys: dict[Dim, Any],
    by: tuple[Dim, ...],
    pg_duration: Any,
    py_hours: Callable[[dict[str, Any]], float],
    fields: Sequence[str],
) -> dict[Key, Durations]:
    """Durations per key of ``by``: ``pg_duration`` is the interval expression the
    database orders (PostgreSQL), ``py_hours`` the same in hours from the row's
    ``fields`` (elsewhere)."""
    if connection.vendor == "postgresql":
        result = aggregate_by(
            rows,
            keys,
            by,
            n=Count("pk"),
            p50=Percentile(pg_duration, FRACTIONS["p50"], output_field=DurationField()),
            p90=Percentile(pg_duration, FRACTIONS["p90"], output_field=DurationField()),
        )
        return {
            key: Durations(r["n"], r["p50"].total_seconds() / 3600, r["p90"].total_seconds() / 3600)
            for key, r in result
        }
    hours: dict[Key, list[float]] = {}
    columns = [f"_{dim}" for dim in by]
    annotated = rows.annotate(**{f"_{d}": keys[d] for d in by}).order_by()
    for r in annotated.values(*columns, *fields):
        hours.setdefault(tuple(r[c] for c in columns), []).append(py_hours(r))
    return {
        key: Durations(len(v), percentile(v, FRACTIONS["p50"]), percentile(v, FRACTIONS["p90"]))
        for key, v in hours.items()
    }


def from_histogram(counts: Mapping[int, int]) -> Durations | None:
    """n, p50 and p90 from a histogram (bucket -> how many; `bucket_hours` gives the
    edges): the ranks percentile_cont interpolates between are found in their buckets
    and spread evenly from the bucket's low edge (the k-th of c at k / c of the width,
    so a lone value on an edge is exact). Each placed value is in the bucket of the
    true one, so the result is within the wider of the two buckets' widths of
    percentile_cont on the raw values."""
    ordered = sorted((b, n) for b, n in counts.items() if n > 0)
    total = sum(n for _b, n in ordered)
    if not total:
        return None

    def value(rank: int) -> float:
        before = 0
        for bucket, n in ordered:
            if rank < before + n:
                low, high = bucket_hours(bucket)
                return low + (rank - before) / n * (high - low)
            before += n
        raise AssertionError("rank beyond the histogram")

    def at(fraction: float) -> float:
        position = fraction * (total - 1)
        low = int(position)
        high = min(low + 1, total - 1)
        return value(low) + (value(high) - value(low)) * (position - low)

    return Durations(total, at(FRACTIONS["p50"]), at(FRACTIONS["p90"]))


Source = Callable[[Filters, tuple[Dim, ...]], dict[Key, Durations]]


def register_durations(code: str, dims: Sequence[Dim], source: Source) -> None:
    """The measures ``<code>_p50``, ``<code>_p90`` and ``<code>_n`` of one source."""

    def statistic(attr: str) -> Callable[[Filters, tuple[Dim, ...]], Counts]:
        def fn(filters: Filters, by: tuple[Dim, ...] = ()) -> Counts:
            # p50, p90 and n are one query of the source (once per page: memoised()).
            found = remembered(source, filters, by, lambda: source(filters, by))
            return {key: float(getattr(d, attr)) for key, d in found.items()}

        return fn

    for attr in ("p50", "p90", "n"):
        measure(f"{code}_{attr}", dims)(statistic(attr))
