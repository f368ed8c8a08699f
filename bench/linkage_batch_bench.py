"""Benchmark: `qorgau link run` over a registry of N children, with known truth (issue 10).

Usage::

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/qorgau_linkage3
    qorgau migrate
    python bench/linkage_batch_bench.py --build 1000000   # once: the registry, by COPY
    python bench/linkage_batch_bench.py --run              # `qorgau link run`, measured

`--build N` writes the synthetic Kazakh registry `linkage.synthetic.registry(N,
names="many")` into an empty registry as children (a mother per record that names
one; an IIN only on the first record of a child, as the registry's unique IIN hash
demands) and keeps the truth (child id -> person, family) in
`var/linkage-truth-<N>.json`. `--run` runs `qorgau link run` in a fresh process and
records wall time, CPU time (user + system, DuckDB's threads included), peak RSS and
the load average, then the pairwise quality of the pairs it wrote against the truth.
Results: `bench/results/linkage-batch-<date>.json`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from common import cpu_model

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qorgau.settings")
CHUNK = 20_000


def _truth_file(size: int) -> Path:
    return ROOT / "var" / f"linkage-truth-{size}.json"


def build(size: int, seed: int) -> dict[str, object]:
    import django

    django.setup()
    from django.db import transaction

    from qorgau.accounts.models import User
    from qorgau.accounts.roles import Role
    from qorgau.children.models import Child, FamilyMember
    from qorgau.children.names import fold_name
    from qorgau.demo import rows as bulk
    from qorgau.linkage import synthetic
    from qorgau.places.models import Place

    if Child.objects.exists():
        raise SystemExit("the registry is not empty: build into a freshly migrated database")
    user, _ = User.objects.get_or_create(
        username="bench.linkage", defaults={"role": Role.ADMINISTRATOR, "organisation": None}
    )
    regions = {p.kato[:2]: p for p in Place.objects.filter(kato__endswith="0000000")}
    places: dict[str, Place] = {}
    started = time.perf_counter()
    truth: list[tuple[int, int, int]] = []
    seen_iins: set[str] = set()
    written = 0
    stream = synthetic.registry(size, seed=seed, names="many")
    with bulk.bulk_load([Child, FamilyMember]), transaction.atomic():
        while True:
            chunk = [row for _, row in zip(range(CHUNK), stream, strict=False)]
            if not chunk:
                break
            children, mothers = [], []
            for row in chunk:
                district = row["district"]
                if district not in places:
                    places[district], _ = Place.objects.get_or_create(
                        kato=f"{district}00000",
                        defaults={
                            "kind": Place.Kind.DISTRICT,
                            "parent": regions.get(district[:2]),
                            "name_kk": f"Аудан {district}",
                            "name_ru": f"Район {district}",
                            "name_en": f"District {district}",
                        },
                    )
                iin = row["iin"] or None
                if iin in seen_iins:
                    iin = None  # the registry holds one child per IIN
                elif iin:
                    seen_iins.add(iin)
                names = (row["last_name"], row["first_name"], row["middle_name"])
                children.append(
                    bulk.new(
                        Child,
                        last_name=names[0],
                        first_name=names[1],
                        middle_name=names[2],
                        search_key=" ".join(fold_name(n) for n in names if n),
                        birth_date=row["birth_date"],
                        sex=row["sex"],
                        iin=iin,
                        place=places[district],
                        region_code=places[district].region_code,
                        created_by=user,
                    )
                )
            bulk.write(Child, children)
            for row, child in zip(chunk, children, strict=True):
                truth.append((child.pk, row["truth"], row["family"]))
                if row["mother_name"]:
                    mothers.append(
                        bulk.new(
                            FamilyMember,
                            child=child,
                            relationship=FamilyMember.Relationship.MOTHER,
                            full_name=row["mother_name"],
                            is_caregiver=True,
                        )
                    )
            bulk.write(FamilyMember, mothers)
            written += len(chunk)
            print(f"{written} children, {time.perf_counter() - started:.0f} s", flush=True)
    _truth_file(written).parent.mkdir(exist_ok=True)
    _truth_file(written).write_text(json.dumps(truth))
    return {"children": written, "seconds": round(time.perf_counter() - started, 1)}


def run() -> dict[str, object]:
    """`qorgau link run` in its own process (its peak RSS is its own), then the quality."""
    load_before = os.getloadavg()
    started = time.perf_counter()
    child = subprocess.run(  # noqa: S603 - our own command
        [str(ROOT / ".venv" / "bin" / "qorgau"), "link", "run"],
        check=True,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    load_after = os.getloadavg()
    import django

    django.setup()
    from qorgau.linkage.models import CandidatePair, LinkRun

    link_run = LinkRun.objects.order_by("-pk").first()
    assert link_run is not None
    truth_path = _truth_file(link_run.children)
    result: dict[str, object] = {
        "date": dt.datetime.now(dt.UTC).date().isoformat(),
        "machine": f"{cpu_model()}, {os.cpu_count()} cores (shared)",
        "load_before": [round(v, 1) for v in load_before],
        "load_after": [round(v, 1) for v in load_after],
        "children": link_run.children,
        "pairs": link_run.pairs,
        "wall_seconds": round(wall, 1),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
        "peak_rss_mb": round(usage.ru_maxrss / 1024),
        "command_said": child.stdout.strip(),
    }
    if truth_path.exists():
        result["quality"] = _quality(link_run, truth_path, CandidatePair)
    return result


def _quality(link_run, truth_path: Path, pair_model) -> dict[str, object]:  # type: ignore[no-untyped-def]
    known = {pk: (person, family) for pk, person, family in json.loads(truth_path.read_text())}
    positives = sum(n * (n - 1) // 2 for n in Counter(p for p, _ in known.values()).values())
    pairs = list(
        pair_model.objects.filter(run=link_run).values_list(
            "left_id", "right_id", "probability", "maybe_twins"
        )
    )
    out: dict[str, object] = {"true_pairs": positives}
    for threshold in (0.5, 0.9, link_run.high_threshold):
        chosen = [(a, b) for a, b, p, twins in pairs if p >= threshold and not twins]
        tp = sum(known[a][0] == known[b][0] for a, b in chosen)
        precision, recall = tp / max(len(chosen), 1), tp / max(positives, 1)
        out[str(threshold)] = {
            "pairs": len(chosen),
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(2 * precision * recall / max(precision + recall, 1e-9), 4),
        }
    high = link_run.high_threshold
    out["review_queue"] = sum(p < high or twins for _, _, p, twins in pairs)
    out["twin_pairs_proposed"] = sum(
        known[a][1] == known[b][1] and known[a][0] != known[b][0]
        for a, b, p, twins in pairs
        if p >= high and not twins
    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", type=int, default=0, help="write a registry of N children")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--run", action="store_true", help="time `qorgau link run`")
    parser.add_argument("--label", default="", help="added to the results file's name")
    args = parser.parse_args()
    result: dict[str, object] = {}
    if args.build:
        result["build"] = build(args.build, args.seed)
    if args.run:
        result.update(run())
        label = f"-{args.label}" if args.label else ""
        out = ROOT / "bench" / "results" / f"linkage-batch-{result['date']}{label}.json"
        out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
