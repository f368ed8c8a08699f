"""Benchmark: does the access log's hash chain serialise concurrent appends?

Usage (PostgreSQL only: the chain lock is an advisory lock there):
``DATABASE_URL=postgres://... python bench/audit_chain_bench.py [--appends 200]
[--threads 1,4,16] [--hold-ms 5]``

Each thread appends entries with `qorgau.audit.log.append`, each in its own
transaction (as the access gate does in a read-only request), and then again inside
a transaction that goes on for `--hold-ms` after the append (as a service that logs
and keeps writing does). The time each append waits for the chain lock is measured
separately. The database must be migrated; the entries stay in its log.

Results go to ``bench/results/audit-chain-<date>.md`` (and ``.json``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import threading
import time
from pathlib import Path

from common import cpu_model

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"


def run(threads: int, appends: int, hold_ms: float) -> dict[str, float]:
    from django.db import connection, transaction

    from qorgau.accounts.models import User
    from qorgau.audit import log

    actor = User.objects.get(username="bench.audit")
    waits: list[float] = []
    lock = log._lock_chain

    def timed_lock() -> None:
        started = time.perf_counter()
        lock()
        waits.append(time.perf_counter() - started)

    def worker() -> None:
        for _ in range(appends):
            if hold_ms:
                with transaction.atomic():
                    log.record(actor=actor, action="view", kind="child", record_id=1)
                    time.sleep(hold_ms / 1000)
            else:
                log.record(actor=actor, action="view", kind="child", record_id=1)
        connection.close()

    log._lock_chain = timed_lock
    try:
        pool = [threading.Thread(target=worker) for _ in range(threads)]
        started = time.perf_counter()
        for t in pool:
            t.start()
        for t in pool:
            t.join()
        elapsed = time.perf_counter() - started
    finally:
        log._lock_chain = lock
    total = threads * appends
    return {
        "threads": threads,
        "hold_ms": hold_ms,
        "appends": total,
        "seconds": round(elapsed, 3),
        "appends_per_s": round(total / elapsed, 1),
        "lock_wait_ms_p50": round(statistics.median(waits) * 1000, 2),
        "lock_wait_ms_p95": round(sorted(waits)[int(len(waits) * 0.95)] * 1000, 2),
        "lock_wait_share": round(sum(waits) / (elapsed * threads), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--appends", type=int, default=200, help="per thread")
    parser.add_argument("--threads", default="1,4,16")
    parser.add_argument("--hold-ms", type=float, default=5.0)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qorgau.settings")
    os.environ["DJANGO_DEBUG"] = "0"
    import django

    django.setup()
    from django.db import connection

    from qorgau.accounts.models import User

    if connection.vendor != "postgresql":
        sys.exit("PostgreSQL only: set DATABASE_URL")
    from qorgau.accounts.roles import Role

    User.objects.get_or_create(username="bench.audit", defaults={"role": Role.ADMINISTRATOR})
    rows = []
    for hold in (0.0, args.hold_ms):
        for threads in (int(t) for t in args.threads.split(",")):
            rows.append(run(threads, args.appends, hold))
            print(rows[-1], flush=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        server = cursor.fetchone()[0].split(" on ")[0]
    today = dt.datetime.now(dt.UTC).date().isoformat()
    RESULTS.mkdir(parents=True, exist_ok=True)
    meta = {
        "date": today,
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "server": server,
    }
    (RESULTS / f"audit-chain-{today}.json").write_text(
        json.dumps({"meta": meta, "rows": rows}, indent=2)
    )
    lines = [
        f"# Access log chain under concurrent appends, {today}",
        "",
        f"{meta['cpu']}, {meta['cores']} cores (shared), Python {meta['python']}, {server}.",
        "",
        "| threads | held after append | appends/s | lock wait p50 | p95 | share of time waiting |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['threads']} | {r['hold_ms']:g} ms | {r['appends_per_s']} | "
            f"{r['lock_wait_ms_p50']} ms | {r['lock_wait_ms_p95']} ms | "
            f"{r['lock_wait_share']:.0%} |"
        )
    (RESULTS / f"audit-chain-{today}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
