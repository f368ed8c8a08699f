"""The shape of every rollup table and the two ways they are written (ADR 0015).

`upsert` adds deltas to cells (the services' path); `insert_select` fills a table from
one SELECT (the rebuild's path: set-based, no row goes through Python).
"""

from collections.abc import Sequence
from typing import Any

from django.db import connection, models

from qorgau.cases.models import (
    CaseTally,
    ConcernTally,
    HoursTally,
    OpenCaseTally,
    PlanActionTally,
    PoliceTally,
    RegionTally,
    RepeatTally,
    ReportTally,
)

# model: (key columns, the unique cell's columns, counts)
SHAPES: dict[type[models.Model], tuple[list[str], list[str], list[str]]] = {
    ReportTally: (
        ["month", "region", "district_id", "reporter_type", "urgency", "concerns", "children"],
        ["month", "district_id", "reporter_type", "urgency", "concerns", "children"],
        ["reports", "screened", "screened_in_time"],
    ),
    RegionTally: (
        ["month", "region", "reporter_type"],
        ["month", "region", "reporter_type"],
        ["reports", "screened", "screened_in_time"],
    ),
    ConcernTally: (["month", "region", "concern"], ["month", "region", "concern"], ["reports"]),
    CaseTally: (["month", "region"], ["month", "region"], ["opened", "closed"]),
    HoursTally: (
        ["measure", "month", "region", "bucket"],
        ["measure", "month", "region", "bucket"],
        ["n"],
    ),
    OpenCaseTally: (["region", "risk_level"], ["region", "risk_level"], ["n"]),
    PlanActionTally: (["region", "due_date"], ["region", "due_date"], ["n"]),
    PoliceTally: (["region", "due_day"], ["region", "due_day"], ["sent", "in_time", "unsent"]),
    RepeatTally: (
        ["year", "month", "region", "latest"],
        ["year", "month", "region", "latest"],
        ["children", "again"],
    ),
}

Deltas = dict[type[models.Model], dict[tuple, list[int]]]


def upsert(model: type[models.Model], rows: list[tuple[tuple, tuple]]) -> None:
    """Add each row's deltas to its cell: INSERT ... ON CONFLICT DO UPDATE n = n + new n
    (PostgreSQL and SQLite alike), in key order so that two writers cannot deadlock."""
    if not rows:
        return
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    keys, conflict, counts = SHAPES[model]
    columns = ", ".join(qn(c) for c in [*keys, *counts])
    marks = ", ".join(["%s"] * (len(keys) + len(counts)))
    updates = ", ".join(f"{qn(c)} = {table}.{qn(c)} + EXCLUDED.{qn(c)}" for c in counts)
    sql = (
        f"INSERT INTO {table} ({columns}) VALUES ({marks}) "  # noqa: S608 (names from the model)
        f"ON CONFLICT ({', '.join(qn(c) for c in conflict)}) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        for key, deltas in sorted(rows):
            cursor.execute(sql, [*key, *deltas])


def apply(deltas: Deltas) -> None:
    # Tables in one fixed order (SHAPES'), cells in key order within each: two writers
    # take their row locks in the same order and cannot deadlock across tables either.
    for model in SHAPES:
        cells = deltas.get(model, {})
        upsert(model, [(k, tuple(v)) for k, v in cells.items() if any(v)])


def add(deltas: Deltas, model: type[models.Model], key: tuple, *counts: int) -> None:
    """Add counts to one cell's deltas."""
    cell = deltas.setdefault(model, {}).setdefault(key, [0] * len(counts))
    for i, n in enumerate(counts):
        cell[i] += n


def insert_select(
    model: type[models.Model], columns: list[str], select: str, params: Sequence[Any] = ()
) -> None:
    """INSERT INTO the model's table (columns) SELECT ...: one statement on the server."""
    qn = connection.ops.quote_name
    sql = f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(c) for c in columns)}) {select}"
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))


def table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)
