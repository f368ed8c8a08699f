"""Published reference values (mics.md), where shipped data makes them reachable.

The NHANES II extract ``nhanes2.csv`` ships with samplics, not with svy; neither
is required, so the test looks for it in the installed packages and skips when
it is absent rather than downloading anything.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from qorgau.mics.estimator import Design, ratio_by_cells


def _nhanes2() -> Path:
    """The extract samplics ships (a dev dependency): the data never enters our repo."""
    spec = importlib.util.find_spec("samplics")
    assert spec and spec.submodule_search_locations, "samplics (dev dependency) is missing"
    for root in spec.submodule_search_locations:
        found = sorted(Path(root).rglob("nhanes2.csv"))
        if found:
            return found[0]
    raise AssertionError("samplics no longer ships nhanes2.csv")


def test_nhanes2_zinc_mean_and_highbp_proportion_match_published_values() -> None:
    data = pd.read_csv(_nhanes2())
    design = Design.from_arrays(
        data["stratid"].to_numpy(), data["psuid"].to_numpy(), data["finalwgt"].to_numpy()
    )
    n = len(data)
    everyone = np.ones(n, dtype=bool)
    total = np.zeros((1, n), dtype=int)

    zinc = data["zinc"].to_numpy(dtype=float)
    known = ~np.isnan(zinc)
    cells = ratio_by_cells(design, np.nan_to_num(zinc)[None], known, total, 1)
    assert cells.estimate[0, 0] == pytest.approx(87.1820671, abs=1e-6)
    assert cells.se[0, 0] == pytest.approx(0.4944827, abs=1e-6)

    highbp = data["highbp"].to_numpy(dtype=float)
    cells = ratio_by_cells(design, highbp[None], everyone, total, 1)
    assert cells.estimate[0, 0] == pytest.approx(0.3687433, abs=1e-7)
    assert cells.se[0, 0] == pytest.approx(0.0143201, abs=1e-7)
