"""A legacy register not yet in the registry, deduplicated before import (`qorgau link dedupe`).

The file (CSV in UTF-8, or the first sheet of an XLSX workbook) has exactly the columns
`COLUMNS`. Every row comes back out with `cluster_id` (records of one child share it)
and `match_probability` (of the best link that put the row in its cluster). A bad row
is never dropped silently: each problem names the row (as numbered in the file, the
header being row 1), the field and why. Rows without a usable `record_id` cannot be
compared and come out without a cluster; an unreadable date, sex or IIN is treated as
missing and the row is compared on the rest.

Nothing here touches the database: the same model as the registry's batch run
(`batch.score`, with its IIN and twin rules) scores the file's pairs.
"""

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pandas as pd

from qorgau.children.iin import InvalidIIN, parse_iin
from qorgau.linkage import batch

COLUMNS = (
    "record_id",
    "last_name",
    "first_name",
    "middle_name",
    "birth_date",
    "sex",
    "iin",
    "region",
    "district",
    "mother_name",
)
OUTPUT_COLUMNS = (*COLUMNS, "cluster_id", "match_probability")
PAIR_COLUMNS = (
    "record_id_l",
    "record_id_r",
    "match_probability",
    "match_weight",
    "maybe_twins",
    "linked",
)


class LegacyFileError(ValueError):
    """The file as a whole cannot be read (not CSV/XLSX, not UTF-8, wrong columns)."""


@dataclass(frozen=True)
class Problem:
    row: int  # as numbered in the file: the header is row 1
    field: str
    message: str
    compared: bool  # False: the row comes out without a cluster

    def __str__(self) -> str:
        outcome = "" if self.compared else " (row not compared)"
        return f"row {self.row}, {self.field}: {self.message}{outcome}"


@dataclass
class Legacy:
    rows: list[dict[str, str]]  # every data row as read, in file order
    numbers: list[int]  # each row's number in the file
    problems: list[Problem] = field(default_factory=list)
    # Index into `rows` -> the cleaned row the model compares.
    usable: dict[int, dict[str, Any]] = field(default_factory=dict)


@dataclass
class Deduplicated:
    cluster: dict[int, str]  # row index -> cluster_id (every usable row)
    probability: dict[int, float]  # row index -> best link into its cluster
    pairs: pd.DataFrame  # the scored pairs, with the twin/IIN rules applied


def read(path: Path) -> Legacy:
    """Read and check the file: one `Problem` per bad field, nothing dropped."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise LegacyFileError(f"{path.name} is not UTF-8 text: {exc}") from exc
        records: Iterable[list[str]] = csv.reader(io.StringIO(text, newline=""))
    elif suffix == ".xlsx":
        records = _xlsx_rows(path)
    else:
        raise LegacyFileError(f"{path.name}: give a .csv or .xlsx file")
    return check(records)


def _xlsx_rows(path: Path) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a non-workbook
        raise LegacyFileError(f"{path.name} is not an .xlsx workbook") from exc
    try:
        for values in book.worksheets[0].iter_rows(values_only=True):
            yield [_cell(v) for v in values]
    finally:
        book.close()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        # A spreadsheet keeps an IIN typed as a number without its leading zero.
        text = str(value)
        return text.zfill(12) if len(text) == 11 else text
    return str(value)


def check(records: Iterable[list[str]]) -> Legacy:
    """The rows of a file (header first) checked field by field."""
    lines = iter(records)
    header = [h.strip().lower() for h in next(lines, [])]
    missing = [c for c in COLUMNS if c not in header]
    unknown = [h for h in header if h and h not in COLUMNS]
    if missing or unknown:
        said = []
        if missing:
            said.append("missing columns: " + ", ".join(missing))
        if unknown:
            said.append("unknown columns: " + ", ".join(unknown))
        raise LegacyFileError(
            "row 1 (header): " + "; ".join(said) + ". The columns are: " + ",".join(COLUMNS)
        )
    legacy = Legacy(rows=[], numbers=[])
    seen: dict[str, int] = {}
    for number, values in enumerate(lines, start=2):
        if not any(v.strip() for v in values):
            continue  # a blank line is no record
        row = dict.fromkeys(COLUMNS, "")
        for name, value in zip(header, values, strict=False):
            if name in row:
                row[name] = value.strip()
        index = len(legacy.rows)
        legacy.rows.append(row)
        legacy.numbers.append(number)
        cleaned = _cleaned(row, number, legacy.problems)
        record_id = row["record_id"]
        if not record_id:
            legacy.problems.append(Problem(number, "record_id", "empty", compared=False))
        elif record_id in seen:
            message = f"{record_id!r} is also the record_id of row {seen[record_id]}"
            legacy.problems.append(Problem(number, "record_id", message, compared=False))
        else:
            seen[record_id] = number
            legacy.usable[index] = cleaned
    return legacy


def _cleaned(row: dict[str, str], number: int, problems: list[Problem]) -> dict[str, Any]:
    """The row as the model compares it; a field that cannot be read is missing."""
    cleaned: dict[str, Any] = dict(row)
    born = row["birth_date"]
    if born:
        try:
            cleaned["birth_date"] = dt.date.fromisoformat(born) if len(born) == 10 else None
        except ValueError:
            cleaned["birth_date"] = None
        if cleaned["birth_date"] is None:
            message = f"{born!r} is not a date as YYYY-MM-DD; compared without a date of birth"
            problems.append(Problem(number, "birth_date", message, compared=True))
    else:
        cleaned["birth_date"] = None
    sex = row["sex"].upper()
    cleaned["sex"] = sex if sex in ("M", "F") else None
    if sex and cleaned["sex"] is None:
        message = f"{row['sex']!r} is not M or F; compared without sex"
        problems.append(Problem(number, "sex", message, compared=True))
    iin = row["iin"]
    cleaned["iin"] = None
    if iin:
        try:
            parse_iin(iin)
        except InvalidIIN as exc:
            message = f"{iin!r}: {exc}; compared as if the IIN were missing"
            problems.append(Problem(number, "iin", message, compared=True))
        else:
            cleaned["iin"] = iin
    return cleaned


def dedupe(
    legacy: Legacy,
    *,
    threshold: float = batch.DEFAULT.high,
    registry: pd.DataFrame | None = None,
    model: dict[str, Any] | None = None,
) -> Deduplicated:
    """Score the file's pairs with the registry's model and cluster from `threshold` up.

    Pairs the rules keep apart (two IINs, possible twins) never join a cluster. The
    model is trained on the file itself, or is `model` (the last registry run's). With
    `registry` (`batch.prepared` rows of the registry) too, the file's rows are also
    linked to registered children: a cluster with a link from `threshold` up is named
    `child:<id>` after the registered child.
    """
    ids = {index: row["record_id"] for index, row in legacy.usable.items()}
    by_id = {record_id: index for index, record_id in ids.items()}
    frame = batch.prepared(
        {**row, "kato": ""} for row in (legacy.usable[i] for i in sorted(legacy.usable))
    )
    thresholds = batch.Thresholds(review=min(0.5, threshold), high=threshold)
    if len(frame) < 2:
        pairs = batch.apply_rules(pd.DataFrame())
    elif model is not None:
        pairs = batch.rescore(frame, model, thresholds=thresholds)
    else:
        pairs = batch.score(frame, thresholds=thresholds).pairs
    parent = {index: index for index in ids}

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    best: dict[int, float] = {}
    linked = []
    for pair in pairs.itertuples(index=False):
        joins = pair.match_probability >= threshold and not pair.maybe_twins
        linked.append(joins)
        if not joins:
            continue
        left, right = by_id[str(pair.unique_id_l)], by_id[str(pair.unique_id_r)]
        for side in (left, right):
            best[side] = max(best.get(side, 0.0), float(pair.match_probability))
        a, b = root(left), root(right)
        if a != b:
            parent[max(a, b)] = min(a, b)  # the cluster is named by its first row
    pairs = pairs.assign(linked=pd.Series(linked, index=pairs.index, dtype=bool))
    cluster = {index: ids[root(index)] for index in sorted(ids)}
    known = (
        batch.link(frame, registry, model, thresholds=thresholds)
        if registry is not None and model is not None and len(frame) and len(registry)
        else pd.DataFrame()
    )
    if not known.empty:
        joined = (known.match_probability >= threshold) & ~known.maybe_twins
        known = known.assign(linked=joined, unique_id_r="child:" + known["unique_id_r"].astype(str))
        named: dict[int, tuple[float, str]] = {}  # cluster root -> best registered child
        for pair in known[joined].itertuples(index=False):
            index, probability = by_id[str(pair.unique_id_l)], float(pair.match_probability)
            best[index] = max(best.get(index, 0.0), probability)
            found = (probability, str(pair.unique_id_r))
            named[root(index)] = max(named.get(root(index), (0.0, "")), found)
        cluster = {
            index: named[root(index)][1] if root(index) in named else name
            for index, name in cluster.items()
        }
        pairs = pd.concat([pairs, known], ignore_index=True)
    return Deduplicated(cluster=cluster, probability=best, pairs=pairs)


def write(legacy: Legacy, result: Deduplicated, out: IO[str]) -> None:
    """Every input row, in file order, with its cluster and the best link's probability."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(OUTPUT_COLUMNS)
    for index, row in enumerate(legacy.rows):
        probability = result.probability.get(index)
        writer.writerow(
            [
                *(row[c] for c in COLUMNS),
                result.cluster.get(index, ""),
                "" if probability is None else f"{probability:.6f}",
            ]
        )


def write_pairs(result: Deduplicated, out: IO[str]) -> None:
    """Each scored pair with its match weight, and each comparison's weight (log2 BF)."""
    pairs = result.pairs
    # splink 5 gives each comparison's match weight (log2 Bayes factor) as mw_<name>.
    fields = sorted(
        c[3:] for c in pairs.columns if c.startswith("mw_") and not c.startswith("mw_tf_")
    )
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*PAIR_COLUMNS, *(f"weight_{f}" for f in fields)])
    if pairs.empty:
        return
    for pair in pairs.sort_values("match_probability", ascending=False).to_dict("records"):
        writer.writerow(
            [
                pair["unique_id_l"],
                pair["unique_id_r"],
                f"{pair['match_probability']:.6f}",
                f"{pair['match_weight']:.3f}",
                int(bool(pair["maybe_twins"])),
                int(bool(pair["linked"])),
                *(_weight(pair.get(f"mw_{f}")) for f in fields),
            ]
        )


def _weight(value: object) -> str:
    if not isinstance(value, int | float) or value != value:  # missing, or NaN
        return ""
    return f"{value:.3f}"
