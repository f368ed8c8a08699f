"""Reading and checking an official-statistics file (.csv or .xlsx): no database.

Every bad row is reported with file, row, column, value and reason; the caller
decides whether the good rows are stored (good-rows mode) or nothing is.
"""

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import PurePath

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from qorgau.monitoring.models import AgeGroup, Sex, StatsImport
from qorgau.monitoring.offences import group_codes
from qorgau.monitoring.regions import SPLIT_FROM, SPLIT_YEAR, existed_in, region_codes

YEAR_MIN = 1990
MAX_ROWS = 200_000  # a national table has hundreds of rows; more is not this file

Key = tuple[object, ...]


class FileUnreadable(ValueError):
    """The file as a whole cannot be read (not CSV/XLSX, not UTF-8, empty)."""


@dataclass(frozen=True)
class Problem:
    file: str
    row: int  # 1 is the header row, as a spreadsheet numbers it
    column: str
    value: str
    reason: str

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "reason": self.reason,
        }

    def __str__(self) -> str:
        return f"{self.file}, row {self.row}, column {self.column} = {self.value!r}: {self.reason}"


@dataclass(frozen=True)
class Spec:
    kind: str
    columns: tuple[str, ...]
    key: tuple[str, ...]
    value: str


SPECS = {
    StatsImport.Kind.POPULATION: Spec(
        "population",
        ("year", "region", "sex", "age_group", "children"),
        ("year", "region", "sex", "age_group"),
        "children",
    ),
    StatsImport.Kind.OFFENCES: Spec(
        "offences",
        ("year", "region", "group", "count"),
        ("year", "region", "group"),
        "count",
    ),
}


@dataclass
class ReadTable:
    cells: dict[Key, int]  # good rows: key -> value
    problems: list[Problem]
    rows: int  # data rows read (without the header)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _rows(name: str, content: bytes) -> Iterator[list[str]]:
    suffix = PurePath(name).suffix.lower()
    if suffix == ".xlsx":
        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a non-workbook
            raise FileUnreadable(_("%(file)s is not an .xlsx workbook") % {"file": name}) from exc
        sheet = book.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield [_text(v) for v in row]
        book.close()
    elif suffix == ".csv":
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise FileUnreadable(_("%(file)s is not UTF-8 text") % {"file": name}) from exc
        for row in csv.reader(io.StringIO(text)):
            yield [v.strip() for v in row]
    else:
        raise FileUnreadable(
            _("%(file)s: the file must be .csv or .xlsx, not %(suffix)s")
            % {"file": name, "suffix": suffix or _("no extension")}
        )


def _int(value: str) -> int:
    number = float(value) if "." in value else int(value)
    if isinstance(number, float):
        if not number.is_integer():
            raise ValueError
        number = int(number)
    return number


def _check_year(value: str) -> tuple[int | None, str]:
    try:
        year = _int(value)
    except ValueError:
        return None, _("not a year")
    last = timezone.localdate().year
    if not YEAR_MIN <= year <= last:
        return None, _("year outside %(first)s-%(last)s") % {"first": YEAR_MIN, "last": last}
    return year, ""


def _check_count(value: str) -> tuple[int | None, str]:
    try:
        number = _int(value)
    except ValueError:
        return None, _("not a whole number")
    if number < 0:
        return None, _("negative count")
    return number, ""


def _choice(allowed: list[str], what: str) -> Callable[[str], tuple[str | None, str]]:
    def check(value: str) -> tuple[str | None, str]:
        if value in allowed:
            return value, ""
        return None, _("unknown %(what)s (allowed: %(allowed)s)") % {
            "what": what,
            "allowed": ", ".join(allowed),
        }

    return check


def _checkers(spec: Spec) -> dict[str, Callable[[str], tuple[object, str]]]:
    return {
        "year": _check_year,
        "region": _choice(region_codes(), _("region code")),
        "sex": _choice(list(Sex.values), _("sex")),
        "age_group": _choice(list(AgeGroup.values), _("age group")),
        "group": _choice(group_codes(), _("offence group")),
        "children": _check_count,
        "count": _check_count,
    }


def read_table(kind: str, name: str, content: bytes) -> ReadTable:
    spec = SPECS[StatsImport.Kind(kind)]
    checkers = _checkers(spec)
    rows = _rows(name, content)
    header = next(rows, None)
    if header is None:
        raise FileUnreadable(_("%(file)s is empty") % {"file": name})
    header = [h.lower() for h in header]
    problems = [
        Problem(name, 1, column, "", _("missing column"))
        for column in spec.columns
        if column not in header
    ] + [
        Problem(name, 1, column, column, _("unexpected column"))
        for column in header
        if column and column not in spec.columns
    ]
    if problems:
        return ReadTable({}, problems, 0)
    where = {column: header.index(column) for column in spec.columns}
    cells: dict[Key, int] = {}
    first_row: dict[Key, int] = {}
    count = 0
    for number, raw in enumerate(rows, start=2):
        if not any(raw):
            continue  # blank lines at the end of a spreadsheet
        count += 1
        if count > MAX_ROWS:
            raise FileUnreadable(
                _("%(file)s has more than %(n)s rows") % {"file": name, "n": MAX_ROWS}
            )
        values: dict[str, object] = {}
        row_problems = []
        for column in spec.columns:
            text = raw[where[column]] if where[column] < len(raw) else ""
            value, reason = checkers[column](text)
            if reason:
                row_problems.append(Problem(name, number, column, text, reason))
            values[column] = value
        year, region = values["year"], values["region"]
        if isinstance(year, int) and isinstance(region, str) and not existed_in(region, year):
            row_problems.append(
                Problem(
                    name,
                    number,
                    "region",
                    region,
                    _("region %(code)s exists from %(year)s; count it under %(old)s before")
                    % {"code": region, "year": SPLIT_YEAR, "old": SPLIT_FROM[region]},
                )
            )
        if row_problems:
            problems.extend(row_problems)
            continue
        key = tuple(values[column] for column in spec.key)
        if key in first_row:
            problems.append(
                Problem(
                    name,
                    number,
                    ",".join(spec.key),
                    ",".join(map(str, key)),
                    _("duplicate key: the same cell is on row %(row)s") % {"row": first_row[key]},
                )
            )
            cells.pop(key, None)  # neither copy is believed
            continue
        first_row[key] = number
        cells[key] = values[spec.value]  # type: ignore[assignment]
    return ReadTable(cells, problems, count)
