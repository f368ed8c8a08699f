"""Reference computations for the MICS tests: raw files read directly, svy as the estimator."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pyreadstat
import svy


def read(folder: Path, name: str) -> tuple[pd.DataFrame, dict[str, dict[float, str]]]:
    """A file as written, with its value labels, read without the library's reader."""
    frame, meta = pyreadstat.read_sav(str(folder / f"{name}.sav"))
    return frame, meta.variable_value_labels


def svy_by(
    frame: pd.DataFrame,
    by: str | None,
    *,
    singleton: str = "center",
    weight: str = "w",
) -> pd.DataFrame:
    """svy's domain mean of ``y`` over records with ``dom == 1``, by ``by``.

    ``frame`` needs ``stratum``, ``psu``, ``weight``, ``y`` (0/1) and ``dom`` (0/1).
    Returns one row per level with est, se, deff, n.
    """
    data = pl.from_pandas(frame)
    sample = svy.Sample(
        data, svy.Design(stratum="stratum", psu="psu", wgt=weight, singleton=singleton)
    )
    estimate = sample.estimation.mean("y", by=by, where=svy.col("dom") == 1, deff="wr")
    out = estimate.to_polars().to_pandas()
    if by is None:
        out.insert(0, "level", "Total")
    else:
        out = out.rename(columns={by: "level"})
    return out[["level", "est", "se", "deff", "n"]]


def nested_psu(stratum: np.ndarray, cluster: np.ndarray) -> np.ndarray:
    """Clusters nested in strata, as R's ``nest=TRUE``."""
    return np.asarray(stratum) * 1_000_000 + np.asarray(cluster)


def age_group(age: np.ndarray, groups: list[tuple[int, int, str]]) -> np.ndarray:
    conditions = [(age >= lo) & (age <= hi) for lo, hi, _ in groups]
    return np.select(conditions, [label for _, _, label in groups], default="none")


def rewrite(folder: Path, name: str, change: Callable[[pd.DataFrame], pd.DataFrame]) -> None:
    """Apply ``change`` to a written file and write it back with its value labels."""
    frame, meta = pyreadstat.read_sav(str(folder / f"{name}.sav"))
    frame = change(frame)
    labels = {k: v for k, v in meta.variable_value_labels.items() if k in frame.columns}
    pyreadstat.write_sav(frame, str(folder / f"{name}.sav"), variable_value_labels=labels)
