"""Suppression: an attacker who solves the linear programme learns no hidden cell.

The attacker here is written independently of qorgau.monitoring.disclosure: one
variable per hidden cell or total, every published cell and total an equation.
"""

import numpy as np
import pytest
from scipy.optimize import linprog

from qorgau.monitoring.disclosure import Suppressed, suppress, suppress_column

LIMIT = 5


def attacker_bounds(published: Suppressed) -> list[tuple[float, float]]:
    """Min and max of every hidden value given what is published."""
    n, m = len(published.cells), len(published.cells[0])
    unknown: list[tuple] = []

    def var(entry, value):
        if value is None:
            unknown.append(entry)
            return ("x", len(unknown) - 1)
        return ("k", value)

    cells = [[var(("c", i, j), published.cells[i][j]) for j in range(m)] for i in range(n)]
    rows = [var(("r", i), v) for i, v in enumerate(published.row_totals or [])]
    cols = [var(("k", j), v) for j, v in enumerate(published.col_totals or [])]
    total = var(("t",), published.total)
    equations = []
    if published.row_totals is not None:
        equations += [([*cells[i]], rows[i]) for i in range(n)]
        equations.append((rows, total))
    if published.col_totals is not None:
        equations += [([cells[i][j] for i in range(n)], cols[j]) for j in range(m)]
        equations.append((cols, total))
    a_eq, b_eq = [], []
    for terms, result in equations:
        row, rhs = np.zeros(len(unknown)), 0.0
        for kind, value in terms:
            if kind == "x":
                row[value] += 1
            else:
                rhs -= value
        if result[0] == "x":
            row[result[1]] -= 1
        else:
            rhs += result[1]
        a_eq.append(row)
        b_eq.append(rhs)
    bounds = []
    for k in range(len(unknown)):
        c = np.zeros(len(unknown))
        c[k] = 1
        low = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=(0, None))
        high = linprog(-c, A_eq=a_eq, b_eq=b_eq, bounds=(0, None))
        bounds.append((low.fun, np.inf if high.status == 3 else -high.fun))
    return bounds


def primary_only(values) -> Suppressed:
    hide = lambda v: None if 0 < v < LIMIT else v  # noqa: E731
    array = np.array(values)
    return Suppressed(
        cells=[[hide(v) for v in row] for row in values],
        row_totals=[int(v) for v in array.sum(axis=1)],
        col_totals=[int(v) for v in array.sum(axis=0)],
        total=int(array.sum()),
        threshold=LIMIT,
    )


TABLE = [[12, 3, 40, 7], [25, 18, 0, 9], [31, 2, 14, 11], [8, 9, 10, 60]]


def test_primary_suppression_alone_gives_hidden_cells_away():
    bounds = attacker_bounds(primary_only(TABLE))
    assert any(high - low < LIMIT for low, high in bounds)


def test_after_complementary_suppression_no_hidden_cell_is_bounded_narrower_than_the_threshold():
    published = suppress(TABLE)
    assert published.cells[0][1] is None and published.cells[2][1] is None
    for low, high in attacker_bounds(published):
        assert high - low >= LIMIT - 1e-9


@pytest.mark.parametrize("seed", range(12))
def test_random_region_by_group_tables_resist_the_attack(seed):
    rng = np.random.default_rng(seed)
    # Mostly small counts, as offences by region and group are: many cells below 5.
    values = rng.negative_binomial(1, 0.12, size=(20, 8)).tolist()
    published = suppress(values)
    for low, high in attacker_bounds(published):
        assert high - low >= LIMIT - 1e-9
    small = sum(0 < v < LIMIT for row in values for v in row)
    # Complementary cells are few: not the whole table.
    assert published.hidden <= 2 * small + 12


def test_a_small_row_total_is_hidden_and_cannot_be_worked_out_from_the_others():
    values = [[1, 2, 0], [20, 30, 40], [15, 25, 35]]
    published = suppress(values)
    assert published.row_totals is not None and published.row_totals[0] is None
    for low, high in attacker_bounds(published):
        assert high - low >= LIMIT - 1e-9


def test_zero_is_published_and_large_cells_stay():
    column, total = suppress_column([0, 50, 60, 70])
    assert column == [0, 50, 60, 70] and total == 180


def test_a_list_with_its_total_hides_a_second_cell_beside_a_small_one():
    column, total = suppress_column([3, 50, 60, 70])
    assert total == 183
    assert column[0] is None
    assert sum(v is None for v in column) == 2
