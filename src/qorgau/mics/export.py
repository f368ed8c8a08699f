"""CSV and MICS-style XLSX output of the tidy table."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from .definitions import INDICATORS, MICS5_INDICATORS, Disaggregation

_TITLES = {i.code: i.title for i in (*MICS5_INDICATORS.values(), *INDICATORS.values())}
_DISAGGREGATIONS = {
    d.key: d.title
    for i in (*INDICATORS.values(), *MICS5_INDICATORS.values())
    for d in i.disaggregations
    if isinstance(d, Disaggregation)
}


def write_csv(table: pd.DataFrame, path: str | Path) -> Path:
    """The tidy table as UTF-8 CSV; ``ci_low``/``ci_high`` are estimate ± 2·SE (MICS), cut
    to 0-100."""
    target = Path(path)
    table.to_csv(target, index=False, encoding="utf-8")
    return target


def formatted_estimate(estimate: float, n_unweighted: int) -> str:
    """MICS convention: ``*`` below 25 unweighted cases, parentheses for 25-49."""
    if n_unweighted < 25 or math.isnan(estimate):
        return "*"
    text = f"{estimate:.1f}"
    return f"({text})" if n_unweighted < 50 else text


_HEADER = (
    "",
    "Percentage",
    "Standard error",
    "Lower limit (est. - 2SE)",
    "Upper limit (est. + 2SE)",
    "Design effect",
    "Unweighted N",
    "Weighted N",
)


def write_xlsx(table: pd.DataFrame, path: str | Path) -> Path:
    """One sheet per indicator, rows the disaggregation categories, as in MICS tables."""
    target = Path(path)
    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    for code, rows in table.groupby("indicator", sort=False):
        sheet = book.create_sheet(str(code)[:31])
        sheet.append([f"{code} {_TITLES.get(str(code), '')}".strip()])
        sheet["A1"].font = bold
        sheet.append(list(_HEADER))
        for cell in sheet[2]:
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True)
        for key, part in rows.groupby("disaggregation", sort=False):
            if key != "total":
                sheet.append([_DISAGGREGATIONS.get(str(key), str(key))])
                sheet.cell(sheet.max_row, 1).font = bold
            for row in part.itertuples(index=False):
                shown = row.n_unweighted >= 25 and not math.isnan(row.estimate)
                sheet.append(
                    [
                        row.category,
                        formatted_estimate(row.estimate, row.n_unweighted),
                        _rounded(row.se, 2) if shown else None,
                        _rounded(row.ci_low, 1) if shown else None,
                        _rounded(row.ci_high, 1) if shown else None,
                        _rounded(row.deff, 2) if shown else None,
                        int(row.n_unweighted),
                        round(float(row.n_weighted)),
                    ]
                )
        sheet.append([])
        sheet.append(
            ["( ) Figures based on 25-49 unweighted cases; * figures based on fewer than 25 "
             "unweighted cases are suppressed. Confidence limits are estimate ± 2 SE."]
        )  # fmt: skip
        sheet.column_dimensions["A"].width = 34
        for letter in "BCDEFGH":
            sheet.column_dimensions[letter].width = 14
    book.save(target)
    return target


def _rounded(value: float, digits: int) -> float | None:
    return None if math.isnan(value) else round(float(value), digits)
