"""The probabilistic linkage model of the whole registry (splink 5, DuckDB backend).

Nothing here touches Django: `prepared` turns rows (from the registry or a legacy
file) into the columns the model compares, `model_settings` is the splink settings
object (backend-independent: the same object runs on DuckDB or on Spark, see
docs/linkage-spark.md), and `score` trains the model on the data (expectation
maximisation) and returns the scored pairs and the trained model.
"""

import contextlib
import datetime as dt
import logging
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from rapidfuzz.distance import OSA, JaroWinkler
from splink import Linker, SettingsCreator, block_on
from splink.blocking_rule_library import CustomRule
from splink.internals.blocking_rule_creator import BlockingRuleCreator

from qorgau.children.names import fold_name

logger = logging.getLogger(__name__)

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


@lru_cache(maxsize=200_000)
def _folded(text: str) -> str | None:
    return fold_name(text) or None


def _key(value: object) -> str | None:
    # Names repeat (a registry of 1,000,000 has some tens of thousands of distinct
    # ones): each is folded once.
    return _folded(str(value or ""))


_PREPARED = (
    "unique_id",
    "last_key",
    "first_key",
    "middle_key",
    "birth_date",
    "birth_year",
    "sex",
    "iin",
    "district",
    "region",
    "mother_key",
)


def prepared(rows: Iterable[dict[str, Any]]) -> pd.DataFrame:
    """The compared columns: folded names, ISO birth date and year, place codes.

    Built column by column (no dict per row): a million rows stay in a few hundred MB.
    """
    columns: dict[str, list[Any]] = {name: [] for name in _PREPARED}
    add = [columns[name].append for name in _PREPARED]
    for row in rows:
        born = row.get("birth_date")
        if isinstance(born, dt.date):
            born = born.isoformat()
        kato = str(row.get("kato") or "")
        values = (
            str(row["record_id"]),
            _key(row.get("last_name")),
            _key(row.get("first_name")),
            _key(row.get("middle_name")),
            born or None,
            born[:4] if born else None,
            row.get("sex") if row.get("sex") in ("M", "F") else None,
            row.get("iin") or None,
            row.get("district") or (kato[:4] if kato else None),
            row.get("region") or (kato[:2] if kato else None),
            _key(row.get("mother_name")),
        )
        for append, value in zip(add, values, strict=True):
            append(value)
    return pd.DataFrame(columns, columns=list(_PREPARED))


def _birth_date() -> cl.CustomComparison:
    # Substrings of the ISO date are plain SQL in every splink backend.
    swapped = (
        "substr(birth_date_l, 1, 4) = substr(birth_date_r, 1, 4) AND "
        "substr(birth_date_l, 6, 2) = substr(birth_date_r, 9, 2) AND "
        "substr(birth_date_l, 9, 2) = substr(birth_date_r, 6, 2)"
    )
    # An office that knows only the year writes 1 January: the same year then says
    # more than "within a year" does.
    year_only = (
        "substr(birth_date_l, 1, 4) = substr(birth_date_r, 1, 4) AND "
        "(substr(birth_date_l, 6, 5) = '01-01' OR substr(birth_date_r, 6, 5) = '01-01')"
    )
    return cl.CustomComparison(
        output_column_name="birth_date",
        comparison_levels=[
            cll.NullLevel("birth_date"),
            cll.ExactMatchLevel("birth_date"),
            cll.CustomLevel(swapped, label_for_charts="Day and month swapped"),
            cll.CustomLevel(year_only, label_for_charts="Same year, one date 1 January"),
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
    # A typo in one name and the date of birth rounded or swapped, without the mother:
    # the other name, the district and the year still meet (3% of the true pairs).
    block_on("last_key", "district", "birth_year"),
    block_on("first_key", "district", "birth_year"),
    # Typos in both names (or swapped and misspelt): the family and the place.
    block_on("mother_key", "district"),
    block_on("middle_key", "district", "birth_year"),
]


# The training sessions of expectation maximisation: the first estimates the names,
# the place, the patronymic, sex, mother and IIN; the second the birth date, mother,
# patronymic, sex and IIN. The region keeps the second narrow where names are few.
EM_RULES = (block_on("birth_date"), block_on("last_key", "first_key", "region"))


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


# Expectation maximisation learns m from a registry of at most this many records:
# whole districts drawn at random (a child's records share a district, so the
# duplicates stay in), as if the registry were smaller. u and the prior come from the
# whole registry; blocking on the birth date alone over 1,000,000 records would
# compare some 80 million pairs in every iteration.
EM_SAMPLE = 200_000


# DuckDB takes up to 80% of the machine's memory by default; held here, it spills its
# joins to disk instead (the budget for the whole run is 3 GB).
DUCKDB_MEMORY = "1500MB"


def _duckdb() -> Any:
    import tempfile

    import duckdb
    from splink import DuckDBAPI

    connection = duckdb.connect()
    connection.execute(f"SET memory_limit = '{DUCKDB_MEMORY}'")
    spill = Path(tempfile.gettempdir()) / "qorgau-duckdb"
    connection.execute(f"SET temp_directory = '{spill}'")
    return DuckDBAPI(connection=connection)


def score(frame: pd.DataFrame, *, thresholds: Thresholds = DEFAULT) -> Scored:
    """Train on `frame` (EM) and score every blocked pair from `thresholds.review` up."""
    db_api = _duckdb()
    linker = Linker(db_api.register(frame), model_settings(), log_level=logging.WARNING)
    _prior_and_u(linker, len(frame))
    sample = _district_sample(frame, EM_SAMPLE)
    if len(sample) == len(frame):
        trainer = linker
    else:
        trainer = Linker(db_api.register(sample), model_settings(), log_level=logging.WARNING)
        _prior_and_u(trainer, len(sample))
    # Each EM session fixes the comparisons of its blocking rule; two cover them all.
    for rule in EM_RULES:
        _expectation_maximisation(trainer, rule)
    model = linker.misc.save_model_to_json()
    if trainer is not linker:
        model = _with_m_of(model, trainer.misc.save_model_to_json())
        linker = Linker(db_api.register(frame), model, log_level=logging.WARNING)
    predicted = linker.inference.predict(threshold_match_probability=thresholds.review)
    pairs = predicted.as_pandas_dataframe()
    common = common_first_names(frame)
    return Scored(pairs=apply_rules(pairs, common), model=linker.misc.save_model_to_json())


def _prior_and_u(linker: Linker, records: int) -> None:
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
    floor = 2 / max(records * (records - 1), 2)
    if settings._probability_two_random_records_match < floor:
        settings._probability_two_random_records_match = floor
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)


def _district_sample(frame: pd.DataFrame, size: int) -> pd.DataFrame:
    """Whole districts, drawn at random (reproducibly), up to about `size` records."""
    if len(frame) <= size:
        return frame
    counts = frame["district"].fillna("").value_counts().sample(frac=1.0, random_state=1)
    chosen = counts.index[counts.cumsum() <= size]
    return frame[frame["district"].fillna("").isin(chosen)]


def _with_m_of(model: dict[str, Any], trained: dict[str, Any]) -> dict[str, Any]:
    """`model` (prior and u of the whole registry) with the m learnt by `trained`."""
    for comparison, learnt in zip(model["comparisons"], trained["comparisons"], strict=True):
        levels = zip(comparison["comparison_levels"], learnt["comparison_levels"], strict=True)
        for level, source in levels:
            if "m_probability" in source:
                level["m_probability"] = source["m_probability"]
    return model


def rescore(
    frame: pd.DataFrame, model: dict[str, Any], *, thresholds: Thresholds = DEFAULT
) -> pd.DataFrame:
    """The pairs within `frame` scored by an already trained model (no training: for a
    file too small to estimate its own); the rules applied."""
    from splink import DuckDBAPI

    db_api = DuckDBAPI()
    settings = {**model, "link_type": "dedupe_only"}
    linker = Linker(db_api.register(frame), settings, log_level=logging.WARNING)
    predicted = linker.inference.predict(threshold_match_probability=thresholds.review)
    return apply_rules(predicted.as_pandas_dataframe(), common_first_names(frame))


def link(
    frame: pd.DataFrame,
    registry: pd.DataFrame,
    model: dict[str, Any],
    *,
    thresholds: Thresholds = DEFAULT,
) -> pd.DataFrame:
    """Pairs of a row of `frame` and a child of `registry`, scored by a model trained on
    the registry (`model`: a run's `score(...).model`); the rules applied. The columns
    `_l` are the frame's row, `_r` the registry's child."""
    from splink import DuckDBAPI

    db_api = DuckDBAPI()
    inputs = [
        db_api.register(frame, dataset_display_name="file"),
        db_api.register(registry, dataset_display_name="registry"),
    ]
    settings = {**model, "link_type": "link_only"}
    linker = Linker(inputs, settings, log_level=logging.WARNING)
    predicted = linker.inference.predict(threshold_match_probability=thresholds.review)
    pairs = predicted.as_pandas_dataframe()
    common = common_first_names(pd.concat([frame, registry]))
    if pairs.empty:
        return apply_rules(pairs)
    flipped = pairs["source_dataset_l"] != "file"
    for left in [c for c in pairs.columns if c.endswith("_l")]:
        right = left[:-2] + "_r"
        if right in pairs:
            a, b = pairs[left].copy(), pairs[right].copy()
            pairs.loc[flipped, left], pairs.loc[flipped, right] = b[flipped], a[flipped]
    return apply_rules(pairs, common)


def _expectation_maximisation(linker: Linker, rule: BlockingRuleCreator) -> None:
    """One EM session, estimating m only: the prior stays the one estimated from the
    deterministic rules (a session left to estimate it drove it to 0 on a registry of
    twins, and to 1 on one without duplicates).

    A session that fails leaves splink's settings without the comparisons of its
    blocking rule and with the prior it reached (they are not put back): both are
    put back here, so that a failed session costs its estimates, nothing else.
    """
    settings = linker._settings_obj
    comparisons = list(settings.comparisons)
    prior = settings._probability_two_random_records_match
    try:
        with _m_floored():
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True
            )
    except ValueError as failure:
        logger.warning("an EM session failed, its estimates are not used: %s", failure)
        settings.comparisons = comparisons
        settings._probability_two_random_records_match = prior


@contextlib.contextmanager
def _m_floored() -> Iterator[None]:
    """EM drives the m of a level that no true pair shows (a typo in a date, where the
    data has none) towards 0, and splink 5.0 then fails the whole session on the first
    m below 1e-300 instead of holding it there: hold it there, for the session."""
    from splink.internals import expectation_maximisation as em
    from splink.internals.comparison_level import ComparisonLevel

    original = em.populate_m_u_from_lookup

    def floored(
        training_fixed_probabilities: set[str],
        comparison_level: ComparisonLevel,
        output_column_name: str,
        m_u_records_lookup: dict[str, dict[int, Any]],
    ) -> None:
        for record in m_u_records_lookup.get(output_column_name, {}).values():
            value = record.get("m_probability")
            if isinstance(value, int | float) and value < 1e-300:
                record["m_probability"] = 1e-300
        original(
            training_fixed_probabilities, comparison_level, output_column_name, m_u_records_lookup
        )

    em.populate_m_u_from_lookup = floored
    try:
        yield
    finally:
        em.populate_m_u_from_lookup = original


def common_first_names(frame: pd.DataFrame) -> dict[str, int]:
    """First names (folded) with their counts, from 5 records and 1 in 20,000 up."""
    counts = frame["first_key"].value_counts()
    common = counts[counts >= max(5, len(frame) / 20_000)]
    return {str(name): int(n) for name, n in common.items()}


def apply_rules(pairs: pd.DataFrame, common: Mapping[str, int] | None = None) -> pd.DataFrame:
    """The rules a probability does not overrule: two IINs, twins and siblings.

    Two valid, different IINs are never one child (the pair is dropped). Two records of
    one family (the same mother, or surnames alike up to the feminine ending, also
    across a swap of first and last name) are twins or siblings unless they share an
    IIN, when their first names are not one name (more than a typo apart) or their
    sexes differ: the pair is kept for review, marked, and never proposed as a
    duplicate, whatever its probability. The family test does not ask for the same
    date of birth: a twin's second record with the date rounded to 1 January, or
    without the mother's name, is still a twin.
    """
    if pairs.empty:
        return pairs.assign(maybe_twins=pd.Series(dtype=bool))
    two_iins = pairs["iin_l"].notna() & pairs["iin_r"].notna()
    pairs = pairs[~(two_iins & (pairs["iin_l"] != pairs["iin_r"]))].copy()
    same_iin = pairs["iin_l"].notna() & (pairs["iin_l"] == pairs["iin_r"])
    columns = ("first_key", "last_key", "mother_key", "sex")
    nothing = [None] * len(pairs)
    sides = [
        pairs[f"{c}_{s}"].tolist() if f"{c}_{s}" in pairs else nothing
        for c in columns
        for s in ("l", "r")
    ]
    counts = common or {}
    flags = [_siblings(*values, common=counts) for values in zip(*sides, strict=True)]
    pairs["maybe_twins"] = pd.Series(flags, index=pairs.index, dtype=bool) & ~same_iin
    return pairs


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _one_name(a: str | None, b: str | None, common: Mapping[str, int]) -> bool:
    """The same first name, or typos apart: one edit, or two in a name of five letters
    or more that still reads alike (Даниар and Санжар are two edits apart too); but
    never two names both common and of like frequency (Алина, Алёна): a typo is far
    rarer than the name it misspells, however many records repeat it."""
    if a is None or b is None:
        return False
    if a != b and a in common and b in common:
        rarer, commoner = sorted((common[a], common[b]))
        if rarer >= commoner / 10:
            return False
    edits = OSA.distance(a, b)
    if edits <= 1:
        return True
    return edits == 2 and min(len(a), len(b)) >= 5 and JaroWinkler.similarity(a, b) >= 0.85


def _siblings(
    first_l: object,
    first_r: object,
    last_l: object,
    last_r: object,
    mother_l: object,
    mother_r: object,
    sex_l: object,
    sex_r: object,
    *,
    common: Mapping[str, int],
) -> bool:
    """One family, and two children in it: other first names, or other sexes."""
    fl, fr, ll, lr = _text(first_l), _text(first_r), _text(last_l), _text(last_r)
    if fl is None or fr is None:
        return False
    # Surnames of one family differ by the feminine ending at most (Ахметов, Ахметова).
    mother = _text(mother_l) is not None and mother_l == mother_r
    straight = mother or _alike(ll, lr, 0.9)
    # The first and last name swapped on one record: compare each with its opposite.
    crossed = mother or _alike(ll, fr, 0.9) or _alike(fl, lr, 0.9)
    other_sex = sex_l in ("M", "F") and sex_r in ("M", "F") and sex_l != sex_r
    if _one_name(fl, fr, common) and not other_sex:
        return False
    if _one_name(fl, lr, {}) and _one_name(ll, fr, {}):
        return other_sex and crossed
    return straight or crossed


def _alike(a: str | None, b: str | None, at: float) -> bool:
    return a is not None and b is not None and JaroWinkler.similarity(a, b) >= at


def evidence(pair: dict[str, Any], model: dict[str, Any]) -> list[dict[str, Any]]:
    """Per comparison: the level the pair fell in and its match weight (log2 BF)."""
    rows = []
    for comparison in model.get("comparisons", []):
        name = comparison["output_column_name"]
        gamma = pair.get(f"gamma_{name}")
        weight = pair.get(f"bf_{name}")
        if weight is None and pair.get(f"mw_{name}") is not None:
            weight = 2 ** float(pair[f"mw_{name}"])  # splink 5 gives the match weight
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
