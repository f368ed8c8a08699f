"""`qorgau programmes import`: a programme's plan (bodies, directions, indicators,
targets, measures) from an XLSX workbook in the layout of docs/programmes-plan-layout.md.

Every row is checked first; a bad cell is reported with its sheet, row, column and
why. Then either nothing is stored (the default) or exactly the good rows
(`keep_good`). Rows are matched on their keys (a body's code, a direction's number,
an indicator's code, a measure's number), so importing the same file again changes
nothing, and a corrected file updates what it corrects.
"""

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from openpyxl import load_workbook

from qorgau.monitoring.indicators import indicators as monitoring_indicators
from qorgau.places.models import Place
from qorgau.programmes.models import (
    Direction,
    Indicator,
    IndicatorTarget,
    Measure,
    Programme,
    ResponsibleBody,
)

# Each sheet's columns; a star marks a required value.
SHEETS: dict[str, tuple[str, ...]] = {
    "bodies": ("code*", "name_kk*", "name_ru*", "name_en", "region"),
    "directions": ("number*", "name_kk*", "name_ru*", "name_en"),
    "indicators": (
        "code*",
        "direction",
        "name_kk*",
        "name_ru*",
        "name_en",
        "unit*",
        "higher_is_better*",
        "baseline_year*",
        "baseline_value*",
        "source",
        "definition",
    ),
    "targets": ("indicator*", "year*", "region", "value*"),
    "measures": (
        "number*",
        "direction*",
        "title_kk*",
        "title_ru*",
        "title_en",
        "responsible*",
        "deadline*",
        "budget_line",
    ),
}
YES = {"yes", "true", "1", "да", "иә"}
NO = {"no", "false", "0", "нет", "жоқ"}
MAX_ROWS = 20_000


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int  # as Excel numbers it (the header is row 1)
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.sheet}!{self.column} row {self.row}: {self.message}"


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class PlanImport:
    programme: str
    dry_run: bool
    stored: bool = False
    errors: list[RowError] = field(default_factory=list)
    counts: dict[str, Counts] = field(default_factory=dict)


class BadCell(Exception):
    def __init__(self, column: str, message: str) -> None:
        self.column = column
        self.message = message


def read_rows(
    book: Any, sheet: str, columns: tuple[str, ...], errors: list[RowError]
) -> Iterator[tuple[int, dict[str, Any]]]:
    """The sheet's rows as {column: value}, after checking its header row."""
    if sheet not in book.sheetnames:
        errors.append(RowError(sheet, 1, "-", "the sheet is missing"))
        return
    names = [c.rstrip("*") for c in columns]
    rows = book[sheet].iter_rows(values_only=True)
    header = [str(v).strip() if v is not None else "" for v in next(rows, ())]
    while header and header[-1] == "":
        header.pop()
    missing = [n for n in names if n not in header]
    unknown = [h for h in header if h not in names]
    if missing or unknown:
        message = "; ".join(
            part
            for part in (
                f"missing columns: {', '.join(missing)}" if missing else "",
                f"unknown columns: {', '.join(unknown)}" if unknown else "",
            )
            if part
        )
        errors.append(RowError(sheet, 1, "-", message))
        return
    for number, values in enumerate(rows, start=2):
        if number > MAX_ROWS:
            errors.append(RowError(sheet, number, "-", f"more than {MAX_ROWS} rows"))
            return
        row = {h: v for h, v in zip(header, values, strict=False) if h}
        if all(v is None or str(v).strip() == "" for v in row.values()):
            continue
        for column in columns:
            name = column.rstrip("*")
            value = row.get(name)
            if isinstance(value, str):
                value = value.strip()
            row[name] = None if value == "" else value
            if column.endswith("*") and row[name] is None:
                errors.append(RowError(sheet, number, name, "a value is required"))
                break
        else:
            yield number, row


def _text(row: dict[str, Any], column: str, limit: int) -> str:
    value = row[column]
    text = "" if value is None else str(value)
    if len(text) > limit:
        raise BadCell(column, f"longer than {limit} characters")
    return text


def cell_int(row: dict[str, Any], column: str, low: int, high: int) -> int:
    value = row[column]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.isascii() and value.isdigit():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise BadCell(column, f"not a whole number from {low} to {high}: {value!r}")
    return value


def _decimal(row: dict[str, Any], column: str) -> Decimal:
    value = row[column]
    try:
        number = Decimal(str(value).replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        raise BadCell(column, f"not a number: {value!r}") from None
    if not number.is_finite() or abs(number) >= 10**11:
        raise BadCell(column, f"not a number in range: {value!r}")
    return number.quantize(Decimal("0.001"))


def _date(row: dict[str, Any], column: str) -> dt.date:
    value = row[column]
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise BadCell(column, f"not a date (YYYY-MM-DD or an Excel date): {value!r}") from None


def _region(row: dict[str, Any], column: str, regions: dict[str, Place]) -> Place | None:
    value = row[column]
    if value is None:
        return None
    code = str(int(value) if isinstance(value, float) else value)
    place = regions.get(code)
    if place is None:
        raise BadCell(column, f"not the KATO code of a region or city: {code}")
    return place


def _upsert(model: Any, counts: Counts, lookup: dict[str, Any], values: dict[str, Any]) -> Any:
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        counts.created += 1
        return model.objects.create(**lookup, **values)
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    if changed:
        for k in changed:
            setattr(obj, k, values[k])
        obj.save(update_fields=changed)
        counts.updated += 1
    else:
        counts.unchanged += 1
    return obj


class _Reader:
    def __init__(self, book: Any, programme: Programme, result: PlanImport) -> None:
        self.book = book
        self.programme = programme
        self.result = result
        self.regions = {
            p.kato: p for p in Place.objects.filter(kind__in=[Place.Kind.REGION, Place.Kind.CITY])
        }
        self.bodies = set(ResponsibleBody.objects.values_list("code", flat=True))
        self.directions = set(programme.directions.values_list("number", flat=True))
        self.indicators = set(programme.indicators.values_list("code", flat=True))
        self.definitions = {i.code for i in monitoring_indicators()}

    def parsed(self, sheet: str, parse: Any) -> list[Any]:
        good = []
        for number, row in read_rows(self.book, sheet, SHEETS[sheet], self.result.errors):
            try:
                good.append(parse(row))
            except BadCell as bad:
                self.result.errors.append(RowError(sheet, number, bad.column, bad.message))
        return good

    def body(self, row: dict[str, Any]) -> dict[str, Any]:
        code = _text(row, "code", 40)
        if not code.replace("-", "").replace("_", "").isalnum() or not code.isascii():
            raise BadCell("code", "letters, digits, - and _ only")
        values = {
            "name_kk": _text(row, "name_kk", 500),
            "name_ru": _text(row, "name_ru", 500),
            "name_en": _text(row, "name_en", 500),
            "region": _region(row, "region", self.regions),
        }
        self.bodies.add(code)
        return {"code": code, **values}

    def direction(self, row: dict[str, Any]) -> dict[str, Any]:
        number = cell_int(row, "number", 1, 99)
        self.directions.add(number)
        return {
            "number": number,
            "name_kk": _text(row, "name_kk", 500),
            "name_ru": _text(row, "name_ru", 500),
            "name_en": _text(row, "name_en", 500),
        }

    def _direction_ref(self, row: dict[str, Any], column: str) -> int | None:
        if row[column] is None:
            return None
        number = cell_int(row, column, 1, 99)
        if number not in self.directions:
            raise BadCell(column, f"no direction {number} in the directions sheet or the programme")
        return number

    def indicator(self, row: dict[str, Any]) -> dict[str, Any]:
        flag = str(row["higher_is_better"]).strip().lower()
        if flag not in YES | NO:
            raise BadCell("higher_is_better", f"yes or no, not {row['higher_is_better']!r}")
        code = _text(row, "code", 20)
        values = {
            "direction": self._direction_ref(row, "direction"),
            "name_kk": _text(row, "name_kk", 500),
            "name_ru": _text(row, "name_ru", 500),
            "name_en": _text(row, "name_en", 500),
            "unit": _text(row, "unit", 40),
            "higher_is_better": flag in YES,
            "baseline_year": cell_int(row, "baseline_year", 2000, 2100),
            "baseline_value": _decimal(row, "baseline_value"),
            "source": _text(row, "source", 300),
            "definition": self._definition(row),
        }
        self.indicators.add(code)
        return {"code": code, **values}

    def _definition(self, row: dict[str, Any]) -> str:
        code = _text(row, "definition", 80)
        if code and code not in self.definitions:
            raise BadCell("definition", f"no monitoring indicator {code}")
        return code

    def target(self, row: dict[str, Any]) -> dict[str, Any]:
        code = _text(row, "indicator", 20)
        if code not in self.indicators:
            raise BadCell(
                "indicator", f"no indicator {code} in the indicators sheet or the programme"
            )
        return {
            "indicator": code,
            "year": cell_int(row, "year", 2000, 2100),
            "region": _region(row, "region", self.regions),
            "value": _decimal(row, "value"),
        }

    def measure(self, row: dict[str, Any]) -> dict[str, Any]:
        codes = [c.strip() for c in str(row["responsible"]).split(";") if c.strip()]
        unknown = [c for c in codes if c not in self.bodies]
        if not codes or unknown:
            raise BadCell(
                "responsible",
                f"unknown bodies: {', '.join(unknown)}" if unknown else "name at least one body",
            )
        return {
            "number": cell_int(row, "number", 1, 9999),
            "direction": self._direction_ref(row, "direction"),
            "title_kk": _text(row, "title_kk", 5000),
            "title_ru": _text(row, "title_ru", 5000),
            "title_en": _text(row, "title_en", 5000),
            "responsible": sorted(set(codes)),
            "deadline": _date(row, "deadline"),
            "budget_line": _text(row, "budget_line", 200),
        }


def _duplicates(rows: list[dict[str, Any]], keys: Iterable[str], sheet: str) -> list[RowError]:
    seen: set[tuple[Any, ...]] = set()
    errors = []
    for row in rows:
        key = tuple(row[k] for k in keys)
        if key in seen:
            errors.append(RowError(sheet, 0, "-", f"the key {key} appears twice"))
        seen.add(key)
    return errors


def plan_import(
    *,
    source: Path | IO[bytes],
    programme_code: str,
    dry_run: bool = False,
    keep_good: bool = False,
) -> PlanImport:
    """Read, check and (unless a dry run, or any row is bad without `keep_good`) store."""
    result = PlanImport(programme=programme_code, dry_run=dry_run)
    programme = Programme.objects.filter(code=programme_code).first()
    if programme is None:
        result.errors.append(RowError("-", 0, "-", f"no programme {programme_code!r}"))
        return result
    try:
        book = load_workbook(source, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is no workbook
        result.errors.append(RowError("-", 0, "-", f"not an XLSX workbook: {error}"))
        return result
    reader = _Reader(book, programme, result)
    parsed = {
        "bodies": reader.parsed("bodies", reader.body),
        "directions": reader.parsed("directions", reader.direction),
        "indicators": reader.parsed("indicators", reader.indicator),
        "targets": reader.parsed("targets", reader.target),
        "measures": reader.parsed("measures", reader.measure),
    }
    book.close()
    for sheet, keys in (
        ("bodies", ["code"]),
        ("directions", ["number"]),
        ("indicators", ["code"]),
        ("targets", ["indicator", "year", "region"]),
        ("measures", ["number"]),
    ):
        result.errors += _duplicates(parsed[sheet], keys, sheet)
    if dry_run or (result.errors and not keep_good):
        return result
    with transaction.atomic():
        _store(programme, parsed, result)
    result.stored = True
    return result


def _store(
    programme: Programme, parsed: dict[str, list[dict[str, Any]]], result: PlanImport
) -> None:
    counts = result.counts = {sheet: Counts() for sheet in SHEETS}
    bodies = {}
    for row in parsed["bodies"]:
        code = row.pop("code")
        bodies[code] = _upsert(ResponsibleBody, counts["bodies"], {"code": code}, row)
    for row in parsed["directions"]:
        number = row.pop("number")
        _upsert(Direction, counts["directions"], {"programme": programme, "number": number}, row)
    directions = {d.number: d for d in programme.directions.all()}
    for row in parsed["indicators"]:
        code = row.pop("code")
        row["direction"] = directions.get(row["direction"])
        _upsert(Indicator, counts["indicators"], {"programme": programme, "code": code}, row)
    indicators = {i.code: i for i in programme.indicators.all()}
    for row in parsed["targets"]:
        lookup = {
            "indicator": indicators[row["indicator"]],
            "year": row["year"],
            "region": row["region"],
        }
        _upsert(IndicatorTarget, counts["targets"], lookup, {"value": row["value"]})
    bodies |= {b.code: b for b in ResponsibleBody.objects.exclude(code__in=bodies)}
    for row in parsed["measures"]:
        number = row.pop("number")
        responsible = row.pop("responsible")
        row["direction"] = directions[row["direction"]]
        before = Counts(**vars(counts["measures"]))
        measure = _upsert(
            Measure, counts["measures"], {"programme": programme, "number": number}, row
        )
        now = sorted(measure.bodies.values_list("code", flat=True))
        if now != responsible:
            measure.bodies.set([bodies[c] for c in responsible])
            if counts["measures"].unchanged > before.unchanged:
                counts["measures"].unchanged -= 1
                counts["measures"].updated += 1
