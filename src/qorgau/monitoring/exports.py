"""Writing tables that already passed disclosure control: CSV, XLSX, DHIS2 JSON.

A suppressed cell (None) is written empty. Floats keep full precision in CSV, as the
change and trend files are compared with independent computations.
"""

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from openpyxl import Workbook


def _cell(value: object) -> object:
    return "" if value is None else value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return out.getvalue().encode("utf-8")


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence[object]], title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101  (a new workbook has one sheet)
    sheet.title = title[:31]
    sheet.append(list(header))
    for row in rows:
        sheet.append([None if v is None else v for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def dhis2_codes() -> dict[str, Any]:
    """Indicator and region codes on the national DHIS2: settings.QORGAU_DHIS2 overrides
    {"data_elements": {group: code}, "org_units": {region: code}, "category_option_combo":
    code}; by default the codes are Qorgau's own."""
    configured = getattr(settings, "QORGAU_DHIS2", {})
    return {
        "data_elements": configured.get("data_elements", {}),
        "org_units": configured.get("org_units", {}),
        "category_option_combo": configured.get("category_option_combo", "default"),
    }


def dhis2_data_value_set(
    year: int, regions: Sequence[str], groups: Sequence[str], cells: Sequence[Sequence[int | None]]
) -> bytes:
    """A DHIS2 dataValueSets document of a suppressed region × group table: a hidden
    cell is left out (DHIS2 has no suppression of its own)."""
    codes = dhis2_codes()
    values = [
        {
            "dataElement": codes["data_elements"].get(group, f"QORGAU_OFFENCES_{group.upper()}"),
            "period": str(year),
            "orgUnit": codes["org_units"].get(region, f"KZ-{region}"),
            "categoryOptionCombo": codes["category_option_combo"],
            "value": str(value),
        }
        for region, row in zip(regions, cells, strict=True)
        for group, value in zip(groups, row, strict=True)
        if value is not None
    ]
    return json.dumps({"dataValues": values}, ensure_ascii=False, indent=1).encode()


def dhis2_casework(year: int, header: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    """The case-work table as dataValueSets: one data element per column (settings
    QORGAU_DHIS2["data_elements"] may map "casework.<column>"), a region's code as the
    org unit ("KZ" for the country); a hidden cell is left out."""
    codes = dhis2_codes()
    values = [
        {
            "dataElement": codes["data_elements"].get(
                f"casework.{column}", f"QORGAU_CASEWORK_{column.upper()}"
            ),
            "period": str(year),
            "orgUnit": codes["org_units"].get(str(row[0]), _org_unit(str(row[0]))),
            "categoryOptionCombo": codes["category_option_combo"],
            "value": str(value),
        }
        for row in rows
        for column, value in zip(header[1:], row[1:], strict=True)
        if value is not None
    ]
    return json.dumps({"dataValues": values}, ensure_ascii=False, indent=1).encode()


def _org_unit(region: str) -> str:
    return "KZ" if region == "KZ" else f"KZ-{region}"
