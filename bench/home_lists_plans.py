"""Query plans of the home page's lists and the supervisors' queues (issue 8).

Usage, on PostgreSQL with seeded data (``qorgau seed --children N``)::

    DATABASE_URL=postgres://... python bench/home_lists_plans.py [--out FILE.md]

For the busiest caseworker (most open cases), their supervisor, the reporter with the
most reports and a provider's staff member, each page is rendered once through its
view and every query it sent is run again under ``EXPLAIN (ANALYZE, BUFFERS)``. The
report names, per page: the number of queries, any COUNT over the case tables (there
must be none: django-tables2's LazyPaginator reads a page and one row more), the
slowest query, its execution time and whether it scanned a big table sequentially.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
from pathlib import Path

from common import cpu_model

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qorgau.settings")

BIG = ("cases_case", "cases_report", "cases_planaction", "referrals_referral", "cases_transfer")
_COUNT = re.compile(r"COUNT\(", re.I)


def _plan_nodes(plan: dict) -> list[dict]:
    nodes = [plan]
    for child in plan.get("Plans", []):
        nodes.extend(_plan_nodes(child))
    return nodes


def _explain(cursor, sql: str) -> tuple[float, list[str]]:
    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}")
    result = cursor.fetchone()[0]
    top = result[0] if isinstance(result, list) else json.loads(result)[0]
    seq = sorted(
        {
            node["Relation Name"]
            for node in _plan_nodes(top["Plan"])
            if node["Node Type"] == "Seq Scan" and node.get("Relation Name") in BIG
        }
    )
    return float(top["Execution Time"]), seq


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    import django

    django.setup()
    from django.contrib.sessions.backends.cache import SessionStore
    from django.db import connection
    from django.db.models import Count
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext
    from django_htmx.middleware import HtmxDetails

    from qorgau.accounts.models import User
    from qorgau.accounts.roles import Role
    from qorgau.cases.models import Case, Report
    from qorgau.web.views import home, reports

    if connection.vendor != "postgresql":
        sys.exit("run on PostgreSQL (DATABASE_URL): the plans are PostgreSQL's")
    busiest = (
        Case.objects.exclude(status="closed")
        .values("worker_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    if busiest is None:
        sys.exit("no open cases: seed the database first")
    worker = User.objects.get(pk=busiest["worker_id"])
    supervisor = (
        worker.supervisor
        or User.objects.filter(organisation=worker.organisation, role=Role.SUPERVISOR).first()
    )
    top_reporter = (
        Report.objects.filter(created_by__role__in=[Role.SCHOOL_REPORTER, Role.OPERATOR_111])
        .values("created_by_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    reporter = User.objects.get(pk=top_reporter["created_by_id"]) if top_reporter else None
    provider = User.objects.filter(role=Role.SERVICE_PROVIDER, is_active=True).first()

    pages = [
        ("caseworker: my work", worker, home.my_work, "/"),
        (
            "caseworker: my work, cases sorted by opening",
            worker,
            home.my_work,
            "/?cases-sort=-reference",
        ),
        (
            "caseworker: my work, overdue plan actions only",
            worker,
            home.my_work,
            "/?overdue-kind=action",
        ),
        ("supervisor: my work", supervisor, home.my_work, "/"),
        ("supervisor: approvals", supervisor, home.approvals, "/approvals/"),
        (
            "supervisor: approvals, plans only",
            supervisor,
            home.approvals,
            "/approvals/?approvals-waiting=plan",
        ),
        (
            "supervisor: risk overrides",
            supervisor,
            home.risk_overrides,
            "/approvals/risk-overrides/",
        ),
        (
            "supervisor: screened-out reviews",
            supervisor,
            reports.screen_out_reviews,
            "/reports/screened-out/",
        ),
        ("reporter: my reports", reporter, home.my_work, "/"),
        ("provider: referrals", provider, home.my_work, "/"),
    ]
    factory = RequestFactory()
    rows = []
    slow: list[tuple[str, float, str]] = []
    for label, user, view, path in pages:
        if user is None:
            rows.append((label, "-", "-", "-", "-", "no such user in the data"))
            continue
        request = factory.get(path)
        request.user = user
        user.is_verified = lambda: True  # type: ignore[attr-defined]
        request.session = SessionStore()
        request.htmx = HtmxDetails(request)  # type: ignore[attr-defined]
        with CaptureQueriesContext(connection) as captured:
            response = view(request)
        assert response.status_code == 200, (label, response.status_code)
        selects = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")]
        counts = [sql for sql in selects if _COUNT.search(sql) and any(t in sql for t in BIG)]
        timings = []
        with connection.cursor() as cursor:
            for sql in selects:
                if not any(t in sql for t in BIG):
                    continue
                ms, seq = _explain(cursor, sql)
                timings.append((ms, seq, sql))
        total = sum(t[0] for t in timings)
        slowest = max(timings, default=(0.0, [], ""))
        seq_tables = sorted({table for t in timings for table in t[1]})
        slow.append((label, slowest[0], " ".join(slowest[2].split())[:160]))
        rows.append(
            (
                label,
                str(len(captured.captured_queries)),
                str(len(counts)),
                f"{total:.1f}",
                f"{slowest[0]:.1f}",
                ", ".join(seq_tables) or "none",
            )
        )
    children = connection.cursor()
    children.execute("SELECT count(*) FROM children_child")
    n_children = children.fetchone()[0]
    children.execute("SELECT count(*) FROM cases_case")
    n_cases = children.fetchone()[0]
    children.execute("SELECT count(*) FROM cases_report")
    n_reports = children.fetchone()[0]
    load = os.getloadavg()
    today = dt.datetime.now(dt.UTC).date().isoformat()
    lines = [
        f"# Home lists: query plans, {today}",
        "",
        f"Machine: {cpu_model()}, {os.cpu_count()} cores (shared), load average "
        f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}; PostgreSQL "
        f"{connection.pg_version // 10000}; {n_children:,} children, {n_reports:,} reports, "
        f"{n_cases:,} cases. Caseworker {worker.username} ({busiest['n']} open cases), "
        f"supervisor {supervisor.username if supervisor else '-'}.",
        "",
        "| page | queries | COUNTs over case tables | SQL on case tables (ms, EXPLAIN ANALYZE) "
        "| slowest query (ms) | sequential scans of big tables |",
        "|---|---|---|---|---|---|",
        *(f"| {' | '.join(row)} |" for row in rows),
        "",
        "The slowest query of each page (its start):",
        "",
        *(f"- {label}: {ms:.1f} ms, `{sql}`" for label, ms, sql in slow),
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if args.out:
        Path(args.out).write_text(text)


if __name__ == "__main__":
    main()
