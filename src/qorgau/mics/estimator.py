"""Ratio (proportion) estimation with Taylor linearisation for stratified cluster designs.

The design is the one MICS tabulation uses: strata, clusters (PSUs) nested in
strata and sampled with replacement, no finite population correction. Domains
(completed interviews, an age universe, a disaggregation category) are handled
by zeroing records outside the domain, never by dropping them, so every PSU of
a stratum counts in its variance as R's ``subset()`` of a design does.

Everything is vectorised: one ``np.bincount`` per numerator over the
(cell, PSU) grid gives the PSU totals of every category of every
disaggregation at once, and PSU codes are sorted by stratum so per-stratum
sums are ``np.add.reduceat`` over contiguous slices.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

LonelyPsu = Literal["adjust", "remove", "fail"]


class LonelyPsuError(ValueError):
    """Raised with ``lonely_psu="fail"`` when a stratum holds a single PSU."""


# Codes below this bound are factorised with bincount instead of a sort.
_DENSE_LIMIT = 1 << 24


def factorize(
    values: np.ndarray, *, missing_as_value: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct values and the code of each element (-1 for missing).

    MICS codes are small non-negative integers, for which a bincount over the
    values is several times faster than the sort ``np.unique`` does.
    """
    v = np.asarray(values, dtype=float)
    known = ~np.isnan(v)
    if missing_as_value and not known.all():
        uniques, codes = np.unique(v, return_inverse=True)
        return uniques, codes.ravel().astype(np.int64)
    kv = v[known]
    codes = np.full(len(v), -1, dtype=np.int64)
    if kv.size == 0:
        return kv, codes
    iv = kv.astype(np.int64)
    if kv.min() >= 0 and kv.max() < _DENSE_LIMIT and np.array_equal(iv, kv):
        present = np.bincount(iv) > 0
        codes[known] = (np.cumsum(present) - 1)[iv]
        return np.flatnonzero(present).astype(float), codes
    uniques, inverse = np.unique(kv, return_inverse=True)
    codes[known] = inverse.ravel()
    return uniques, codes


@dataclass(frozen=True)
class Design:
    """Record-level design codes; PSU codes are numbered stratum by stratum."""

    psu: np.ndarray  # PSU code of each record, 0..P-1
    weight: np.ndarray  # missing weights already set to 0
    stratum_starts: np.ndarray  # first PSU code of each stratum
    psus_per_stratum: np.ndarray
    strata: np.ndarray  # stratum value of each stratum code

    @property
    def n_psus(self) -> int:
        return int(self.psus_per_stratum.sum())

    @classmethod
    def from_arrays(cls, stratum: np.ndarray, cluster: np.ndarray, weight: np.ndarray) -> Design:
        strata, stratum_code = factorize(stratum, missing_as_value=True)
        clusters, cluster_code = factorize(cluster, missing_as_value=True)
        # Clusters are nested in strata: the same HH1 in two strata is two PSUs.
        nested = stratum_code * len(clusters) + cluster_code
        keys, psu = factorize(nested)
        psu_stratum = keys.astype(np.int64) // len(clusters)
        psus_per_stratum = np.bincount(psu_stratum, minlength=len(strata))
        starts = np.concatenate(([0], np.cumsum(psus_per_stratum)[:-1]))
        w = np.nan_to_num(np.asarray(weight, dtype=float), nan=0.0)
        return cls(psu.ravel(), w, starts, psus_per_stratum, strata)


@dataclass(frozen=True)
class CellEstimates:
    """Ratios per numerator (rows) and cell (columns)."""

    estimate: np.ndarray  # (k, G)
    se: np.ndarray  # (k, G)
    deff: np.ndarray  # (k, G), against simple random sampling with replacement
    n_unweighted: np.ndarray  # (G,) records in the domain with a positive weight
    n_weighted: np.ndarray  # (G,)


def ratio_by_cells(
    design: Design,
    numerators: np.ndarray,
    domain: np.ndarray,
    cells: np.ndarray,
    n_cells: int,
    *,
    lonely_psu: LonelyPsu = "adjust",
) -> CellEstimates:
    """Weighted proportions of ``numerators`` in every cell of the domain.

    ``numerators`` is (k, n) of 0/1; ``cells`` is (D, n) of cell codes in
    ``0..n_cells-1`` (one row per disaggregation, codes already distinct across
    rows) with -1 where a record has no category.
    """
    n_psus = design.n_psus
    size = n_cells * n_psus
    # Records outside the domain add zero to every sum; their PSUs stay in the design
    # through ``design.psu`` and ``psus_per_stratum``, so only domain records are summed.
    rows = np.flatnonzero(domain)
    y = np.atleast_2d(np.asarray(numerators, dtype=float))[:, rows]
    cells = np.atleast_2d(cells)[:, rows]
    weight = design.weight[rows]
    # Uncategorised records go to an extra bucket past the grid, dropped below.
    key = np.where(cells >= 0, cells * n_psus + design.psu[rows], size).ravel()
    n_dis = len(cells)

    def grid(values: np.ndarray) -> np.ndarray:
        summed = np.bincount(key, weights=np.tile(values, n_dis), minlength=size + 1)
        return summed[:size].reshape(n_cells, n_psus)

    x = grid(weight)
    totals = np.stack([grid(weight * row) for row in y])
    n_unweighted = grid((weight > 0).astype(float)).sum(axis=1)

    x_cell = x.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = totals.sum(axis=2) / x_cell
        # Linearised score of the ratio, summed to PSU level.
        z = (totals - ratio[:, :, None] * x[None]) / x_cell[None, :, None]
    z = np.nan_to_num(z)
    variance = _stratified_variance(design, z, lonely_psu)

    with np.errstate(invalid="ignore", divide="ignore"):
        srs = ratio * (1 - ratio) / (n_unweighted - 1)
        deff = np.where((srs > 0) & (n_unweighted > 1), variance / srs, np.nan)
    se = np.sqrt(variance)
    se[:, x_cell == 0] = np.nan
    return CellEstimates(ratio, se, deff, n_unweighted.astype(np.int64), x_cell)


def _stratified_variance(design: Design, z: np.ndarray, lonely_psu: LonelyPsu) -> np.ndarray:
    """With-replacement variance from PSU scores ``z`` of shape (k, G, P)."""
    n_h = design.psus_per_stratum
    starts = design.stratum_starts
    lonely = n_h == 1
    if lonely.any() and lonely_psu == "fail":
        raise LonelyPsuError(
            f"{int(lonely.sum())} strata have a single PSU: "
            + ", ".join(str(s) for s in design.strata[lonely][:20])
        )
    stratum_mean = np.add.reduceat(z, starts, axis=2) / n_h
    if lonely_psu == "adjust":
        # R's "adjust": a single PSU is centred at the mean of all PSU scores.
        grand = z.sum(axis=2, keepdims=True) / z.shape[2]
        stratum_mean[:, :, lonely] = np.broadcast_to(grand, stratum_mean[:, :, lonely].shape)
    deviations = z - np.repeat(stratum_mean, n_h, axis=2)
    squares = np.add.reduceat(deviations * deviations, starts, axis=2)
    with np.errstate(divide="ignore"):
        scale = np.where(lonely, 1.0 if lonely_psu == "adjust" else 0.0, n_h / (n_h - 1.0))
    return squares @ scale
