"""EXPLAIN ANALYZE of the queries the region keys are for, on a seeded database.

Usage::

    DATABASE_URL=postgres://.../qorgau_seed_1m python bench/region_keys_plans.py \\
        [--user caseworker.pavlodar] [--runs 5]

Runs, as the user, the name searches of issue 7 (a common first name alone, last and
first name, Latin, no match) and the screening queue of "my work" (its first page,
and the overdue items it lists), records every SQL statement they send, and prints
each statement's EXPLAIN (ANALYZE, BUFFERS): its execution time, the best of `--runs`,
and the rows it read from children and reports. Read-only: the session is made READ
ONLY and the access log is off, so it can run against a database it must not change
(main's code and this branch's both, as it calls only the public functions).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--user", default="caseworker.pavlodar")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--show-plans", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qorgau.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.QORGAU_AUDIT_ENABLED = False
    from qorgau.accounts.models import User
    from qorgau.cases.selectors import overdue_items, reports_to_screen
    from qorgau.search import child_search

    with connection.cursor() as cursor:
        cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
        cursor.execute("SET jit = off")
    user = User.objects.select_related("organisation__place").get(username=args.user)
    searches = {
        "common first name (Айгерим)": "Айгерим",
        "common first name (Иван)": "Иван",
        "last + first name": "Ахметова Айгерим",
        "Latin (aigerim)": "aigerim",
        "no match": "Щжфыв",
    }
    cases = {
        f"search, {name}": (lambda t=text: child_search(actor=user, text=t))
        for name, text in searches.items()
    }
    cases["my work: reports to screen (page 1)"] = lambda: list(reports_to_screen(actor=user)[:26])
    cases["my work: overdue items"] = lambda: overdue_items(actor=user)
    database = settings.DATABASES["default"]["NAME"]
    print(f"# {database}, user {args.user}, load {os.getloadavg()[0]:.1f}")
    for name, run in cases.items():
        statements: list[tuple[str, tuple]] = []

        def capture(execute, sql, params, many, context, statements=statements):
            statements.append((sql, params))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(capture):
            found = run()
        total = 0.0
        lines = []
        for sql, params in statements:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            if (
                "children_child" not in sql
                and "cases_report" not in sql
                and "cases_case" not in sql
            ):
                continue
            best = None
            with connection.cursor() as cursor:
                for _ in range(args.runs):
                    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}", params)
                    plan = cursor.fetchone()[0]
                    plan = json.loads(plan) if isinstance(plan, str) else plan
                    ms = plan[0]["Execution Time"]
                    if best is None or ms < best[0]:
                        best = (ms, plan)
            ms, plan = best
            total += ms
            read = _rows(plan[0]["Plan"])
            lines.append(f"  {ms:8.1f} ms  rows read {read}  {sql[:110]}")
            if args.show_plans:
                with connection.cursor() as cursor:
                    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
                    lines += ["      " + row[0] for row in cursor.fetchall()]
        print(f"{name}: {len(found)} found, SQL {total:.1f} ms")
        print("\n".join(lines))
    sys.stdout.flush()


def _rows(node: dict) -> dict[str, int]:
    """Rows each big table's scans returned or threw away (filter, recheck), x loops."""
    out: dict[str, int] = {}
    table = node.get("Relation Name")
    if table in ("children_child", "cases_report", "cases_case"):
        read = node["Actual Rows"] + node.get("Rows Removed by Filter", 0)
        read += node.get("Rows Removed by Index Recheck", 0)
        out[table] = out.get(table, 0) + int(read * node.get("Actual Loops", 1))
    for child in node.get("Plans", []):
        for key, value in _rows(child).items():
            out[key] = out.get(key, 0) + value
    return out


if __name__ == "__main__":
    main()
