"""Server-rendered SVG charts: intervals by region, a yearly trend, a tile map.

Geometry is computed here, numbers formatted here (the template's localisation
would turn 12.5 into "12,5" inside an SVG attribute); templates only place it.
Every chart is shown with its data table beside it. Why SVG from the server and not
a JavaScript library: docs/adr/0013-monitoring.md.
"""

import math
from dataclasses import dataclass

from django.utils.formats import number_format

# The tile grid of kazakhstan.md: (column from west, row from north) per region.
TILES = {
    "39": (2, 0), "59": (3, 0), "55": (4, 0),
    "27": (0, 1), "15": (1, 1), "11": (3, 1), "71": (4, 1), "63": (5, 1),
    "23": (0, 2), "62": (2, 2), "35": (3, 2), "10": (4, 2),
    "47": (0, 3), "43": (1, 3), "61": (2, 3), "31": (3, 3), "19": (4, 3), "33": (5, 3),
    "79": (2, 4), "75": (4, 4),
}  # fmt: skip
SHADES = ("#e8f0f8", "#bcd3ea", "#86afd8", "#4f86c0", "#1f5b99")


def num(value: float, places: int = 1) -> str:
    return number_format(round(value, places), decimal_pos=places)


@dataclass(frozen=True)
class IntervalRow:
    label: str
    value: str
    low: str
    high: str
    x: str  # percent of the plot width
    x_low: str
    x_high: str
    y: int


@dataclass(frozen=True)
class IntervalChart:
    id: str
    title: str
    rows: list[IntervalRow]
    ticks: list[tuple[str, str]]  # (x, label)
    height: int
    reference_x: str | None  # a vertical line (the national rate, or no change)


def interval_chart(
    id: str, title: str, points: list[tuple[str, float, float, float]], reference: float | None
) -> IntervalChart:
    """points: (label, value, low, high), drawn as a dot with its interval."""
    finite = [v for _, value, low, high in points for v in (value, low, high) if math.isfinite(v)]
    top = max([*finite, reference or 0, 1.0])
    bottom = min([*finite, reference or 0, 0.0])
    span = top - bottom or 1.0

    def x(value: float) -> str:
        value = min(max(value, bottom), top)
        return f"{(value - bottom) / span * 100:.2f}%"

    rows = [
        IntervalRow(label, num(value), num(low), num(high), x(value), x(low), x(high), 34 + 26 * i)
        for i, (label, value, low, high) in enumerate(points)
    ]
    step = _step(span)
    first = math.ceil(bottom / step) * step
    ticks = []
    value = first
    while value <= top + 1e-9:
        ticks.append((x(value), num(value, 0)))
        value += step
    return IntervalChart(
        id, title, rows, ticks, 40 + 26 * len(points),
        x(reference) if reference is not None else None,
    )  # fmt: skip


def _step(span: float) -> float:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000):
        if span / step <= 8:
            return step
    return 10 ** math.ceil(math.log10(span / 8))


@dataclass(frozen=True)
class TrendPoint:
    year: int
    value: str
    low: str
    high: str
    x: str
    y: str
    y_low: str
    y_high: str


@dataclass(frozen=True)
class TrendChart:
    id: str
    title: str
    points: list[TrendPoint]
    path: str  # "x1,y1 x2,y2 ..." in the SVG's 0-1000 × 0-240 viewBox
    ticks: list[tuple[str, str]]  # (y, label)


def trend_chart(id: str, title: str, points: list[tuple[int, float, float, float]]) -> TrendChart:
    """points: (year, rate, low, high) for the shown years, in order."""
    top = max([h for *_, h in points] + [1.0]) * 1.1
    width, height, left, bottom = 1000, 240, 60, 30

    def xy(i: int, value: float) -> tuple[float, float]:
        x = left + (width - left - 20) * (i / max(len(points) - 1, 1))
        y = (height - bottom) - (height - bottom - 10) * value / top
        return x, y

    shown = []
    for i, (year, value, low, high) in enumerate(points):
        x, y = xy(i, value)
        shown.append(
            TrendPoint(
                year,
                num(value),
                num(low),
                num(high),
                f"{x:.1f}",
                f"{y:.1f}",
                f"{xy(i, low)[1]:.1f}",
                f"{xy(i, high)[1]:.1f}",
            )
        )
    step = _step(top)
    ticks = [(f"{xy(0, v * step)[1]:.1f}", num(v * step, 0)) for v in range(int(top // step) + 1)]
    path = " ".join(f"{p.x},{p.y}" for p in shown)
    return TrendChart(id, title, shown, path, ticks)


@dataclass(frozen=True)
class Tile:
    code: str
    name: str
    x: int
    y: int
    fill: str
    value: str  # "" when not shown
    dark: bool  # white text on the darker shades


def tile_map(values: dict[str, float | None], names: dict[str, str]) -> list[Tile]:
    """One square per region, shaded by its value in fifths of the range; none: white."""
    known = [v for v in values.values() if v is not None]
    low, high = (min(known), max(known)) if known else (0.0, 1.0)
    tiles = []
    for code, (col, row) in TILES.items():
        value = values.get(code)
        if value is None:
            fill, shade = "#ffffff", 0
        else:
            shade = min(int((value - low) / ((high - low) or 1) * len(SHADES)), len(SHADES) - 1)
            fill = SHADES[shade]
        tiles.append(
            Tile(
                code,
                names.get(code, code),
                col * 100,
                row * 100,
                fill,
                num(value) if value is not None else "",
                shade >= 3,
            )
        )
    return tiles
