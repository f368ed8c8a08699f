"""Benchmark: all MICS indicators x all disaggregations, qorgau.mics against svy.

Usage: ``python bench/mics_bench.py [--households 25000] [--scale 10] [--repeat 3]``

For each size (the base and base x scale households) a synthetic MICS6 survey is
generated and each estimator runs in its own subprocess, so the peak resident
memory (``ru_maxrss``) of one does not hide the other's; ``tracemalloc`` peaks
are recorded for qorgau in a separate untimed pass (tracemalloc sees numpy
buffers, not svy's Rust/Polars heap, so svy's memory is its peak RSS only).

Same work on both sides: every indicator of ``INDICATORS`` by every one of its
disaggregations (estimate, SE, design effect, counts). The svy side is given the
analysis frames ready-made (built by qorgau's definitions, outside its timing)
and only its estimation calls are timed; the qorgau side is timed end to end
from the loaded survey, frame building included.

Results go to ``bench/results/mics-<date>.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np
import polars as pl
from common import cpu_model

from qorgau.mics.readers import Survey

HERE = Path(__file__).resolve().parent


def _machine() -> dict[str, object]:
    model = cpu_model()
    nproc = subprocess.run(
        ["/usr/bin/env", "nproc"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return {
        "cpu": model,
        "nproc": int(nproc or os.cpu_count() or 0),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "svy": _version("svy"),
        "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"),
    }


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


def _svy_frames(survey: Survey) -> list[tuple[pl.DataFrame, int, list[str | None]]]:
    """One polars frame per indicator group with y columns, domain and category columns."""
    from qorgau.mics import INDICATORS
    from qorgau.mics.estimator import Design
    from qorgau.mics.tables import build_frame, category_codes

    groups: dict[str, list] = {}
    for indicator in INDICATORS.values():
        key = repr((indicator.sources, indicator.universe, indicator.disaggregations))
        groups.setdefault(key, []).append(indicator)
    out = []
    for members in groups.values():
        first = members[0]
        needed = set().union(*(i.columns() for i in members)) | {"cluster", "stratum"}
        frame = build_frame(survey, first, sorted(needed))
        design = Design.from_arrays(
            frame.columns["stratum"], frame.columns["cluster"], frame.weight
        )
        data = {
            "stratum": frame.columns["stratum"],
            "psu": design.psu,  # clusters nested in strata
            "w": design.weight,
            "dom": first.universe.evaluate(frame.columns).astype(np.int8),
        }
        for k, indicator in enumerate(members):
            data[f"y{k}"] = indicator.numerator.evaluate(frame.columns).astype(float)
        bys = []
        for d in first.disaggregations:
            if d.column is None:
                bys.append(None)
                continue
            codes, _ = category_codes(frame, d)
            data[f"c_{d.key}"] = codes
            bys.append(f"c_{d.key}")
        out.append((pl.DataFrame(data), len(members), bys))
    return out


def _run_svy(survey: Survey, repeat: int) -> dict[str, object]:
    import svy

    frames = _svy_frames(survey)

    def run() -> int:
        calls = 0
        for data, k, bys in frames:
            sample = svy.Sample(
                data, svy.Design(stratum="stratum", psu="psu", wgt="w", singleton="center")
            )
            for j in range(k):
                for by in bys:
                    sample.estimation.mean(f"y{j}", by=by, where=svy.col("dom") == 1, deff="wr")
                    calls += 1
        return calls

    times, calls = _timed(run, repeat)
    return {"seconds": min(times), "all_seconds": times, "calls": calls}


def _run_ours(survey: Survey, repeat: int) -> dict[str, object]:
    from qorgau.mics import compute_tables

    times, rows = _timed(lambda: len(compute_tables(survey)), repeat)
    # tracemalloc slows allocation, so the memory pass is separate from the timed ones.
    tracemalloc.start()
    compute_tables(survey)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"seconds": min(times), "all_seconds": times, "rows": rows, "tracemalloc_peak": peak}


def _timed(work: Callable[[], int], repeat: int) -> tuple[list[float], int]:
    times, result = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return times, result


def _phase(args: argparse.Namespace) -> None:
    """Child process: load the survey, run one estimator, print JSON."""
    from qorgau.mics import load_survey

    start = time.perf_counter()
    survey = load_survey(args.folder)
    load_seconds = time.perf_counter() - start
    runner = _run_ours if args.phase == "ours" else _run_svy
    result = runner(survey, args.repeat)
    result["load_seconds"] = load_seconds
    result["records"] = {name: len(frame) for name, frame in survey.frames.items()}
    result["maxrss_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps(result))


def _child(phase: str, folder: Path, repeat: int) -> dict[str, object]:
    command = [sys.executable, __file__, "--phase", phase, "--folder", str(folder)]
    command += ["--repeat", str(repeat)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=25_000)
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--phase", choices=["ours", "svy"])
    parser.add_argument("--folder", type=Path)
    args = parser.parse_args()
    if args.phase:
        _phase(args)
        return

    from qorgau.mics import generate_synthetic

    results: dict[str, object] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": _machine(),
        "sizes": [],
    }
    with tempfile.TemporaryDirectory() as tmp:
        for households in (args.households, args.households * args.scale):
            folder = Path(tmp) / f"hh{households}"
            start = time.perf_counter()
            generate_synthetic(folder, households, seed=args.seed, single_cluster_stratum=True)
            generate_seconds = time.perf_counter() - start
            # svy at the larger size is slow; one repetition is enough to measure it.
            svy_repeat = args.repeat if households == args.households else 1
            ours = _child("ours", folder, args.repeat)
            theirs = _child("svy", folder, svy_repeat)
            entry = {
                "households": households,
                "generate_seconds": generate_seconds,
                "qorgau": ours,
                "svy": theirs,
                "speedup": theirs["seconds"] / ours["seconds"],
            }
            results["sizes"].append(entry)  # type: ignore[union-attr]
            print(
                f"{households} households: qorgau {ours['seconds']:.3f}s, "
                f"svy {theirs['seconds']:.3f}s ({theirs['calls']} calls), "
                f"x{entry['speedup']:.1f}",
                flush=True,
            )
    sizes = results["sizes"]
    results["growth_qorgau"] = sizes[1]["qorgau"]["seconds"] / sizes[0]["qorgau"]["seconds"]  # type: ignore[index]
    results["growth_svy"] = sizes[1]["svy"]["seconds"] / sizes[0]["svy"]["seconds"]  # type: ignore[index]
    _write(results)


def _write(results: dict) -> None:
    day = results["date"][:10]
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / f"mics-{day}.json").write_text(json.dumps(results, indent=2) + "\n")
    m = results["machine"]
    lines = [
        f"# MICS estimator benchmark, {results['date']}",
        "",
        f"Machine: {m['cpu']}, nproc {m['nproc']}; Python {m['python']}, numpy {m['numpy']}, "
        f"svy {m['svy']}; OPENBLAS_CORETYPE={m['OPENBLAS_CORETYPE']}.",
        "",
        "| households | records (hh/wm/mn/ch/fs) | qorgau s | svy s | svy calls | speed-up "
        "| qorgau peak RSS MB | svy peak RSS MB | qorgau tracemalloc MB | load s |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for s in results["sizes"]:
        r = s["qorgau"]["records"]
        records = "/".join(str(r.get(f, 0)) for f in ("hh", "wm", "mn", "ch", "fs"))
        lines.append(
            f"| {s['households']} | {records} | {s['qorgau']['seconds']:.3f} "
            f"| {s['svy']['seconds']:.2f} | {s['svy']['calls']} | {s['speedup']:.0f}x "
            f"| {s['qorgau']['maxrss_bytes'] / 2**20:.0f} | {s['svy']['maxrss_bytes'] / 2**20:.0f} "
            f"| {s['qorgau']['tracemalloc_peak'] / 2**20:.1f} "
            f"| {s['qorgau']['load_seconds']:.2f} |"
        )
    lines += [
        "",
        f"Growth for 10x the households: qorgau x{results['growth_qorgau']:.1f}, "
        f"svy x{results['growth_svy']:.1f}.",
        "",
        "Times are the best of the repetitions (svy at the larger size: one run). qorgau is "
        "timed end to end from the loaded survey; svy only on its estimation calls, with "
        "analysis frames prepared outside its timing.",
    ]
    (out / f"mics-{day}.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
