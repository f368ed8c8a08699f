"""Honest change statements: rate ratios with exact intervals, quasi-Poisson trends.

Methods (docs/adr/0013-monitoring.md):
- Change between two years: the rate ratio r2/r1 per 100,000 children, with the exact
  conditional interval of R's ``poisson.test``: given n = c1 + c2, c2 is binomial with
  p = RR·P2 / (P1 + RR·P2); the Clopper-Pearson interval for p maps to RR.
- Trend over years: log-linear Poisson regression of the yearly counts with log
  population as offset, overdispersion from Pearson χ²/df (quasi-Poisson), 95% Wald
  interval with the normal quantile.
The sentence claims a change only when its interval excludes "no change".
"""

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from qorgau.monitoring import regions
from qorgau.monitoring.disclosure import suppress_column, threshold
from qorgau.monitoring.indicators import PER_100K, Dim
from qorgau.monitoring.selectors import children, offences

LEVEL = 0.95
# The exact intervals and trend fits are pure functions of the counts and populations:
# each server process computes a figure once (about 0.5 s of scipy and statsmodels for
# a dashboard's 45 intervals), whatever the language or the user asking.
_REMEMBERED = 4096


@dataclass(frozen=True)
class RateRatio:
    ratio: float
    low: float
    high: float


@functools.lru_cache(maxsize=_REMEMBERED)
def rate_ratio(count_from: int, pop_from: float, count_to: int, pop_to: float) -> RateRatio:
    """(count_to/pop_to) / (count_from/pop_from) with its exact conditional interval."""
    n = count_from + count_to
    scale = pop_from / pop_to
    ratio = (count_to / pop_to) / (count_from / pop_from) if count_from else math.inf
    from scipy.stats import binomtest  # loaded when used, as in poisson_trend

    ci = binomtest(count_to, n).proportion_ci(confidence_level=LEVEL, method="exact")
    low = ci.low / (1 - ci.low) * scale
    high = ci.high / (1 - ci.high) * scale if ci.high < 1 else math.inf
    return RateRatio(ratio, low, high)


@dataclass(frozen=True)
class Trend:
    slope: float  # log rate per year
    low: float
    high: float
    dispersion: float


def poisson_trend(years: Sequence[int], counts: Sequence[int], pops: Sequence[float]) -> Trend:
    return _poisson_trend(tuple(years), tuple(counts), tuple(pops))


@functools.lru_cache(maxsize=_REMEMBERED)
def _poisson_trend(
    years: tuple[int, ...], counts: tuple[int, ...], pops: tuple[float, ...]
) -> Trend:
    # Imported here: statsmodels and scipy take seconds to load, and every page of the
    # app would pay that at start-up for the few that draw a trend.
    import statsmodels.api as sm
    from scipy.stats import norm

    x = sm.add_constant(np.asarray(years, dtype=float) - years[0])
    model = sm.GLM(
        np.asarray(counts, dtype=float),
        x,
        family=sm.families.Poisson(),
        offset=np.log(np.asarray(pops, dtype=float)),
    )
    fit = model.fit(scale="X2")
    slope, se = float(fit.params[1]), float(fit.bse[1])
    z = norm.ppf(1 - (1 - LEVEL) / 2)
    return Trend(slope, slope - z * se, slope + z * se, float(fit.scale))


def _pct(value: float) -> str:
    """12.5, 30, 7.2: one decimal below 10, whole numbers above, in the user's format."""
    places = 1 if abs(value) < 10 else 0
    rounded = round(value, places)
    return number_format(rounded, decimal_pos=places if rounded != int(rounded) else 0)


def _signed(value: float) -> str:
    if round(value, 1) == 0:
        return "0%"
    sign = "+" if value > 0 else "−"
    return f"{sign}{_pct(abs(value))}%"


def change_statement(rr: RateRatio) -> str:
    change = (rr.ratio - 1) * 100
    if rr.high < 1:
        return _("down %(pct)s%% (95%% CI %(low)s%% to %(high)s%%)") % {
            "pct": _pct(-change),
            "low": _pct((1 - rr.high) * 100),
            "high": _pct((1 - rr.low) * 100),
        }
    if rr.low > 1:
        return _("up %(pct)s%% (95%% CI %(low)s%% to %(high)s%%)") % {
            "pct": _pct(change),
            "low": _pct((rr.low - 1) * 100),
            "high": _pct((rr.high - 1) * 100) if math.isfinite(rr.high) else "∞",
        }
    return _("no clear change (95%% CI %(low)s to %(high)s)") % {
        "low": _signed((rr.low - 1) * 100),
        "high": _signed((rr.high - 1) * 100) if math.isfinite(rr.high) else "+∞",
    }


def trend_statement(trend: Trend) -> str:
    pct = (math.exp(trend.slope) - 1) * 100
    low, high = (math.exp(trend.low) - 1) * 100, (math.exp(trend.high) - 1) * 100
    if high < 0:
        return _("a steady decline of %(pct)s%% a year (95%% CI %(low)s%% to %(high)s%%)") % {
            "pct": _pct(-pct),
            "low": _pct(-high),
            "high": _pct(-low),
        }
    if low > 0:
        return _("a steady rise of %(pct)s%% a year (95%% CI %(low)s%% to %(high)s%%)") % {
            "pct": _pct(pct),
            "low": _pct(low),
            "high": _pct(high),
        }
    return _("no clear trend (95%% CI %(low)s to %(high)s a year)") % {
        "low": _signed(low),
        "high": _signed(high),
    }


def too_few() -> str:
    return _("too few cases to say")


def not_comparable() -> str:
    return _("not comparable: the region's borders changed in 2022")


def hidden_for_disclosure() -> str:
    return _("not shown: it would let hidden small counts be worked out")


CHANGE_COLUMNS = (
    "group", "region", "period_from", "period_to", "count_from", "count_to", "rate_from",
    "rate_to", "rate_ratio", "ci_low", "ci_high", "change_pct", "statement",
)  # fmt: skip
TREND_COLUMNS = (
    "group", "region", "period_from", "period_to", "annual_change_pct", "ci_low_pct",
    "ci_high_pct", "dispersion", "statement",
)  # fmt: skip


@dataclass(frozen=True)
class ChangeRow:
    group: str
    region: str  # a region code, or "KZ" for the country
    period_from: int
    period_to: int
    count_from: int | None  # None: suppressed
    count_to: int | None
    rate_from: float | None
    rate_to: float | None
    rate_ratio: float | None
    ci_low: float | None
    ci_high: float | None
    change_pct: float | None
    statement: str

    @property
    def clear(self) -> bool:
        """Whether the interval excludes no change."""
        return (
            self.ci_low is not None
            and self.ci_high is not None
            and (self.ci_high < 1 or self.ci_low > 1)
        )

    def values(self) -> list[object]:
        return [getattr(self, c) for c in CHANGE_COLUMNS]


@dataclass(frozen=True)
class TrendRow:
    group: str
    region: str
    period_from: int
    period_to: int
    annual_change_pct: float | None
    ci_low_pct: float | None
    ci_high_pct: float | None
    dispersion: float | None
    statement: str

    def values(self) -> list[object]:
        return [getattr(self, c) for c in TREND_COLUMNS]


def _by_region_year(group: str, years: list[int]) -> tuple[dict, dict]:
    counts = offences({Dim.OFFENCE_GROUP: group, Dim.YEAR: years}, (Dim.REGION, Dim.YEAR))
    pops = children({Dim.YEAR: years}, (Dim.REGION, Dim.YEAR))
    return counts, pops


def _national(table: dict, year: int) -> float:
    return sum(v for (_, y), v in table.items() if y == year)


def changes(group: str, year_from: int, year_to: int) -> list[ChangeRow]:
    """One row per region and one for the country (KZ), all through disclosure control."""
    counts, pops = _by_region_year(group, [year_from, year_to])
    codes = regions.region_codes()
    raw_from = [int(counts.get((c, year_from), 0)) for c in codes]
    raw_to = [int(counts.get((c, year_to), 0)) for c in codes]
    shown_from, total_from = suppress_column(raw_from)
    shown_to, total_to = suppress_column(raw_to)
    rows = []
    limit = threshold()
    for code, c1, c2, s1, s2 in [
        *zip(codes, raw_from, raw_to, shown_from, shown_to, strict=True),
        (regions.NATIONAL, sum(raw_from), sum(raw_to), total_from, total_to),
    ]:
        if code == regions.NATIONAL:
            p1, p2 = _national(pops, year_from), _national(pops, year_to)
        else:
            p1, p2 = pops.get((code, year_from), 0), pops.get((code, year_to), 0)
        blank = ChangeRow(
            group, code, year_from, year_to, s1, s2, None, None, None, None, None, None, ""
        )
        if not regions.comparable(code, year_from, year_to) or not (p1 and p2):
            rows.append(replace(blank, statement=not_comparable()))
            continue
        if s1 is None or s2 is None:
            few = 0 < c1 < limit or 0 < c2 < limit
            rows.append(replace(blank, statement=too_few() if few else hidden_for_disclosure()))
            continue
        if c1 < limit or c2 < limit:  # zero in a year: no ratio to speak of
            rows.append(replace(blank, statement=too_few()))
            continue
        rr = rate_ratio(c1, p1, c2, p2)
        rows.append(
            ChangeRow(
                group,
                code,
                year_from,
                year_to,
                c1,
                c2,
                c1 / p1 * PER_100K,
                c2 / p2 * PER_100K,
                rr.ratio,
                rr.low,
                rr.high,
                (rr.ratio - 1) * 100,
                change_statement(rr),
            )
        )
    return rows


def trends(group: str, year_from: int, year_to: int) -> list[TrendRow]:
    years = list(range(year_from, year_to + 1))
    counts, pops = _by_region_year(group, years)
    codes = regions.region_codes()
    limit = threshold()
    rows = []
    for code in [*codes, regions.NATIONAL]:
        if code == regions.NATIONAL:
            cs = [_national(counts, y) for y in years]
            ps = [_national(pops, y) for y in years]
        else:
            cs = [counts.get((code, y), 0) for y in years]
            ps = [pops.get((code, y), 0) for y in years]
        blank = TrendRow(group, code, year_from, year_to, None, None, None, None, "")
        if not regions.comparable(code, year_from, year_to) or not all(ps):
            rows.append(replace(blank, statement=not_comparable()))
            continue
        if len(years) < 3 or any(c < limit for c in cs):
            rows.append(replace(blank, statement=too_few()))
            continue
        trend = poisson_trend(years, [int(c) for c in cs], ps)
        rows.append(
            TrendRow(
                group,
                code,
                year_from,
                year_to,
                (math.exp(trend.slope) - 1) * 100,
                (math.exp(trend.low) - 1) * 100,
                (math.exp(trend.high) - 1) * 100,
                trend.dispersion,
                trend_statement(trend),
            )
        )
    return rows


@functools.lru_cache(maxsize=_REMEMBERED)
def rate_interval(count: int, population: float) -> tuple[float, float]:
    """Exact (Garwood) 95% interval of a rate per 100,000 children from a Poisson count."""
    from scipy.stats import chi2  # loaded when used, as in poisson_trend

    a = (1 - LEVEL) / 2
    low = chi2.ppf(a, 2 * count) / 2 if count else 0.0
    high = chi2.ppf(1 - a, 2 * count + 2) / 2
    return low / population * PER_100K, high / population * PER_100K
