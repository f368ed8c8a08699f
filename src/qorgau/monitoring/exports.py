"""Writing tables that already passed disclosure control: CSV and XLSX.

A suppressed cell (None) is written empty. Floats keep full precision in CSV, as the
change and trend files are compared with independent computations.
"""

import csv
import io
from collections.abc import Iterable, Sequence

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
