"""The one suppression step every table of counts passes before it leaves the system.

Primary suppression: a cell (or a total) from 1 to threshold-1 is hidden; zero stays,
it identifies nobody. Complementary suppression: the published cells and totals are
linear equations in the hidden ones (each row sums to its total, each column to its
total, the totals to the grand total). An attacker can minimise and maximise each
hidden value subject to them and non-negativity; we solve exactly that linear
programme (scipy's linprog, HiGHS) and, while some hidden value is bounded to an
interval narrower than the threshold, hide one more cell that shares an equation with
it: the smallest one that is at least the threshold, else the largest. See
docs/adr/0013-monitoring.md.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from django.conf import settings


def threshold() -> int:
    return int(getattr(settings, "QORGAU_SUPPRESS_BELOW", 5))


@dataclass(frozen=True)
class Suppressed:
    """A table as it may be published: None where a value is hidden."""

    cells: list[list[int | None]]
    row_totals: list[int | None] | None  # None: the table shows no row totals
    col_totals: list[int | None] | None
    total: int | None
    threshold: int

    @property
    def hidden(self) -> int:
        flat = [v for row in self.cells for v in row]
        flat += [*(self.row_totals or []), *(self.col_totals or []), self.total]
        return sum(v is None for v in flat)


# Entries of a table: ("c", i, j) a cell, ("r", i) a row total, ("k", j) a column
# total, ("t",) the grand total.
Entry = tuple[object, ...]


def _entries_and_equations(
    values: np.ndarray, rows: bool, cols: bool
) -> tuple[dict[Entry, int], list[list[tuple[Entry, int]]]]:
    n, m = values.shape
    entries: dict[Entry, int] = {("c", i, j): int(values[i, j]) for i in range(n) for j in range(m)}
    equations: list[list[tuple[Entry, int]]] = []  # sum(coef * entry) == 0
    if rows:
        for i in range(n):
            entries[("r", i)] = int(values[i].sum())
            equations.append([*((("c", i, j), 1) for j in range(m)), (("r", i), -1)])
    if cols:
        for j in range(m):
            entries[("k", j)] = int(values[:, j].sum())
            equations.append([*((("c", i, j), 1) for i in range(n)), (("k", j), -1)])
    if rows or cols:
        entries[("t",)] = int(values.sum())
        for kind, count, shown in (("r", n, rows), ("k", m, cols)):
            if shown:
                equations.append([*(((kind, x), 1) for x in range(count)), (("t",), -1)])
    return entries, equations


def _system(
    entries: dict[Entry, int], equations: list[list[tuple[Entry, int]]], order: list[Entry]
) -> tuple[np.ndarray, np.ndarray]:
    """The published equations in the hidden entries: A x = b."""
    index = {e: k for k, e in enumerate(order)}
    a_eq, b_eq = [], []
    for equation in equations:
        row = np.zeros(len(order))
        constant = 0.0
        for entry, coef in equation:
            if entry in index:
                row[index[entry]] += coef
            else:
                constant += coef * entries[entry]
        if row.any():
            a_eq.append(row)
            b_eq.append(-constant)
    return np.array(a_eq).reshape(-1, len(order)), np.array(b_eq)


def _bound(a_eq: np.ndarray, b_eq: np.ndarray, k: int, sign: float) -> float:
    """min (sign=1) or max (sign=-1) of hidden entry k subject to A x = b, x >= 0."""
    if not len(a_eq):
        return 0.0 if sign > 0 else float("inf")
    c = np.zeros(a_eq.shape[1])
    c[k] = sign
    from scipy.optimize import linprog  # seconds to load: only when a table needs it

    result = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
    if result.status == 3:  # unbounded
        return float("inf")
    return float(sign * result.fun)


def attack(
    entries: dict[Entry, int],
    equations: list[list[tuple[Entry, int]]],
    hidden: set[Entry],
    limit: float = float("inf"),
    only: set[Entry] | None = None,
) -> dict[Entry, tuple[float, float]]:
    """The narrowest interval an attacker can prove for each hidden entry.

    With ``limit``, an entry whose maximum is already ``limit`` above its true value is
    known to be protected and its minimum is not solved for (it is reported as the value).
    With ``only``, just those entries are bounded.
    """
    order = sorted(hidden, key=str)
    a_eq, b_eq = _system(entries, equations, order)
    bounds: dict[Entry, tuple[float, float]] = {}
    for k, entry in enumerate(order):
        if only is not None and entry not in only:
            continue
        high = _bound(a_eq, b_eq, k, -1.0)
        if high - entries[entry] >= limit:
            bounds[entry] = (float(entries[entry]), high)
        else:
            bounds[entry] = (_bound(a_eq, b_eq, k, 1.0), high)
    return bounds


def _in_equations(equations: list[list[tuple[Entry, int]]], entry: Entry) -> list[set[Entry]]:
    return [{e for e, _ in eq} for eq in equations if any(x == entry for x, _ in eq)]


def _cost(entries: dict[Entry, int], limit: int) -> Callable[[Entry], tuple[bool, bool, int]]:
    """Order of complementary candidates: cells before totals (a total says more);
    among them the smallest that is at least the threshold, else the largest."""

    def cost(e: Entry) -> tuple[bool, bool, int]:
        v = entries[e]
        return (e[0] != "c", v < limit, v if v >= limit else -v)

    return cost


@lru_cache(maxsize=512)
def _suppress(
    values: tuple[tuple[int, ...], ...], rows: bool, cols: bool, limit: int
) -> frozenset[Entry]:
    array = np.array(values, dtype=np.int64).reshape(len(values), -1)
    entries, equations = _entries_and_equations(array, rows, cols)
    cost = _cost(entries, limit)
    hidden = {e for e, v in entries.items() if 0 < v < limit}
    # Cheap first pass: an equation with exactly one hidden entry gives it away at once.
    changed = True
    while changed:
        changed = False
        for eq in equations:
            members = {e for e, _ in eq}
            if len(members & hidden) == 1 and (members - hidden):
                hidden.add(min(members - hidden, key=cost))
                changed = True
    # Then the attacker's linear programme, repaired until it learns nothing narrow.
    # Hiding one more entry only widens what the others may be, so an entry found
    # protected stays protected: each round checks the exposed and the newly hidden.
    to_check = set(hidden)
    while to_check:
        bounds = attack(entries, equations, hidden, limit, only=to_check)
        exposed = sorted(
            (e for e in to_check if bounds[e][1] - bounds[e][0] < limit),
            key=lambda e: (bounds[e][1] - bounds[e][0], str(e)),
        )
        added: set[Entry] = set()
        for entry in exposed:
            near = set().union(*_in_equations(equations, entry))
            if near & added:
                continue  # a cell just hidden beside it may already protect it
            candidates = (near - hidden) or (set(entries) - hidden)
            if not candidates:
                return frozenset(hidden)  # everything hidden: nothing can be worked out
            choice = min(candidates, key=cost)
            hidden.add(choice)
            added.add(choice)
        to_check = set(exposed) | added
    return frozenset(hidden)


def suppress(
    values: Sequence[Sequence[int]], *, row_totals: bool = True, col_totals: bool = True
) -> Suppressed:
    """Hide what could identify a child in a table of counts (rows × columns)."""
    limit = threshold()
    frozen = tuple(tuple(int(v) for v in row) for row in values)
    if not frozen or not frozen[0]:
        return Suppressed([], [] if row_totals else None, [] if col_totals else None, 0, limit)
    hidden = _suppress(frozen, row_totals, col_totals, limit)
    n, m = len(frozen), len(frozen[0])

    def shown(entry: Entry, value: int) -> int | None:
        return None if entry in hidden else value

    cells = [[shown(("c", i, j), frozen[i][j]) for j in range(m)] for i in range(n)]
    rows_out = [shown(("r", i), sum(frozen[i])) for i in range(n)] if row_totals else None
    cols_out = (
        [shown(("k", j), sum(r[j] for r in frozen)) for j in range(m)] if col_totals else None
    )
    grand = sum(map(sum, frozen))
    total = shown(("t",), grand) if (row_totals or col_totals) else None
    return Suppressed(cells, rows_out, cols_out, total, limit)


def suppress_column(
    values: Sequence[int], *, total: bool = True
) -> tuple[list[int | None], int | None]:
    """A one-column list of counts (by concern, by region) and its total."""
    table = suppress([[v] for v in values], row_totals=False, col_totals=total)
    column = [row[0] for row in table.cells]
    return column, (table.total if total else None)


def suppress_count(value: int) -> int | None:
    """One count published alone, with no totals beside it."""
    return None if 0 < value < threshold() else value


def suppress_statistic(value: float | None, n: int) -> float | None:
    """A statistic of individual values (a median, a percentile) published alone: of
    fewer values than the threshold it is one person's figure, and hidden."""
    return value if value is not None and n >= threshold() else None


def suppress_share(part: int, whole: int) -> float | None:
    """A percentage part/whole, shown only when the part and the rest both pass
    suppression: a share of 1 in 3 would tell about one child."""
    (shown, rest), _whole = suppress_column([part, whole - part])
    if shown is None or rest is None or not whole:
        return None
    return part / whole * 100
