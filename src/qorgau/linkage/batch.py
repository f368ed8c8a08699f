"""The probabilistic linkage model of the whole registry (splink 5, DuckDB backend).

Nothing here touches Django: `prepared` turns rows (from the registry or a legacy
file) into the columns the model compares, `model_settings` is the splink settings
object (backend-independent: the same object runs on DuckDB or on Spark, see
docs/linkage-spark.md), and `score` trains the model on the data (expectation
maximisation) and returns the scored pairs and the trained model.
"""

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from rapidfuzz.distance import JaroWinkler
from splink import Linker, SettingsCreator, block_on
from splink.blocking_rule_library import CustomRule
from splink.internals.blocking_rule_creator import BlockingRuleCreator

from qorgau.children.names import fold_name

# Column -> what it is, for the rows `prepared` takes.
INPUT_COLUMNS = (
    "record_id",
    "last_name",
    "first_name",
    "middle_name",
    "birth_date",
    "sex",
    "iin",
    "kato",
    "district",
    "region",
    "mother_name",
)


@dataclass(frozen=True)
class Thresholds:
    """Match probabilities: from `review` up a person decides; from `high` up a pair is
    proposed as a duplicate (still decided by a person unless switched on)."""

    review: float = 0.5
    high: float = 0.99


DEFAULT = Thresholds()


def _key(value: object) -> str | None:
    folded = fold_name(str(value or ""))
    return folded or None


def prepared(rows: Iterable[dict[str, Any]]) -> pd.DataFrame:
    """The compared columns: folded names, ISO birth date and year, place codes."""
    records = []
    for row in rows:
        born = row.get("birth_date")
        if isinstance(born, dt.date):
            born = born.isoformat()
        kato = str(row.get("kato") or "")
        records.append(
            {
                "unique_id": str(row["record_id"]),
                "last_key": _key(row.get("last_name")),
                "first_key": _key(row.get("first_name")),
                "middle_key": _key(row.get("middle_name")),
                "birth_date": born or None,
                "birth_year": born[:4] if born else None,
                "sex": row.get("sex") if row.get("sex") in ("M", "F") else None,
                "iin": row.get("iin") or None,
                "district": row.get("district") or (kato[:4] if kato else None),
                "region": row.get("region") or (kato[:2] if kato else None),
                "mother_key": _key(row.get("mother_name")),
            }
        )
    columns = ["unique_id", "last_key", "first_key", "middle_key", "birth_date"]
    columns += ["birth_year", "sex", "iin", "district", "region", "mother_key"]
    return pd.DataFrame.from_records(records, columns=columns)


def _birth_date() -> cl.CustomComparison:
    # Substrings of the ISO date are plain SQL in every splink backend.
    swapped = (
        "substr(birth_date_l, 1, 4) = substr(birth_date_r, 1, 4) AND "
        "substr(birth_date_l, 6, 2) = substr(birth_date_r, 9, 2) AND "
        "substr(birth_date_l, 9, 2) = substr(birth_date_r, 6, 2)"
    )
    return cl.CustomComparison(
        output_column_name="birth_date",
        comparison_levels=[
            cll.NullLevel("birth_date"),
            cll.ExactMatchLevel("birth_date"),
            cll.CustomLevel(swapped, label_for_charts="Day and month swapped"),
            cll.DamerauLevenshteinLevel("birth_date", 1),
            cll.AbsoluteDateDifferenceLevel(
                "birth_date", input_is_string=True, threshold=1, metric="year"
            ),
            cll.ElseLevel(),
        ],
    )


def _place() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="place",
        comparison_levels=[
            cll.NullLevel("district"),
            cll.ExactMatchLevel("district"),
            cll.ExactMatchLevel("region"),
            cll.ElseLevel(),
        ],
    )


BLOCKING_RULES: list[BlockingRuleCreator | dict[str, Any]] = [
    block_on("birth_date", "district"),
    block_on("last_key", "first_key", "region"),
    # First and last name swapped.
    CustomRule("l.first_key = r.last_key AND l.last_key = r.first_key"),
    block_on("first_key", "mother_key"),
    block_on("last_key", "mother_key"),
    block_on("last_key", "middle_key", "district"),
    CustomRule("l.first_key = r.last_key AND l.district = r.district"),
    block_on("iin"),
]


def model_settings() -> SettingsCreator:
    """The model: comparisons the issue lists, blocking rules, no backend in sight."""
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=[
            cl.ForenameSurnameComparison("first_key", "last_key"),
            cl.NameComparison("middle_key"),
            _birth_date(),
            cl.ExactMatch("sex"),
            _place(),
            cl.NameComparison("mother_key"),
            cl.ExactMatch("iin"),
        ],
        blocking_rules_to_generate_predictions=BLOCKING_RULES,
        retain_intermediate_calculation_columns=True,
        additional_columns_to_retain=["last_key", "first_key", "middle_key", "mother_key"],
    )


@dataclass
class Scored:
    pairs: pd.DataFrame  # unique_id_l, unique_id_r, match_probability, match_weight, ...
    model: dict[str, Any]  # splink's model JSON: settings and estimated m/u


def score(frame: pd.DataFrame, *, thresholds: Thresholds = DEFAULT) -> Scored:
    """Train on `frame` (EM) and score every blocked pair from `thresholds.review` up."""
    from splink import DuckDBAPI

    db_api = DuckDBAPI()
    linker = Linker(db_api.register(frame), model_settings(), log_level=logging.WARNING)
    deterministic: list[str | BlockingRuleCreator] = [
        block_on("iin"),
        "l.last_key = r.last_key AND l.first_key = r.first_key "
        "AND l.birth_date = r.birth_date AND l.mother_key = r.mother_key",
    ]
    linker.training.estimate_probability_two_random_records_match(deterministic, recall=0.8)
    # A registry where the deterministic rules find no pair at all (no duplicates yet)
    # gives a prior of 0, on which no match weight exists: hold it at one duplicate
    # pair in the registry instead. Splink has no setter; its own code sets this.
    settings = linker._settings_obj
    floor = 2 / max(len(frame) * (len(frame) - 1), 2)
    if settings._probability_two_random_records_match < floor:
        settings._probability_two_random_records_match = floor
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    # Each EM session fixes the comparisons of its blocking rule; two cover them all.
    for rule in (block_on("birth_date"), block_on("last_key", "first_key")):
        _expectation_maximisation(linker, rule)
    predicted = linker.inference.predict(threshold_match_probability=thresholds.review)
    pairs = predicted.as_pandas_dataframe()
    return Scored(pairs=apply_rules(pairs), model=linker.misc.save_model_to_json())


def _expectation_maximisation(linker: Linker, rule: BlockingRuleCreator) -> None:
    """One EM session; a registry with (almost) no duplicates among the blocked pairs
    drives the session's own prior to 0 or 1, so then the prior is held at the one
    estimated from the deterministic rules and only m is estimated."""
    try:
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True
        )
    except ValueError:
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule,
            estimate_without_term_frequencies=True,
            fix_probability_two_random_records_match=True,
        )


def apply_rules(pairs: pd.DataFrame) -> pd.DataFrame:
    """The rules a probability does not overrule: two IINs, twins and siblings.

    Two valid, different IINs are never one child (the pair is dropped). Same birth
    date and mother with clearly different first names are twins or siblings: the
    pair is kept for review, marked, and never proposed as a duplicate.
    """
    if pairs.empty:
        return pairs.assign(maybe_twins=pd.Series(dtype=bool))
    two_iins = pairs["iin_l"].notna() & pairs["iin_r"].notna()
    pairs = pairs[~(two_iins & (pairs["iin_l"] != pairs["iin_r"]))].copy()
    same_iin = pairs["iin_l"].notna() & (pairs["iin_l"] == pairs["iin_r"])
    same_family = (
        pairs["mother_key_l"].notna() & (pairs["mother_key_l"] == pairs["mother_key_r"])
    ) | (
        pairs["last_key_l"].notna()
        & (pairs["last_key_l"] == pairs["last_key_r"])
        & pairs["middle_key_l"].notna()
        & (pairs["middle_key_l"] == pairs["middle_key_r"])
    )
    other_first = pd.Series(
        [
            _clearly_different(a, b, c, d)
            for a, b, c, d in zip(
                pairs["first_key_l"],
                pairs["first_key_r"],
                pairs["last_key_l"],
                pairs["last_key_r"],
                strict=True,
            )
        ],
        index=pairs.index,
        dtype=bool,
    )
    pairs["maybe_twins"] = (
        (pairs["birth_date_l"] == pairs["birth_date_r"]) & same_family & other_first & ~same_iin
    )
    return pairs


def _clearly_different(first_l: object, first_r: object, last_l: object, last_r: object) -> bool:
    """Two first names no typo or spelling turns into one another (nor a swap of names)."""
    if not isinstance(first_l, str) or not isinstance(first_r, str):
        return False
    alike = JaroWinkler.similarity(first_l, first_r) >= 0.8
    # The same name with first and last swapped: each matches the other's opposite.
    swapped = (
        isinstance(last_l, str)
        and isinstance(last_r, str)
        and JaroWinkler.similarity(first_l, last_r) >= 0.8
        and JaroWinkler.similarity(last_l, first_r) >= 0.8
    )
    return not (alike or swapped)


def evidence(pair: dict[str, Any], model: dict[str, Any]) -> list[dict[str, Any]]:
    """Per comparison: the level the pair fell in and its match weight (log2 BF)."""
    rows = []
    for comparison in model.get("comparisons", []):
        name = comparison["output_column_name"]
        gamma = pair.get(f"gamma_{name}")
        weight = pair.get(f"bf_{name}")
        levels = {lv.get("comparison_vector_value"): lv for lv in _levels(comparison)}
        level = levels.get(gamma, {})
        rows.append(
            {
                "field": name,
                "level": level.get("label_for_charts", ""),
                "bayes_factor": float(weight) if weight is not None else None,
            }
        )
    return rows


def _levels(comparison: dict[str, Any]) -> list[dict[str, Any]]:
    """Levels with their comparison vector value (null -1, then from the top down)."""
    levels = comparison["comparison_levels"]
    numbered = []
    value = len([lv for lv in levels if not lv.get("is_null_level")]) - 1
    for level in levels:
        if level.get("is_null_level"):
            numbered.append({**level, "comparison_vector_value": -1})
        else:
            numbered.append({**level, "comparison_vector_value": value})
            value -= 1
    return numbered


def weights_table(model: dict[str, Any]) -> list[dict[str, Any]]:
    """Every comparison level's m, u and match weight, for the administrator's page."""
    import math

    table = []
    for comparison in model.get("comparisons", []):
        for level in _levels(comparison):
            m, u = level.get("m_probability"), level.get("u_probability")
            weight = math.log2(m / u) if m and u else None
            table.append(
                {
                    "comparison": comparison["output_column_name"],
                    "level": level.get("label_for_charts", ""),
                    "m": m,
                    "u": u,
                    "weight": weight,
                    "null": bool(level.get("is_null_level")),
                }
            )
    return table
