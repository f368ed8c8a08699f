"""Indicators are definitions, not code in views.

An ``Indicator`` names a numerator and a denominator by *measure* code; a measure is a
function registered with ``@measure(code)`` that returns counts keyed by the requested
disaggregations. A new indicator is a new ``register(Indicator(...))``; another app adds
its own in its AppConfig.ready() (or at import of a module that ready() imports).

    from qorgau.monitoring.indicators import Dim, Indicator, Source, Unit, register
    register(Indicator(
        code="programme.reached", names={"kk": ..., "ru": ..., "en": ...},
        numerator="programme.children_reached", denominator="population.children",
        unit=Unit.PER_100K, disaggregations=frozenset({Dim.REGION, Dim.YEAR}),
        source=Source.PROGRAMME,
    ))
"""

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.utils.translation import get_language


class Unit(StrEnum):
    COUNT = "count"
    PERCENT = "percent"
    PER_100K = "per_100k"  # per 100,000 children aged 0-17
    HOURS = "hours"  # a duration statistic (a median, a percentile): no denominator


class Source(StrEnum):
    CASES = "cases"  # Qorgau's own reports and cases
    OFFICIAL = "official"  # official statistics imported with `qorgau stats import`
    MICS = "mics"  # surveys imported with `qorgau mics import`
    PROGRAMME = "programme"  # programme monitoring (Qazaqstan Balalary)


class Dim(StrEnum):
    """Disaggregations an indicator may support."""

    REGION = "region"
    DISTRICT = "district"
    YEAR = "year"
    QUARTER = "quarter"
    MONTH = "month"
    SEX = "sex"
    AGE_GROUP = "age_group"
    CONCERN = "concern"
    REPORTER_TYPE = "reporter_type"
    URGENCY = "urgency"
    RISK_LEVEL = "risk_level"
    OFFENCE_GROUP = "offence_group"
    SERVICE = "service"  # a service of the referral taxonomy (referrals.ServiceType code)
    HOUSING_NEED = "housing_need"  # homelessness, unsafe housing, eviction risk


# Filters a measure receives: dimension -> value (a year, a region code, "M", ...).
Filters = Mapping[Dim, object]
# A measure's answer: tuple of the requested dimensions' values -> count.
Counts = dict[tuple[object, ...], float]
MeasureFn = Callable[[Filters, tuple[Dim, ...]], Counts]

PER_100K = 100_000


@dataclass(frozen=True)
class Indicator:
    code: str
    names: Mapping[str, str]  # language code (kk, ru, en) -> name
    numerator: str  # measure code
    denominator: str | None  # measure code; None for a plain count
    unit: Unit
    disaggregations: frozenset[Dim]
    source: Source
    # Extra words for the page: what the numerator counts, where the figures come from.
    description: Mapping[str, str] = field(default_factory=dict)
    # For a statistic of individual values (Unit.HOURS): the measure counting how many
    # values it is computed from, which disclosure control needs (suppress_statistic).
    count_measure: str | None = None

    def __post_init__(self) -> None:
        missing = {"kk", "ru", "en"} - set(self.names)
        if missing:
            raise ValueError(f"indicator {self.code}: no name in {sorted(missing)}")
        plain = self.unit in (Unit.COUNT, Unit.HOURS)
        if plain != (self.denominator is None):
            raise ValueError(f"indicator {self.code}: a count has no denominator, a rate has one")
        if (self.unit == Unit.HOURS) != (self.count_measure is not None):
            raise ValueError(
                f"indicator {self.code}: a duration statistic names the measure of its count"
            )

    @property
    def name(self) -> str:
        return self.names.get((get_language() or "ru")[:2]) or self.names["ru"]

    def value(self, numerator: float, denominator: float | None) -> float | None:
        """The indicator's value from its two counts; None when the denominator is 0."""
        if self.unit in (Unit.COUNT, Unit.HOURS):
            return numerator
        if not denominator:
            return None
        scale = 100 if self.unit == Unit.PERCENT else PER_100K
        return numerator / denominator * scale


@dataclass(frozen=True)
class Measure:
    fn: MeasureFn
    # The dimensions its counts vary by. A filter or grouping by another dimension does
    # not change them: the population is the same for every offence group.
    dims: frozenset[Dim]

    def counts(self, filters: Filters, by: tuple[Dim, ...]) -> Counts:
        scoped = {d: v for d, v in filters.items() if d in self.dims}
        return remembered(self.fn, scoped, by, lambda: self.fn(scoped, by))


# Within `with memoised():` (one page's build) a measure asked twice for the same
# filters and breakdown is read once: a share's denominator, a total beside its rows.
_MEMO: ContextVar[dict[tuple[Any, ...], Any] | None] = ContextVar("measure_memo", default=None)


@contextmanager
def memoised() -> Iterator[None]:
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)


def remembered(
    source: object, filters: Filters, by: tuple[Dim, ...], read: Callable[[], Any]
) -> Any:
    """``read()``, or its answer already read for the same source, filters and ``by``."""
    memo = _MEMO.get()
    if memo is None:
        return read()
    key = (id(source), tuple(sorted((str(d), repr(v)) for d, v in filters.items())), by)
    if key not in memo:
        memo[key] = read()
    return memo[key]


_INDICATORS: dict[str, Indicator] = {}
_MEASURES: dict[str, Measure] = {}


def register(indicator: Indicator) -> Indicator:
    if indicator.code in _INDICATORS and _INDICATORS[indicator.code] != indicator:
        raise ValueError(f"indicator {indicator.code} is defined twice")
    _INDICATORS[indicator.code] = indicator
    return indicator


def measure(code: str, dims: Iterable[Dim]) -> Callable[[MeasureFn], MeasureFn]:
    """Register ``fn(filters, by) -> {key tuple: count}`` as a measure that varies by
    ``dims``; it is only ever called with filters and ``by`` among them."""

    def add(fn: MeasureFn) -> MeasureFn:
        if code in _MEASURES and _MEASURES[code].fn is not fn:
            raise ValueError(f"measure {code} is defined twice")
        _MEASURES[code] = Measure(fn, frozenset(dims))
        return fn

    return add


def indicator(code: str) -> Indicator:
    return _INDICATORS[code]


def measure_fn(code: str) -> Measure:
    return _MEASURES[code]


def indicators(source: Source | None = None) -> list[Indicator]:
    return [i for i in _INDICATORS.values() if source is None or i.source == source]


def compute(
    code: str, filters: Filters, by: tuple[Dim, ...] = ()
) -> dict[tuple[object, ...], tuple[float, float | None, float | None]]:
    """(numerator, denominator, value) per key of ``by``. Counts here are raw: whatever
    leaves the system passes qorgau.monitoring.disclosure first."""
    ind = _INDICATORS[code]
    unsupported = (set(by) | set(filters)) - ind.disaggregations
    if unsupported:
        raise ValueError(f"indicator {code} has no disaggregation by {sorted(unsupported)}")
    num = _MEASURES[ind.numerator].counts(filters, by)
    if ind.denominator is None:
        return {key: (n, None, ind.value(n, None)) for key, n in sorted(num.items(), key=str)}
    den_measure = _MEASURES[ind.denominator]
    # The denominator may vary by fewer dimensions (children by region, not by offence
    # group): its counts are looked up with the numerator key's matching part.
    den_by = tuple(d for d in by if d in den_measure.dims)
    positions = [by.index(d) for d in den_by]
    den = den_measure.counts(filters, den_by)
    keys = set(num) | (set(den) if den_by == by else set())
    out = {}
    for key in sorted(keys, key=str):
        n = num.get(key, 0)
        d = den.get(tuple(key[i] for i in positions))
        out[key] = (n, d, ind.value(n, d))
    return out
