"""Raw access to encrypted columns, batch by batch: for migrations and key rotation.

Reads and writes the stored tokens themselves (the ORM would decrypt them), keyed by
primary key so a run can stop anywhere and resume. A row is only written if its
value is still the one read, so a user's save during the run is never overwritten.
"""

from collections.abc import Iterator, Sequence
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model


def filled_values(
    connection: BaseDatabaseWrapper, model: type[Model], column: str, *, batch_size: int
) -> Iterator[list[tuple[Any, str]]]:
    """(pk, stored value) of every non-empty value of `column`, in batches by pk."""
    q = connection.ops.quote_name
    table, pk = q(model._meta.db_table), q(model._meta.pk.column)
    col = q(column)
    # Identifiers come from model metadata, quoted; values are parameters.
    select = f"SELECT {pk}, {col} FROM {table} WHERE {col} IS NOT NULL AND {col} <> ''"  # noqa: S608
    last: Any = None
    while True:
        with connection.cursor() as cursor:
            if last is None:
                cursor.execute(f"{select} ORDER BY {pk} LIMIT %s", [batch_size])
            else:
                cursor.execute(f"{select} AND {pk} > %s ORDER BY {pk} LIMIT %s", [last, batch_size])
            rows = [(row[0], str(row[1])) for row in cursor.fetchall()]
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def replace_values(
    connection: BaseDatabaseWrapper,
    model: type[Model],
    column: str,
    changes: Sequence[tuple[Any, str, str | None]],
    *,
    extra: dict[str, list[Any]] | None = None,
) -> int:
    """Write (pk, old, new) where the value is still `old`; how many rows changed.

    `extra` sets other columns of the same rows too: column -> one value per change.
    """
    q = connection.ops.quote_name
    table, pk, col = q(model._meta.db_table), q(model._meta.pk.column), q(column)
    extra = extra or {}
    sets = ", ".join(f"{q(name)} = %s" for name in [column, *extra])
    sql = f"UPDATE {table} SET {sets} WHERE {pk} = %s AND {col} = %s"  # noqa: S608
    written = 0
    with connection.cursor() as cursor:
        for index, (key, old, new) in enumerate(changes):
            cursor.execute(sql, [new, *(v[index] for v in extra.values()), key, old])
            written += cursor.rowcount
    return written


def check_deferred_constraints(connection: BaseDatabaseWrapper) -> None:
    """Run PostgreSQL's deferred constraint checks now.

    Rows updated in a migration leave deferred foreign key checks pending, and
    PostgreSQL refuses to ALTER a table with pending checks: this lets a data step
    and schema steps share one migration, in both directions.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
