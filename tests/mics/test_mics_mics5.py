"""MICS5 layout: selected child in hh.sav, child weight and strata built as the syntax does."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from mics_support import nested_psu, read, svy_by

from qorgau.mics import compute_tables, load_survey
from qorgau.mics.readers import Survey


@pytest.fixture(scope="module")
def survey5(mics5_dir: Path) -> Survey:
    return load_survey(mics5_dir)


def test_layout_is_detected_and_built_variables_reported(survey5: Survey) -> None:
    assert survey5.layout == "mics5"
    codes = {(p.code, p.file) for p in survey5.problems}
    assert ("stratum_built", "hh") in codes
    assert ("child_weight_built", "hh") in codes
    assert not [p for p in survey5.problems if p.code == "missing_file"]


def test_child_weight_follows_the_tabulation_syntax(mics5_dir: Path, survey5: Survey) -> None:
    hh, _ = read(mics5_dir, "hh")
    has = hh["SL1"] > 0
    tmpw = hh["hhweight"] * hh["SL1"]
    expected = tmpw * hh.loc[has, "SL1"].sum() / (tmpw[has] * hh.loc[has, "SL1"]).sum()
    expected = expected.where(has, 0.0)
    np.testing.assert_allclose(survey5.frames["hh"]["slweight"], expected, rtol=1e-12)


def test_violent_discipline_of_the_selected_child_agrees_with_svy(
    mics5_dir: Path, survey5: Survey
) -> None:
    hh, _ = read(mics5_dir, "hh")
    hl, _ = read(mics5_dir, "hl")
    has = hh["SL1"] > 0
    tmpw = (hh["hhweight"] * hh["SL1"]).where(has, 0.0)
    weight = tmpw * hh.loc[has, "SL1"].sum() / (tmpw * hh["SL1"]).where(has, 0.0).sum()
    sex = hh.merge(hl.rename(columns={"HL1": "SL9B"}), on=["HH1", "HH2", "SL9B"], how="left")["HL4"]
    stratum = hh["HH7"] * 10 + hh["HH6"]
    age = hh["SL9C"]
    frame = pd.DataFrame(
        {
            "stratum": stratum,
            "psu": nested_psu(stratum.to_numpy(), hh["HH1"].to_numpy()),
            "w": weight,
            "y": (hh[[f"CD3{x}" for x in "CDFGHIJK"]] == 1).any(axis=1).astype(float),
            "dom": ((hh["HH9"] == 1) & (age >= 1) & (age <= 14)).astype(int),
            "sex": sex.map({1.0: "Male", 2.0: "Female"}),
        }
    )
    table = compute_tables(survey5, ["PR.2"])
    for key, by in (("total", None), ("sex", "sex")):
        reference = svy_by(frame, by)
        reference = reference[reference["level"].notna()]
        ours = table[table["disaggregation"] == key].set_index("category")
        ours = ours.loc[reference["level"]]
        np.testing.assert_allclose(ours["estimate"], 100 * reference["est"], rtol=1e-6)
        np.testing.assert_allclose(ours["se"], 100 * reference["se"], rtol=1e-6)
        np.testing.assert_array_equal(ours["n_unweighted"], reference["n"])


def test_mics5_tables_cover_the_mapped_indicators(survey5: Survey) -> None:
    computed = set(compute_tables(survey5)["indicator"])
    assert computed == {
        "PR.1", "PR.2", "PR.2.NV", "PR.2.PSY", "PR.2.PHY", "PR.2.SEV",
        "PR.4a", "PR.4b", "PR.5", "PR.15.W", "PR.15.M",
    }  # fmt: skip
