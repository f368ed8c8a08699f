"""Benchmark: candidate lookup at intake, and the batch linkage run (issue 10).

Usage::

    DATABASE_URL=postgres://.../qorgau_linkage_100k python bench/linkage_bench.py \\
        [--lookups 300] [--batch] [--user caseworker.pavlodar]

On a registry built by `qorgau seed --children N` (synthetic), draws `--lookups`
registered children and looks each up as a caseworker would type them at intake:
as registered, in Latin letters, with a typo and without a date of birth, with first
and last name swapped. Each is one call of `linkage.selectors.intake_candidates`
(the blocking queries on PostgreSQL, rapidfuzz scoring, the visibility check and the
access-log entry): p50/p95/max, and how often the registered child was among the
candidates. On a database that must stay read-only (the shared 1M seed), run with
``QORGAU_BENCH_AUDIT_OFF=1``: the access-log INSERT is then left out of each call.
`--batch` also runs `qorgau link run` in this process: wall time and peak RSS.
Results: ``bench/results/linkage-<date>-<database>.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path

from common import cpu_model

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qorgau.settings")


def _variants(child, rng):  # type: ignore[no-untyped-def]
    from qorgau.linkage.scoring import Entered
    from qorgau.linkage.synthetic import latin

    kato = child.place.kato
    yield (
        "as registered",
        Entered(
            last_name=child.last_name,
            first_name=child.first_name,
            middle_name=child.middle_name,
            birth_date=child.birth_date,
            kato=kato,
        ),
    )
    yield (
        "Latin",
        Entered(
            last_name=latin(child.last_name),
            first_name=latin(child.first_name),
            birth_date=child.birth_date,
            kato=kato,
        ),
    )
    name = child.first_name
    typo = name[:2] + name[3:] if len(name) > 3 else name
    yield "typo, no date", Entered(last_name=child.last_name, first_name=typo, kato=kato)
    yield (
        "swapped",
        Entered(
            last_name=child.first_name, first_name=child.last_name, birth_date=child.birth_date
        ),
    )


def synthetic_quality(size: int, seed: int) -> dict[str, object]:
    """The batch model on a synthetic Kazakh registry with known truth: time, peak RSS,
    pairwise precision/recall/F1 at each threshold, the review queue, twins merged."""
    import django

    django.setup()
    from collections import Counter

    from qorgau.linkage import batch, synthetic

    rows = list(synthetic.registry(size, seed=seed))
    truth = {r["record_id"]: r["truth"] for r in rows}
    family = {r["record_id"]: r["family"] for r in rows}
    started = time.perf_counter()
    scored = batch.score(batch.prepared(rows))
    seconds = time.perf_counter() - started
    positives = sum(n * (n - 1) // 2 for n in Counter(truth.values()).values())
    pairs = scored.pairs
    result: dict[str, object] = {
        "date": dt.datetime.now(dt.UTC).date().isoformat(),
        "machine": f"{cpu_model()}, {os.cpu_count()} cores (shared), load {os.getloadavg()[0]:.1f}",
        "records": len(rows),
        "true_pairs": positives,
        "seconds": round(seconds, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "thresholds": {},
    }
    for threshold in (0.5, 0.9, 0.99):
        chosen = pairs[(pairs.match_probability >= threshold) & ~pairs.maybe_twins]
        same = [
            truth[a] == truth[b]
            for a, b in zip(chosen.unique_id_l, chosen.unique_id_r, strict=True)
        ]
        tp = sum(same)
        precision, recall = tp / max(len(same), 1), tp / positives
        result["thresholds"][str(threshold)] = {  # type: ignore[index]
            "pairs": len(same),
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(2 * precision * recall / max(precision + recall, 1e-9), 4),
        }
    high = batch.DEFAULT.high
    proposed = pairs[(pairs.match_probability >= high) & ~pairs.maybe_twins]
    result["review_queue"] = int(len(pairs) - len(proposed))
    result["twin_pairs_proposed"] = sum(
        family[a] == family[b] and truth[a] != truth[b]
        for a, b in zip(proposed.unique_id_l, proposed.unique_id_r, strict=True)
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lookups", type=int, default=300)
    parser.add_argument("--user", default="caseworker.pavlodar")
    parser.add_argument("--batch", action="store_true")
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--synthetic", type=int, default=0, help="model quality at this size")
    args = parser.parse_args()
    if args.synthetic:
        print(json.dumps(synthetic_quality(args.synthetic, args.seed), ensure_ascii=False))
        return

    import django

    django.setup()
    from django.db import connection

    from qorgau.accounts.models import User
    from qorgau.children.models import Child
    from qorgau.linkage.selectors import intake_candidates

    actor = User.objects.get(username=args.user)
    total = Child.objects.count()
    rng = random.Random(args.seed)
    top = Child.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ids = [rng.randint(1, top) for _ in range(args.lookups * 2)]
    children = list(Child.objects.filter(pk__in=ids).select_related("place")[: args.lookups])
    timings: dict[str, list[float]] = {}
    found: dict[str, int] = {}
    for child in children:
        for kind, entered in _variants(child, rng):
            started = time.perf_counter()
            candidates = intake_candidates(actor=actor, entered=entered)
            timings.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
            found[kind] = found.get(kind, 0) + any(c.child.pk == child.pk for c in candidates)
    every = sorted(t for ts in timings.values() for t in ts)

    def p(values: list[float], q: float) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    result: dict[str, object] = {
        "date": dt.datetime.now(dt.UTC).date().isoformat(),
        "machine": f"{cpu_model()}, {os.cpu_count()} cores (shared), load {os.getloadavg()[0]:.1f}",
        "database": connection.vendor,
        "children": total,
        "lookups": len(every),
        "lookup_ms": {
            kind: {
                "p50": round(statistics.median(ts), 1),
                "p95": round(p(ts, 0.95), 1),
                "max": round(max(ts), 1),
                "found": f"{found[kind]}/{len(ts)}",
            }
            for kind, ts in timings.items()
        },
        "lookup_all_ms": {
            "p50": round(statistics.median(every), 1),
            "p95": round(p(every, 0.95), 1),
            "max": round(max(every), 1),
        },
    }
    if args.batch:
        from qorgau.linkage.runs import link_run

        started = time.perf_counter()
        run = link_run()
        result["batch"] = {
            "children": run.children,
            "pairs": run.pairs,
            "seconds": round(time.perf_counter() - started, 1),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        }
    # One file per database: a 1M run does not overwrite the 100k one.
    database = connection.settings_dict["NAME"]
    out = ROOT / "bench" / "results" / f"linkage-{result['date']}-{database}"
    out.with_suffix(".json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
