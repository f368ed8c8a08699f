"""Benchmark: do concurrent appends to the access log serialise, and what does sealing cost?

Usage (PostgreSQL only: the sealer's lock is an advisory lock there):
``DATABASE_URL=postgres://... python bench/audit_chain_bench.py [--appends 200]
[--threads 1,4,16] [--hold-ms 5]``

Each thread appends entries with `qorgau.audit.log.record`, each in its own
transaction (as the access gate does in a read-only request), and then again inside
a transaction that goes on for `--hold-ms` after the append (as a service that logs
and keeps writing does). Appends are plain inserts since ADR 0009; after each run the
entries it appended are sealed into the chain by `qorgau.audit.log.seal`, timed on
its own. The database must be migrated; the entries stay in its log.

Results go to ``bench/results/audit-chain-sealed-<date>.md`` (and ``.json``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
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
    log.seal()  # start from a sealed log: the seal below times this run's entries only

    def worker() -> None:
        for _ in range(appends):
            if hold_ms:
                with transaction.atomic():
                    log.record(actor=actor, action="view", kind="child", record_id=1)
                    time.sleep(hold_ms / 1000)
            else:
                log.record(actor=actor, action="view", kind="child", record_id=1)
        connection.close()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    started = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - started
    sealing = time.perf_counter()
    sealed = log.seal()
    seal_seconds = time.perf_counter() - sealing
    total = threads * appends
    assert sealed == total, (sealed, total)
    return {
        "threads": threads,
        "hold_ms": hold_ms,
        "appends": total,
        "seconds": round(elapsed, 3),
        "appends_per_s": round(total / elapsed, 1),
        "seal_seconds": round(seal_seconds, 3),
        "sealed_per_s": round(total / seal_seconds, 1),
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
    load_average = " ".join(f"{x:.2f}" for x in os.getloadavg())
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
        "load_average": load_average,
    }
    (RESULTS / f"audit-chain-sealed-{today}.json").write_text(
        json.dumps({"meta": meta, "rows": rows}, indent=2)
    )
    lines = [
        f"# Access log under concurrent appends, sealed in batches (ADR 0009), {today}",
        "",
        f"{meta['cpu']}, {meta['cores']} cores (shared), Python {meta['python']}, {server}.",
        "",
        f"Load average before the run: {meta['load_average']}.",
        "",
        "| threads | held after append | appends/s | sealed afterwards in | sealed/s |",
        "|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['threads']} | {r['hold_ms']:g} ms | {r['appends_per_s']} | "
            f"{r['seal_seconds']} s | {r['sealed_per_s']} |"
        )
    (RESULTS / f"audit-chain-sealed-{today}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
