"""Benchmark: the cost of the access log on the case page.

Usage: ``python bench/audit_bench.py [--requests 200] [--rounds 5] [--prefill 5000]``

A logged-in caseworker opens the case page with the Django test client, with access
logging on and off (QORGAU_AUDIT_ENABLED, which exists for this comparison only),
in alternating rounds so drift in the machine hits both alike. The log is first
filled with ``--prefill`` entries, so appending is measured on a chain that is not
empty. Each database runs in its own process on a fresh test database: SQLite
always, PostgreSQL too when DATABASE_URL is set.

Results go to ``bench/results/audit-<date>.md`` (and ``.json``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

from common import cpu_model, run_per_database

BLOCK = 10  # requests per timed block
ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"


def measure(requests: int, rounds: int, prefill: int) -> dict[str, object]:
    """Run in a child process: one database, given by the environment."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qorgau.settings")
    sys.path.insert(0, str(ROOT / "tests"))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from personas import make_case, make_personas
    from qorgau.audit.context import system_job
    from qorgau.audit.log import record
    from qorgau.audit.models import AccessLogEntry

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        personas = make_personas()
        worker = personas.caseworker_pavlodar
        case = make_case(worker=worker, supervisor=personas.supervisor_pavlodar)
        with system_job("bench-prefill"):
            for _ in range(prefill):
                record(actor=worker, action="view", kind="case", record_id=case.pk)

        client = Client()
        client.force_login(worker)
        device = TOTPDevice.objects.create(user=worker, name="bench", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        url = reverse("case-detail", args=[case.pk])

        def timed(enabled: bool, count: int) -> float:
            with override_settings(QORGAU_AUDIT_ENABLED=enabled):
                start = time.perf_counter()
                for _ in range(count):
                    response = client.get(url)
                    assert response.status_code == 200, response.status_code
                return (time.perf_counter() - start) / count * 1000

        timed(True, BLOCK), timed(False, BLOCK)  # warm-up: templates, translations
        # Short alternating blocks: a load spike on a shared machine hits one block of
        # each setting at most, and the median over many blocks ignores it.
        samples: dict[str, list[float]] = {"on": [], "off": []}
        for _ in range(rounds * max(1, requests // BLOCK)):
            samples["on"].append(timed(True, BLOCK))
            samples["off"].append(timed(False, BLOCK))
        entries = AccessLogEntry.objects.count()
        vendor = connection.vendor
        with connection.cursor() as cursor:
            if vendor == "postgresql":
                cursor.execute("SHOW server_version")
            else:
                cursor.execute("SELECT sqlite_version()")
            version = cursor.fetchone()[0]
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    on, off = statistics.median(samples["on"]), statistics.median(samples["off"])
    return {
        "database": f"{vendor} {version}",
        "requests_per_round": requests,
        "rounds": rounds,
        "prefill": prefill,
        "log_entries_at_end": entries,
        "ms_per_request_on": round(on, 3),
        "ms_per_request_off": round(off, 3),
        "overhead_ms": round(on - off, 3),
        "ratio": round(on / off, 3),
        "best_block_ms_on": round(min(samples["on"]), 3),
        "best_block_ms_off": round(min(samples["off"]), 3),
        "samples_ms": {k: [round(v, 3) for v in vs] for k, vs in samples.items()},
        "debug": settings.DEBUG,
    }


def _markdown(date: str, machine: dict[str, str], runs: list[dict]) -> str:
    lines = [
        f"# Access log overhead on the case page, {date}",
        "",
        f"Machine: {machine['cpu']} ({machine['cpus']} CPUs), {machine['system']}, "
        f"Python {machine['python']}, Django {machine['django']}.",
        "",
        "Time per GET of the case page (Django test client, logged-in caseworker, whole",
        f"middleware stack), access logging on and off, in alternating blocks of {BLOCK} requests:",
        "median and best block mean.",
        "",
        "| database | on, median (ms) | off, median (ms) | overhead (ms) | ratio "
        "| best on / off (ms) | log entries |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in runs:
        lines.append(
            f"| {r['database']} | {r['ms_per_request_on']} | {r['ms_per_request_off']} "
            f"| {r['overhead_ms']} | {r['ratio']} "
            f"| {r['best_block_ms_on']} / {r['best_block_ms_off']} | {r['log_entries_at_end']} |"
        )
    r0 = runs[0]
    lines += [
        "",
        f"{r0['rounds']} x {r0['requests_per_round']} requests per setting; "
        f"the chain was prefilled with {r0['prefill']} entries.",
        "Command: `python bench/audit_bench.py` (PostgreSQL with DATABASE_URL set).",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--prefill", type=int, default=5000)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.requests, args.rounds, args.prefill)))
        return

    import django

    runs = run_per_database(__file__, sys.argv[1:])
    for run in runs:
        print(run["database"], run["ms_per_request_on"], run["ms_per_request_off"], run["ratio"])
    date = dt.datetime.now(dt.UTC).date().isoformat()
    machine = {
        "cpu": cpu_model(),
        "cpus": str(os.cpu_count()),
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "django": django.get_version(),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"audit-{date}.json").write_text(
        json.dumps({"date": date, "machine": machine, "runs": runs}, indent=2) + "\n"
    )
    (RESULTS / f"audit-{date}.md").write_text(_markdown(date, machine, runs))
    print(f"written bench/results/audit-{date}.md")


if __name__ == "__main__":
    main()
