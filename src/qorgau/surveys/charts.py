"""Server-rendered SVG bar charts with confidence-interval whiskers.

Horizontal positions are percentages of the SVG's width, so the chart fills any
screen without scaling its text; vertical positions are pixels. All numbers are
formatted here, never by the template, whose localisation would turn "12.5"
into "12,5" inside an SVG attribute.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from qorgau.surveys.models import SurveyEstimate

ROW = 46  # pixels per category: a label line, then the bar
AXIS = 26  # pixels above the first row for the tick labels
BAR = 14
# (largest value shown, tick step): the smallest that holds every interval is used.
SCALES = ((5, 1), (10, 2), (20, 5), (25, 5), (40, 10), (50, 10), (80, 20), (100, 20))
PERCENT_MIN, PERCENT_MAX = 0.0, 100.0


@dataclass(frozen=True)
class Tick:
    x: str
    label: str
    anchor: str


@dataclass(frozen=True)
class Bar:
    label: str
    value: str  # the estimate as the tables print it, or "*"
    hint: str  # the bar's tooltip: estimate and interval
    y_text: str
    y_bar: str
    y_mid: str
    y_cap_top: str
    y_cap_bottom: str
    width: str | None  # None: suppressed, no bar
    ci_low: str
    ci_high: str
    interval: bool  # False: zero standard error, no whisker (as MICS tables print it)
    few: bool  # 25-49 unweighted cases: drawn lighter, printed in parentheses


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    desc: str
    height: str
    axis_y: str
    ticks: list[Tick]
    bars: list[Bar]


def shown_interval(estimate: SurveyEstimate) -> tuple[float, float] | None:
    """The interval as tables and charts show it: estimate ± 2 SE cut to 0-100, since a
    percentage cannot leave it; None when the standard error is zero, where MICS shows
    the estimate alone (a 0.0-0.0 "interval" would claim a certainty the design lacks)."""
    if not estimate.se or estimate.ci_low is None or estimate.ci_high is None:
        return None
    return max(estimate.ci_low, PERCENT_MIN), min(estimate.ci_high, PERCENT_MAX)


def _pct(value: float, top: float) -> str:
    return f"{max(0.0, min(value, top)) / top * 100:.2f}%"


def _scale(estimates: Sequence[SurveyEstimate]) -> tuple[int, int]:
    shown = [
        (interval[1] if (interval := shown_interval(e)) else e.estimate) or 0.0
        for e in estimates
        if e.flag != "*"
    ]
    largest = max([0.0, *shown])
    return next(((top, step) for top, step in SCALES if largest <= top), SCALES[-1])


def interval_chart(
    estimates: Sequence[SurveyEstimate], labels: Sequence[str], *, title: str, chart_id: str
) -> Chart:
    top, step = _scale(estimates)
    bars = []
    for n, (estimate, label) in enumerate(zip(estimates, labels, strict=True)):
        y = AXIS + n * ROW
        point = estimate.estimate
        interval = shown_interval(estimate)
        low, high = interval if interval is not None else (point, point)
        if estimate.flag == "*" or point is None or low is None or high is None:
            value, width = "*", None
            hint = _("%(category)s: fewer than 25 cases, not shown") % {"category": label}
        else:
            value, width = number_format(point, 1), _pct(point, top)
            if estimate.flag == "()":
                value = f"({value})"
            if interval is None:
                hint = _("%(category)s: %(estimate)s%%, no interval (standard error zero)") % {
                    "category": label,
                    "estimate": value,
                }
            else:
                hint = _("%(category)s: %(estimate)s%%, interval %(low)s to %(high)s") % {
                    "category": label,
                    "estimate": value,
                    "low": number_format(low, 1),
                    "high": number_format(high, 1),
                }
        bars.append(
            Bar(
                label=label,
                value=value,
                hint=hint,
                y_text=str(y + 15),
                y_bar=str(y + 22),
                y_mid=str(y + 22 + BAR // 2),
                y_cap_top=str(y + 22 + BAR // 2 - 6),
                y_cap_bottom=str(y + 22 + BAR // 2 + 6),
                width=width,
                ci_low=_pct(low or 0.0, top),
                ci_high=_pct(high or 0.0, top),
                interval=interval is not None,
                few=estimate.flag == "()",
            )
        )
    ticks = []
    for tick in range(0, top + 1, step):
        anchor = "start" if tick == 0 else "end" if tick == top else "middle"
        ticks.append(Tick(x=_pct(tick, top), label=f"{tick}%", anchor=anchor))
    desc = _(
        "Horizontal bars: the estimate in percent for each category, from 0 to %(top)s%%; "
        "a line across each bar shows the interval estimate ± 2 standard errors. "
        "Categories with fewer than 25 cases have no bar. The table below gives the values."
    ) % {"top": top}
    desc += " " + _(
        "Intervals are cut at 0 and 100 per cent; a bar without one has a standard error of zero."
    )
    return Chart(
        id=chart_id,
        title=title,
        desc=desc,
        height=str(AXIS + len(bars) * ROW + 4),
        axis_y=str(AXIS - 8),
        ticks=ticks,
        bars=bars,
    )
