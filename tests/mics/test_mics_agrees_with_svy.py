"""Estimates, SEs, design effects and counts agree with svy, the reference implementation.

The reference side reads the .sav files with pyreadstat and codes each indicator
here, independently of the library's definitions, then estimates with svy's
domain means (``where=``), so stacking, coding, domains, zero weights and the
single-cluster stratum of the synthetic data are all checked.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from mics_support import age_group, nested_psu, read, svy_by

from qorgau.mics import compute_tables
from qorgau.mics.estimator import Design, ratio_by_cells
from qorgau.mics.readers import Survey

RTOL = 1e-6
Reference = tuple[pd.DataFrame, dict[str, dict[float, str]]]


def _base(frame: pd.DataFrame, weight: str, labels: dict, **columns: np.ndarray) -> pd.DataFrame:
    out = pd.DataFrame(
        {
            "stratum": frame["stratum"].to_numpy(),
            "psu": nested_psu(frame["stratum"].to_numpy(), frame["HH1"].to_numpy()),
            "w": frame[weight].to_numpy(),
            "area": frame["HH6"].map(labels["HH6"]).to_numpy(),
            "region": frame["HH7"].map(labels["HH7"]).to_numpy(),
            "wealth": frame["windex5"].map(labels["windex5"]).to_numpy(),
        }
    )
    for name, values in columns.items():
        out[name] = values
    return out


def _yes(frame: pd.DataFrame, *names: str) -> np.ndarray:
    return (frame[list(names)] == 1).any(axis=1).to_numpy()


DISCIPLINE_AGES = [(1, 2, "1-2"), (3, 4, "3-4"), (5, 9, "5-9"), (10, 14, "10-14")]
VIOLENT = "CDFGHIJK"


def discipline(folder: Path, measure: str) -> pd.DataFrame:
    parts = []
    for file, prefix, weight, done, age_var in (
        ("ch", "UCD2", "chweight", "UF17", "UB2"),
        ("fs", "FCD2", "fsweight", "FS17", "CB3"),
    ):
        frame, labels = read(folder, file)
        items = {x: frame[f"{prefix}{x}"] == 1 for x in "ABCDEFGHIJK"}
        violent = np.logical_or.reduce([items[x] for x in VIOLENT])
        y = {
            "any": violent,
            "non_violent": (items["A"] | items["B"] | items["E"]) & ~violent,
            "severe": items["I"] | items["K"],
        }[measure]
        age = frame[age_var].to_numpy()
        parts.append(
            _base(
                frame,
                weight,
                labels,
                y=np.asarray(y, dtype=float),
                dom=((frame[done] == 1) & (age >= 1) & (age <= 14)).to_numpy().astype(int),
                sex=frame["HL4"].map(labels["HL4"]).to_numpy(),
                mother_education=frame["melevel"].map(labels["melevel"]).to_numpy(),
                age=age_group(age, DISCIPLINE_AGES),
            )
        )
    return pd.concat(parts, ignore_index=True)


def birth_registration(folder: Path) -> pd.DataFrame:
    frame, labels = read(folder, "ch")
    y = frame["BR1"].isin([1, 2]) | (frame["BR2"] == 1)
    age = frame["UB2"].to_numpy()
    return _base(
        frame,
        "chweight",
        labels,
        y=y.to_numpy().astype(float),
        dom=(frame["UF17"] == 1).to_numpy().astype(int),
        sex=frame["HL4"].map(labels["HL4"]).to_numpy(),
        age=age_group(age, [(a, a, str(a)) for a in range(5)]),
        mother_education=frame["melevel"].map(labels["melevel"]).to_numpy(),
    )


def child_labour(folder: Path) -> pd.DataFrame:
    frame, labels = read(folder, "fs")
    age = frame["CB3"].to_numpy()

    def hours(name: str) -> np.ndarray:
        h = frame[name].to_numpy()
        return np.where(h >= 97, np.nan, h)

    threshold = np.select([age <= 11, age <= 14, age <= 17], [1, 14, 43], default=np.inf)
    economic = _yes(frame, "CL1A", "CL1B", "CL1C", "CL1X") & (hours("CL3") >= threshold)
    chores = np.vstack([hours("CL8"), hours("CL10"), hours("CL13")])
    chore_hours = np.where(np.isnan(chores).all(axis=0), np.nan, np.nansum(chores, axis=0))
    y = economic | ((age <= 14) & (chore_hours >= 21))
    return _base(
        frame,
        "fsweight",
        labels,
        y=y.astype(float),
        dom=((frame["FS17"] == 1) & (age >= 5) & (age <= 17)).to_numpy().astype(int),
        sex=frame["HL4"].map(labels["HL4"]).to_numpy(),
        age=age_group(age, [(5, 11, "5-11"), (12, 14, "12-14"), (15, 17, "15-17")]),
        mother_education=frame["melevel"].map(labels["melevel"]).to_numpy(),
    )


def married_before_18(folder: Path) -> pd.DataFrame:
    frame, labels = read(folder, "wm")
    age = frame["WB4"].to_numpy()
    return _base(
        frame,
        "wmweight",
        labels,
        y=(frame["WAGEM"] < 18).to_numpy().astype(float),
        dom=((frame["WM17"] == 1) & (age >= 20) & (age <= 24)).to_numpy().astype(int),
        education=frame["welevel"].map(labels["welevel"]).to_numpy(),
    )


def men_attitudes(folder: Path) -> pd.DataFrame:
    frame, labels = read(folder, "mn")
    age = frame["MWB4"].to_numpy()
    return _base(
        frame,
        "mnweight",
        labels,
        y=_yes(frame, *(f"MDV1{x}" for x in "ABCDE")).astype(float),
        dom=((frame["MWM17"] == 1) & (age >= 15) & (age <= 49)).to_numpy().astype(int),
        education=frame["mwelevel"].map(labels["mwelevel"]).to_numpy(),
        age=age_group(
            age,
            [
                (15, 19, "15-19"),
                (20, 24, "20-24"),
                (25, 29, "25-29"),
                (30, 39, "30-39"),
                (40, 49, "40-49"),
            ],
        ),
    )


CASES: dict[str, tuple[Callable[[Path], pd.DataFrame], tuple[str, ...]]] = {
    "PR.1": (birth_registration, ("total", "sex", "age", "mother_education", "wealth")),
    "PR.2": (lambda f: discipline(f, "any"), ("total", "sex", "area", "region", "age")),
    "PR.2.NV": (lambda f: discipline(f, "non_violent"), ("total", "mother_education")),
    "PR.2.SEV": (lambda f: discipline(f, "severe"), ("total", "age", "wealth")),
    "PR.3": (child_labour, ("total", "sex", "age", "region")),
    "PR.4b": (married_before_18, ("total", "area", "education")),
    "PR.15.M": (men_attitudes, ("total", "age", "education", "wealth")),
}


def _compare(ours: pd.DataFrame, reference: pd.DataFrame, weighted: pd.Series) -> None:
    merged = ours.merge(reference, left_on="category", right_on="level", how="inner")
    assert len(merged) == len(reference), (ours["category"].tolist(), reference["level"].tolist())
    np.testing.assert_allclose(merged["estimate"], 100 * merged["est"], rtol=RTOL)
    np.testing.assert_allclose(merged["se"], 100 * merged["se_y"], rtol=RTOL, atol=1e-12)
    finite = np.isfinite(merged["deff_x"])
    np.testing.assert_allclose(merged["deff_x"][finite], merged["deff_y"][finite], rtol=RTOL)
    np.testing.assert_array_equal(merged["n_unweighted"], merged["n"])
    np.testing.assert_allclose(
        merged["n_weighted"], weighted.reindex(merged["category"]).to_numpy(), rtol=1e-9
    )


@pytest.mark.parametrize("code", list(CASES))
def test_estimates_agree_with_svy_for_every_disaggregation(
    code: str, mics6_dir: Path, tables6: pd.DataFrame
) -> None:
    build, disaggregations = CASES[code]
    frame = build(mics6_dir)
    frame["ww"] = frame["w"] * frame["dom"]
    for key in disaggregations:
        by = None if key == "total" else key
        reference = svy_by(frame, by).rename(columns={"se": "se_y", "deff": "deff_y"})
        reference = reference[reference["level"] != "none"]
        ours = tables6[(tables6["indicator"] == code) & (tables6["disaggregation"] == key)]
        ours = ours[ours["n_unweighted"] > 0].rename(columns={"deff": "deff_x"})
        weighted = frame.groupby(by)["ww"].sum() if by else pd.Series({"Total": frame["ww"].sum()})
        _compare(ours, reference, weighted)


def test_lonely_psu_remove_agrees_with_svy_skip(mics6_dir: Path, survey6: Survey) -> None:
    assert any(p.code == "single_cluster_stratum" for p in survey6.problems)
    ours = compute_tables(survey6, ["PR.2"], lonely_psu="remove")
    adjusted = compute_tables(survey6, ["PR.2"], lonely_psu="adjust")
    frame = discipline(mics6_dir, "any")
    for key in ("total", "region"):
        by = None if key == "total" else key
        reference = svy_by(frame, by, singleton="skip").rename(
            columns={"se": "se_y", "deff": "deff_y"}
        )
        part = ours[ours["disaggregation"] == key].rename(columns={"deff": "deff_x"})
        frame["ww"] = frame["w"] * frame["dom"]
        weighted = frame.groupby(by)["ww"].sum() if by else pd.Series({"Total": frame["ww"].sum()})
        _compare(part[part["n_unweighted"] > 0], reference, weighted)
    # The two rules must differ somewhere, or the lonely stratum was not exercised.
    assert not np.allclose(ours["se"], adjusted["se"], equal_nan=True)


def test_estimator_agrees_with_svy_on_zero_weight_only_psu_and_domains() -> None:
    rng = np.random.default_rng(11)
    n = 4000
    stratum = rng.integers(0, 12, n).astype(float)
    cluster = stratum * 100 + rng.integers(0, 6, n)
    cluster[stratum == 11] = 1100.0  # a stratum with one PSU
    weight = rng.uniform(0.2, 3.0, n)
    weight[:60] = 0.0
    stratum[:8], cluster[:8] = 4.0, 499.0  # a PSU of zero-weight records only
    weight[:8] = 0.0
    y = (rng.random(n) < 0.35).astype(float)
    dom = rng.random(n) < 0.55
    group = rng.integers(0, 3, n)

    design = Design.from_arrays(stratum, cluster, weight)
    cells = ratio_by_cells(design, y[None], dom, np.stack([np.zeros(n, int), group + 1]), 4)
    frame = pd.DataFrame(
        {"stratum": stratum, "psu": cluster, "w": weight, "y": y, "dom": dom.astype(int),
         "g": group + 1}
    )  # fmt: skip
    total = svy_by(frame, None)
    by_group = svy_by(frame, "g").sort_values("level")
    reference = pd.concat([total, by_group], ignore_index=True)
    np.testing.assert_allclose(cells.estimate[0], reference["est"], rtol=RTOL)
    np.testing.assert_allclose(cells.se[0], reference["se"], rtol=RTOL)
    np.testing.assert_allclose(cells.deff[0], reference["deff"], rtol=RTOL)
    np.testing.assert_array_equal(cells.n_unweighted, reference["n"])
