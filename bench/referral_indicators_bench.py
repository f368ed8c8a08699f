"""Benchmark: the referral indicators page's figures (referrals.boards.build).

Usage: ``python bench/referral_indicators_bench.py [--rounds 5] [--referrals N]`` on a
database with the demo (``qorgau migrate && qorgau demo``); ``DATABASE_URL`` picks
PostgreSQL. ``--referrals N`` first copies the demo's referrals until the table holds
N rows (same cases, children, providers; sent over the last year), to see the cost
grow with the country; ``--cleanup`` deletes the copies afterwards.

For each scope (the country, region 55, a district of region 55): the median wall time
of building the page's three tables, the number of queries, and the sum of their
``EXPLAIN ANALYZE`` execution times on PostgreSQL. Results go to
``bench/results/referral-indicators-<date>.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import statistics
import sys
import time
from pathlib import Path

from common import cpu_model

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qorgau.settings")

COPY_MARK = "bench-copy"


def _copy_referrals(target: int) -> int:
    from django.utils import timezone

    from qorgau.referrals.models import Referral

    base = list(Referral.objects.exclude(decline_reason=COPY_MARK))
    if not base:
        sys.exit("no referrals: run `qorgau demo` first")
    have = Referral.objects.count()
    now = timezone.now()
    batch = []
    i = 0
    while have + len(batch) < target:
        r = base[i % len(base)]
        i += 1
        sent = now - dt.timedelta(hours=(i * 7) % (365 * 24))
        answered = sent + dt.timedelta(hours=i % 97) if r.answered_at else None
        batch.append(
            Referral(
                case_id=r.case_id,
                child_id=r.child_id,
                provider_id=r.provider_id,
                service_id=r.service_id,
                status=r.status,
                consent_basis=r.consent_basis,
                caregiver_consent=True,
                legal_ground=r.legal_ground,
                reason="x",
                sent_by_id=r.sent_by_id,
                sent_at=sent,
                accept_due_at=sent,
                answered_at=answered,
                decline_reason=COPY_MARK,
                withdraw_reason="x" if r.status == "withdrawn" else "",
            )
        )
        if len(batch) == 5000:
            Referral.objects.bulk_create(batch)
            have += len(batch)
            batch = []
    Referral.objects.bulk_create(batch)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # the planner's estimates, as autovacuum would
            cursor.execute("ANALYZE referrals_referral")
    return Referral.objects.count()


def _explained_ms(queries: list[dict]) -> float | None:
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    total = 0.0
    with connection.cursor() as cursor:
        for q in queries:
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT TEXT) {q['sql']}")
            text = "\n".join(row[0] for row in cursor.fetchall())
            found = re.search(r"Execution Time: ([0-9.]+) ms", text)
            total += float(found.group(1)) if found else 0.0
    return total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--referrals", type=int, default=0)
    parser.add_argument("--cleanup", action="store_true")
    args = parser.parse_args()
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone, translation

    from qorgau.places.models import Place
    from qorgau.referrals import boards
    from qorgau.referrals.models import Referral

    translation.activate("ru")
    rows = _copy_referrals(args.referrals) if args.referrals else Referral.objects.count()
    district = (
        Place.objects.filter(kato__startswith="55", kind=Place.Kind.DISTRICT)
        .order_by("kato")
        .first()
    )
    scopes = [("country", ""), ("region 55", "55")]
    if district is not None:
        scopes.append((f"district {district.kato[:4]}", district.kato[:4]))
    year = timezone.localdate().year
    lines = []
    for label, scope in scopes:
        times = []
        for _ in range(args.rounds):
            start = time.perf_counter()
            boards.build(scope=scope, year=year)
            times.append(time.perf_counter() - start)
        with CaptureQueriesContext(connection) as captured:
            boards.build(scope=scope, year=year)
        sql = _explained_ms(captured.captured_queries)
        lines.append(
            f"| {label} | {statistics.median(times) * 1000:.0f} ms | "
            f"{len(captured.captured_queries)} | "
            f"{'–' if sql is None else f'{sql:.0f} ms'} |"
        )
    if args.cleanup:
        Referral.objects.filter(decline_reason=COPY_MARK).delete()
    load = os.getloadavg()
    report = "\n".join(
        [
            f"# Referral indicators page ({timezone.localdate()})",
            "",
            f"Machine: {platform.node()}, {cpu_model()}, {os.cpu_count()} cores; load "
            f"average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}; database "
            f"{connection.vendor}; {rows} referrals; median of {args.rounds} rounds.",
            "",
            "| scope | wall (median) | queries | SQL (EXPLAIN ANALYZE sum) |",
            "|---|---|---|---|",
            *lines,
            "",
        ]
    )
    out = Path(__file__).parent / "results" / f"referral-indicators-{timezone.localdate()}.md"
    out.write_text(report, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()
