"""Benchmark: the cost of encryption at rest on loading and saving reports.

Usage: ``python bench/encryption_bench.py [--reports 2000] [--rounds 7]``

2,000 reports with synthetic narratives (Russian and Kazakh, 150-600 characters),
reporter names and contacts: three encrypted fields each. Timed, with encryption and
without it:

* load: ``list(Report.objects.all())`` and reading every narrative (decrypts three
  fields per row);
* bulk save: ``Report.objects.bulk_create`` of the 2,000;
* save one by one: ``report.save()`` for each, as the services do.

"Without" is the same model and the same queries with the field's encrypt/decrypt
replaced by the identity (the column then holds plaintext): the difference is the
cryptography alone. Modes alternate round by round; medians are reported. Each
database runs in its own process on a fresh test database: SQLite always,
PostgreSQL too when DATABASE_URL is set. The one-time key parsing at start-up is
timed too, against the per-field PBKDF2 derivation (100,000 iterations) of
django-fernet-encrypted-fields.

Results go to ``bench/results/encryption-<date>.md`` (and ``.json``).
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
from collections.abc import Callable
from pathlib import Path
from unittest import mock

from common import cpu_model, run_per_database

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"


def measure(n: int, rounds: int) -> dict[str, object]:
    """Run in a child process: one database, given by the environment."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qorgau.settings")
    sys.path.insert(0, str(ROOT / "tests"))
    import random

    import django

    django.setup()
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from personas import make_personas
    from qorgau.cases.models import Report
    from qorgau.demo import texts
    from qorgau.protection import keys

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    rng = random.Random(7)
    pool = [
        t for group in (texts.NARRATIVES_RU, texts.NARRATIVES_KK) for v in group.values() for t in v
    ]
    try:
        personas = make_personas()
        actor, place = personas.operator_111, personas.pavlodar_city
        now = timezone.now()

        def reports() -> list[Report]:
            return [
                Report(
                    received_at=now,
                    reporter_type="parent",
                    reporter_name=f"Синтетическая Мать {i}",
                    reporter_contact=f"+7 701 555 {i % 100:02d} {i % 97:02d}",
                    place=place,
                    narrative=" ".join(rng.sample(pool, 2))[: rng.randint(150, 600)],
                    urgency="routine",
                    screening_due_at=now,
                    created_by=actor,
                )
                for i in range(n)
            ]

        def clear() -> None:
            Report.objects.all()._raw_delete(Report.objects.db)  # type: ignore[attr-defined]

        def bulk_save() -> None:
            Report.objects.bulk_create(reports(), batch_size=500)

        def save_each() -> None:
            for report in reports():
                report.save()

        def load() -> None:
            assert sum(len(r.narrative) for r in Report.objects.all()) > n * 100

        def timed(step: Callable[[], None]) -> float:
            start = time.perf_counter()
            step()
            return time.perf_counter() - start

        plain = (
            mock.patch("qorgau.protection.fields.encrypt", lambda text: text),
            mock.patch("qorgau.protection.fields.decrypt", lambda text: text),
        )
        samples: dict[str, list[float]] = {}
        for round_ in range(rounds + 1):  # the first round warms up, not counted
            for mode in ("plain", "encrypted"):
                patches = plain if mode == "plain" else ()
                for p in patches:
                    p.start()
                try:
                    clear()
                    times = {"save_each": timed(save_each)}
                    clear()
                    times["bulk_save"] = timed(bulk_save)
                    times["load"] = timed(load)
                finally:
                    for p in patches:
                        p.stop()
                if round_:
                    for step, seconds in times.items():
                        samples.setdefault(f"{step}_{mode}", []).append(seconds * 1000)
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(Report._meta.db_table)
            cursor.execute(f"SELECT narrative FROM {table} LIMIT 1")  # noqa: S608
            stored = cursor.fetchone()[0]
        vendor = connection.vendor
        with connection.cursor() as cursor:
            cursor.execute(
                "SHOW server_version" if vendor == "postgresql" else "SELECT sqlite_version()"
            )
            version = cursor.fetchone()[0]
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    start = time.perf_counter()
    for _ in range(100):
        keys._parse_data_keys(settings.QORGAU_DATA_KEYS)
    parse_ms = (time.perf_counter() - start) / 100 * 1000
    start = time.perf_counter()
    PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=b"salt", iterations=100_000).derive(
        b"secret"
    )
    pbkdf2_ms = (time.perf_counter() - start) * 1000

    medians = {k: round(statistics.median(v), 1) for k, v in samples.items()}
    return {
        "database": f"{vendor} {version}",
        "reports": n,
        "rounds": rounds,
        "median_ms": medians,
        "ratio": {
            step: round(medians[f"{step}_encrypted"] / medians[f"{step}_plain"], 2)
            for step in ("load", "bulk_save", "save_each")
        },
        "samples_ms": {k: [round(x, 1) for x in v] for k, v in samples.items()},
        "key_parse_ms": round(parse_ms, 4),
        "pbkdf2_100k_ms": round(pbkdf2_ms, 1),
        "stored_prefix": stored[:12],  # written last in encrypted mode: a token
        "debug": settings.DEBUG,
    }


def _markdown(date: str, machine: dict[str, str], runs: list[dict]) -> str:
    r0 = runs[0]
    lines = [
        f"# Encryption at rest: cost on {r0['reports']:,} reports, {date}",
        "",
        f"Machine: {machine['cpu']} ({machine['cpus']} CPUs), {machine['system']}, "
        f"Python {machine['python']}, Django {machine['django']}, "
        f"cryptography {machine['cryptography']}.",
        "",
        f"{r0['reports']:,} reports, each with a narrative of 150-600 characters (Cyrillic), a",
        "reporter's name and contact: three encrypted fields. Median over "
        f"{r0['rounds']} alternating rounds (after one warm-up round), in milliseconds.",
        "",
        "| database | step | encrypted (ms) | plain (ms) | ratio | per report, extra (µs) "
        "| best encrypted / plain (ms) |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    names = {
        "load": "load all and read narratives",
        "bulk_save": "bulk_create",
        "save_each": "save() one by one",
    }
    for r in runs:
        m = r["median_ms"]
        for step, label in names.items():
            extra = (m[f"{step}_encrypted"] - m[f"{step}_plain"]) / r["reports"] * 1000
            best = {mode: min(r["samples_ms"][f"{step}_{mode}"]) for mode in ("encrypted", "plain")}
            lines.append(
                f"| {r['database']} | {label} | {m[f'{step}_encrypted']} "
                f"| {m[f'{step}_plain']} | {r['ratio'][step]} | {extra:.0f} "
                f"| {best['encrypted']} / {best['plain']} |"
            )
    lines += [
        "",
        "save() one by one also writes the field-history row (three more encrypted values).",
        "The machine is shared: the best round of each mode is given beside the median.",
        "",
        f"Keys: parsing QORGAU_DATA_KEYS once at start-up takes {r0['key_parse_ms']} ms; one",
        "PBKDF2 derivation of 100,000 iterations (django-fernet-encrypted-fields, per key",
        f"pair and per field) takes {r0['pbkdf2_100k_ms']} ms.",
        "",
        "Command: `PYTHONPATH=src .venv/bin/python bench/encryption_bench.py` "
        "(PostgreSQL too with DATABASE_URL set).",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--markdown", metavar="JSON", help="only rewrite the .md of a result")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.reports, args.rounds)))
        return
    if args.markdown:
        result = json.loads(Path(args.markdown).read_text())
        markdown = _markdown(result["date"], result["machine"], result["runs"])
        Path(args.markdown).with_suffix(".md").write_text(markdown)
        return

    import cryptography
    import django

    runs = run_per_database(__file__, sys.argv[1:])
    for run in runs:
        print(run["database"], run["median_ms"], run["ratio"])
    date = dt.datetime.now(dt.UTC).date().isoformat()
    machine = {
        "cpu": cpu_model(),
        "cpus": str(os.cpu_count()),
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "django": django.get_version(),
        "cryptography": cryptography.__version__,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"encryption-{date}.json").write_text(
        json.dumps({"date": date, "machine": machine, "runs": runs}, indent=2) + "\n"
    )
    (RESULTS / f"encryption-{date}.md").write_text(_markdown(date, machine, runs))
    print(f"written bench/results/encryption-{date}.md")


if __name__ == "__main__":
    main()
