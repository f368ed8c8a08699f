"""The PostgreSQL server settings that decide Qorgau's speed, and advice on each.

Read by `qorgau check_postgres`; the reasons are in docs/operations.md. The figures
are for an OLTP load of short queries on a server of a few cores and GB.
"""

from dataclasses import dataclass

from django.db.backends.base.base import BaseDatabaseWrapper

NAMES = ("work_mem", "jit", "shared_buffers", "random_page_cost", "max_connections")
MB = 1024 * 1024


@dataclass(frozen=True)
class Finding:
    name: str
    value: str
    advice: str  # empty when the value is fine


def read_settings(connection: BaseDatabaseWrapper) -> dict[str, tuple[str, str]]:
    """name -> (setting, unit) as pg_settings gives them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, setting, coalesce(unit, '') FROM pg_settings WHERE name = ANY(%s)",
            [list(NAMES)],
        )
        return {name: (value, unit) for name, value, unit in cursor.fetchall()}


def _bytes(value: str, unit: str) -> int:
    """pg_settings gives memory in units such as "8kB" (pages) or "kB"."""
    factor = {"B": 1, "kB": 1024, "8kB": 8192, "MB": MB, "GB": 1024 * MB}[unit or "B"]
    return int(value) * factor


def findings(values: dict[str, tuple[str, str]], *, connections_needed: int) -> list[Finding]:
    result = []

    def add(name: str, shown: str, advice: str) -> None:
        result.append(Finding(name, shown, advice))

    work_mem = _bytes(*values["work_mem"])
    add(
        "work_mem",
        f"{work_mem // MB} MB",
        ""
        if work_mem >= 16 * MB
        else "set 16-64MB: the visible-set and statistics hashes spill to disk at 4MB",
    )
    jit = values["jit"][0]
    add(
        "jit",
        jit,
        "" if jit == "off" else "set off: compiling a plan costs ~50 ms, short queries gain none",
    )
    shared = _bytes(*values["shared_buffers"])
    add(
        "shared_buffers",
        f"{shared // MB} MB",
        ""
        if shared >= 512 * MB
        else "set about 25% of the server's memory (at least 512MB for a national registry)",
    )
    cost = float(values["random_page_cost"][0])
    add(
        "random_page_cost",
        values["random_page_cost"][0],
        "" if cost <= 1.5 else "set 1.1 on SSD storage: 4 makes the planner avoid indexes",
    )
    most = int(values["max_connections"][0])
    add(
        "max_connections",
        str(most),
        ""
        if most >= connections_needed
        else f"raise to at least {connections_needed} (app pools + replicas + maintenance), "
        "or put PgBouncer in front",
    )
    return result
