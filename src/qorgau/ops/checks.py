"""`qorgau check --deploy --database default`: warns of PostgreSQL settings that slow
every page (jit on, a tiny work_mem). `qorgau check_postgres` gives the full advice.

A database check, as Django's own: it runs only for the databases named with
`--database`, and says nothing of a database that is not PostgreSQL or not reachable
(the check command must not fail because the server is down: that is another alarm).
"""

from collections.abc import Sequence
from typing import Any

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError, connections

from qorgau.ops.postgres import findings, read_settings

CHECKED = ("jit", "work_mem")  # the two that cost every request; the rest is sizing


@register(Tags.database, deploy=True)
def postgres_settings(
    app_configs: Any = None, databases: Sequence[str] | None = None, **kwargs: Any
) -> list[Warning]:
    warnings = []
    for alias in databases or ():
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        try:
            values = read_settings(connection)
        except DatabaseError:
            continue
        for item in findings(values, connections_needed=0):
            if item.name in CHECKED and item.advice:
                warnings.append(
                    Warning(
                        f"PostgreSQL {item.name} = {item.value} on database '{alias}'",
                        hint=f"{item.advice} (docs/operations.md; qorgau check_postgres)",
                        id=f"qorgau.ops.W00{CHECKED.index(item.name) + 1}",
                    )
                )
    return warnings
