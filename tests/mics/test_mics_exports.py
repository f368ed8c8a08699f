"""Tidy table, CSV and MICS-style XLSX output."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import load_workbook

from qorgau.mics import COLUMNS, INDICATORS, compute_tables, write_csv, write_xlsx
from qorgau.mics.export import formatted_estimate
from qorgau.mics.readers import Survey


def test_table_has_the_documented_columns_and_mics_intervals(tables6: pd.DataFrame) -> None:
    assert list(tables6.columns[: len(COLUMNS)]) == COLUMNS
    assert list(tables6["indicator"].unique()) == list(INDICATORS)
    low, high = tables6["estimate"] - 2 * tables6["se"], tables6["estimate"] + 2 * tables6["se"]
    np.testing.assert_allclose(tables6["ci_low"], low.clip(lower=0))
    np.testing.assert_allclose(tables6["ci_high"], high.clip(upper=100))
    # The synthetic survey has cells near 0 % and 100 %: the limits are cut there, as
    # the pages show them, never a negative percentage or one above 100.
    assert (low < 0).any() and (high > 100).any()
    assert tables6[["ci_low", "ci95_low"]].min().min() >= 0
    assert tables6[["ci_high", "ci95_high"]].max().max() <= 100
    n = tables6["n_unweighted"]
    assert (tables6.loc[n < 25, "flag"] == "*").all()
    assert (tables6.loc[(n >= 25) & (n < 50), "flag"] == "()").all()
    assert (tables6.loc[n >= 50, "flag"] == "").all()


def test_categories_are_the_value_labels_of_the_data(tables6: pd.DataFrame) -> None:
    regions = tables6[(tables6["indicator"] == "PR.1") & (tables6["disaggregation"] == "region")]
    assert {"Astana", "Almaty", "Shymkent", "Abai Region"} <= set(regions["category"])
    areas = tables6[(tables6["indicator"] == "PR.1") & (tables6["disaggregation"] == "area")]
    assert areas["category"].tolist() == ["Urban", "Rural"]


def test_csv_round_trips(tables6: pd.DataFrame, tmp_path: Path) -> None:
    back = pd.read_csv(write_csv(tables6, tmp_path / "t.csv"), keep_default_na=False)
    assert list(back.columns) == list(tables6.columns)
    np.testing.assert_allclose(back["estimate"], tables6["estimate"])


def test_formatted_estimate_follows_mics_flags() -> None:
    assert formatted_estimate(12.345, 24) == "*"
    assert formatted_estimate(12.345, 25) == "(12.3)"
    assert formatted_estimate(12.345, 49) == "(12.3)"
    assert formatted_estimate(12.345, 50) == "12.3"


def test_xlsx_has_one_mics_sheet_per_indicator(tables6: pd.DataFrame, tmp_path: Path) -> None:
    book = load_workbook(write_xlsx(tables6, tmp_path / "t.xlsx"))
    assert book.sheetnames == list(tables6["indicator"].unique())
    sheet = book["PR.2"]
    assert sheet["A1"].value.startswith("PR.2 Children age 1-14")
    assert sheet["B2"].value == "Percentage"
    total = tables6[(tables6["indicator"] == "PR.2") & (tables6["disaggregation"] == "total")]
    assert sheet["A3"].value == "Total"
    assert sheet["B3"].value == f"{total['estimate'].iloc[0]:.1f}"
    shown = [row[1] for row in sheet.iter_rows(min_row=3, values_only=True) if row[1]]
    expected = tables6.loc[tables6["indicator"] == "PR.2", "flag"]
    assert sum(v == "*" for v in shown) == (expected == "*").sum()


def test_progress_is_reported_for_each_step(survey6: Survey) -> None:
    calls: list[tuple[int, int, str]] = []
    compute_tables(survey6, progress=lambda done, total, what: calls.append((done, total, what)))
    assert [c[0] for c in calls] == list(range(1, len(calls) + 1))
    assert all(c[1] == len(calls) for c in calls)
    assert "PR.2.SEV" in " ".join(c[2] for c in calls)
