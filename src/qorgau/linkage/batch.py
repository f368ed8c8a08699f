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
import shutil
import tempfile
import weakref
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from rapidfuzz.distance import OSA, JaroWinkler
from splink import Linker, SettingsCreator, block_on
from splink.blocking_rule_library import CustomRule
from splink.internals.blocking_rule_creator import BlockingRuleCreator
from splink.internals.column_expression import ColumnExpression
from splink.internals.comparison_level_creator import ComparisonLevelCreator
from splink.internals.dialects import SplinkDialect

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
    """The compared columns of `rows` (dicts of `INPUT_COLUMNS`): see `prepared_frame`.

    Gathered column by column (no dict per row is kept)."""
    columns: dict[str, list[Any]] = {name: [] for name in INPUT_COLUMNS}
    add = [(name, columns[name].append) for name in INPUT_COLUMNS]
    for row in rows:
        for name, append in add:
            append(row.get(name))
    return prepared_frame(pd.DataFrame(columns, dtype=object))


def prepared_frame(raw: pd.DataFrame) -> pd.DataFrame:
    """The compared columns: folded names, ISO birth date and year, place codes, from a
    frame of `INPUT_COLUMNS` (a column may be missing; empty means not given).

    Names and dates repeat (a registry of 1,000,000 has some tens of thousands of
    distinct names and 6,000 dates of birth): each distinct value is folded once."""

    def column(name: str) -> pd.Series:
        if name not in raw:
            return pd.Series(None, index=raw.index, dtype=object)
        return raw[name].astype(object).where(raw[name].notna() & raw[name].ne(""), None)

    def each_value(series: pd.Series, change: Any) -> pd.Series:
        given = series.dropna()
        values = {value: change(value) for value in given.unique()}
        return series.map(values, na_action="ignore")

    kato = column("kato").astype("str")
    born = each_value(column("birth_date"), _iso_date)
    prepared = {
        "unique_id": raw["record_id"].astype("str"),
        "last_key": each_value(column("last_name"), _folded),
        "first_key": each_value(column("first_name"), _folded),
        "middle_key": each_value(column("middle_name"), _folded),
        "birth_date": born,
        "birth_year": born.str.slice(0, 4) if len(born.dropna()) else born,
        "sex": column("sex").where(column("sex").isin(["M", "F"]), None),
        "iin": column("iin"),
        "district": column("district").fillna(kato.str.slice(0, 4)),
        "region": column("region").fillna(kato.str.slice(0, 2)),
        "mother_key": each_value(column("mother_name"), _folded),
    }
    return pd.DataFrame({name: prepared[name].astype("str") for name in _PREPARED})


def _folded(text: object) -> str | None:
    return fold_name(str(text)) or None


def _iso_date(value: object) -> str | None:
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)[:10] or None


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


class _ReversedJaroWinklerLevel(ComparisonLevelCreator):
    """Each of two columns like the other's opposite: first and last name swapped on
    one record, and a typo in one of them (splink's reversed level asks for equality)."""

    def __init__(self, col_1: str, col_2: str, threshold: float):
        self.col_1, self.col_2, self.threshold = col_1, col_2, threshold

    def create_sql(self, sql_dialect: SplinkDialect) -> str:
        one, two = (ColumnExpression.instantiate_if_str(c) for c in (self.col_1, self.col_2))
        one.sql_dialect = two.sql_dialect = sql_dialect
        jw = sql_dialect.jaro_winkler_function_name
        return (
            f"{jw}({one.name_l}, {two.name_r}) >= {self.threshold} AND "
            f"{jw}({two.name_l}, {one.name_r}) >= {self.threshold}"
        )

    def create_label_for_charts(self) -> str:
        return f"Reversed {self.col_1} and {self.col_2}, Jaro-Winkler >= {self.threshold}"


# The m of "both names entirely different" (`_names`).
ELSE_NAMES_M = 0.01


def _names() -> cl.CustomComparison:
    """First and last name, also swapped, also swapped with a typo in one of them:
    splink's ForenameSurnameComparison put a swapped and misspelt pair among strangers
    ("all other"), the largest group of true pairs below the review threshold at
    1,000,000 children of the synthetic registry."""
    first, last = "first_key", "last_key"
    return cl.CustomComparison(
        output_column_name="first_key_last_key",
        comparison_levels=[
            cll.And(cll.NullLevel(first), cll.NullLevel(last)),
            cll.And(cll.ExactMatchLevel(first), cll.ExactMatchLevel(last)),
            cll.ColumnsReversedLevel(first, last, symmetrical=True),
            cll.And(cll.JaroWinklerLevel(first, 0.92), cll.JaroWinklerLevel(last, 0.92)),
            cll.And(cll.JaroWinklerLevel(first, 0.88), cll.JaroWinklerLevel(last, 0.88)),
            _ReversedJaroWinklerLevel(first, last, 0.88),
            cll.ExactMatchLevel(last),
            cll.ExactMatchLevel(first),
            cll.Or(cll.ColumnsReversedLevel(first, last), cll.ColumnsReversedLevel(last, first)),
            # Held, not learnt: EM takes a family's children (same patronymic, date,
            # district, mother) for copies of one child, and learnt that one copy in
            # six has both names entirely different (m 0.18). Entered by a person,
            # both names of one child differ beyond a typo about once in a hundred.
            # (EM then shares the other levels' m over every level's count, this one's
            # too: the comparison's m add up to a little under 1.)
            cll.ElseLevel().configure(m_probability=ELSE_NAMES_M, fix_m_probability=True),
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
    # Both names begun alike in the district: a typo in each and the date rounded or
    # lost (at 1,000,000 children this finds twice the pairs no other rule finds that
    # names + region found, from 1.1 million compared pairs instead of 2.7 million).
    CustomRule(
        "substr(l.first_key, 1, 3) = substr(r.first_key, 1, 3) AND "
        "substr(l.last_key, 1, 3) = substr(r.last_key, 1, 3) AND l.district = r.district"
    ),
    # A child who moved: the names and the date, anywhere.
    block_on("last_key", "first_key", "birth_date"),
    # First and last name swapped, or the mother named: within the district, below.
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
            _names(),
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
EM_SAMPLE = 100_000


# DuckDB takes up to 80% of the machine's memory by default; held here, it spills its
# joins to disk instead (the budget for the whole run is 3 GB).
DUCKDB_MEMORY = "1GB"


def _duckdb() -> Any:
    import duckdb
    from splink import DuckDBAPI

    connection = duckdb.connect()
    connection.execute(f"SET memory_limit = '{DUCKDB_MEMORY}'")
    # What DuckDB spills holds children's names: a folder of this run's own, readable by
    # this user only (mkdtemp makes it 0700), removed with the connection.
    spill = tempfile.mkdtemp(prefix="qorgau-duckdb-")
    connection.execute(f"SET temp_directory = '{spill}'")
    api = DuckDBAPI(connection=connection)
    weakref.finalize(api, shutil.rmtree, spill, ignore_errors=True)
    return api


def score(frame: pd.DataFrame, *, thresholds: Thresholds = DEFAULT) -> Scored:
    """Train on `frame` (EM) and score every blocked pair from `thresholds.review` up."""
    db_api = _duckdb()
    linker = Linker(db_api.register(frame), model_settings(), log_level=logging.WARNING)
    _prior_and_u(linker, len(frame))
    sample = _district_sample(frame, EM_SAMPLE)
    trainer = linker
    if len(sample) < len(frame):
        # The sample starts from the registry's u (EM does not change u).
        start = linker.misc.save_model_to_json()
        trainer = Linker(db_api.register(sample), start, log_level=logging.WARNING)
    # Each EM session fixes the comparisons of its blocking rule; two cover them all.
    for rule in EM_RULES:
        _expectation_maximisation(trainer, rule)
    if trainer is not linker:
        model = _with_m_of(linker.misc.save_model_to_json(), trainer.misc.save_model_to_json())
        linker = Linker(db_api.register(frame), model, log_level=logging.WARNING)
    _recalibrate_prior(linker, frame)
    predicted = linker.inference.predict(threshold_match_probability=thresholds.review)
    pairs = predicted.as_pandas_dataframe()
    predicted.drop_table_from_database_and_remove_from_cache()
    common = common_first_names(frame)
    return Scored(pairs=apply_rules(pairs, common), model=linker.misc.save_model_to_json())


# The deterministic rule of the prior: the pairs it finds are taken for `_ASSUMED`
# of the true pairs until the trained model says how many it finds.
_DETERMINISTIC = (
    "l.last_key = r.last_key AND l.first_key = r.first_key "
    "AND l.birth_date = r.birth_date AND l.mother_key = r.mother_key"
)
_ASSUMED = 0.8
_EXACT = {
    "first_key_last_key": ("first_key", "last_key"),
    "birth_date": ("birth_date",),
    "mother_key": ("mother_key",),
}


def _prior_and_u(linker: Linker, records: int) -> None:
    linker.training.estimate_probability_two_random_records_match([_DETERMINISTIC], recall=_ASSUMED)
    # A registry where the deterministic rule finds no pair at all (no duplicates yet)
    # gives a prior of 0, on which no match weight exists: hold it at one duplicate
    # pair in the registry instead. Splink has no setter; its own code sets this.
    settings = linker._settings_obj
    if settings._probability_two_random_records_match < _floor(records):
        settings._probability_two_random_records_match = _floor(records)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)


def _floor(records: int) -> float:
    return 2 / max(records * (records - 1), 2)


def deterministic_recall(model: dict[str, Any], frame: pd.DataFrame) -> float:
    """The share of true pairs the deterministic rule finds, by the trained model: both
    records give the names, date and mother (the share of records that do, squared)
    and these agree exactly (the m of each exact level; the model takes the fields as
    independent given a match, so the recall is their product)."""
    recall = 1.0
    for comparison in model["comparisons"]:
        columns = _EXACT.get(comparison["output_column_name"])
        if columns is None:
            continue
        given = float(frame[list(columns)].notna().all(axis=1).mean()) if len(frame) else 0.0
        exact = next(lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level"))
        recall *= given**2 * float(exact.get("m_probability") or _ASSUMED)
    return min(max(recall, 0.05), 1.0)


def _recalibrate_prior(linker: Linker, frame: pd.DataFrame) -> None:
    """`_prior_and_u` assumed the deterministic rule finds `_ASSUMED` of the true pairs;
    where IINs are unique it finds about a third (copies misspell a name, round the
    date, leave out the mother), and a prior three times too small left a thirtieth
    of the true pairs below the review threshold at 1,000,000 children. A floored
    prior (no pair found) stays."""
    settings = linker._settings_obj
    prior = settings._probability_two_random_records_match
    if prior <= _floor(len(frame)):
        return
    recall = deterministic_recall(linker.misc.save_model_to_json(), frame)
    settings._probability_two_random_records_match = min(prior * _ASSUMED / recall, 0.5)


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
    without the mother's name, is still a twin. A pair beside a twin (`_beside_a_twin`)
    is marked too: there a typo of one twin's name can be the other twin's name.
    """
    if pairs.empty:
        return pairs.assign(maybe_twins=pd.Series(dtype=bool))
    two_iins = pairs["iin_l"].notna() & pairs["iin_r"].notna()
    different = two_iins & (pairs["iin_l"] != pairs["iin_r"])
    same_iin = pairs["iin_l"].notna() & (pairs["iin_l"] == pairs["iin_r"])
    columns = ("first_key", "last_key", "mother_key", "sex")
    nothing = [None] * len(pairs)
    sides = [
        pairs[f"{c}_{s}"].tolist() if f"{c}_{s}" in pairs else nothing
        for c in columns
        for s in ("l", "r")
    ]
    counts = common or {}
    flags = pd.Series(
        [_siblings(*values, common=counts) for values in zip(*sides, strict=True)],
        index=pairs.index,
        dtype=bool,
    )
    # Twins with their IINs are dropped below, and still tell who has a twin.
    twins = flags & ~same_iin
    held = _beside_a_twin(pairs, twins, counts) & ~same_iin
    return pairs[~different].assign(maybe_twins=(twins | held)[~different])


def _beside_a_twin(pairs: pd.DataFrame, twins: pd.Series, common: Mapping[str, int]) -> pd.Series:
    """Pairs whose first names are not equal, where a record has a twin or sibling
    among the pairs whose name is a typo apart from the other record's: a typo of one
    twin's name can be the other twin's name ("Аилна", a copy of Алёна's record, is
    an edit from her twin Алина), and the name then cannot say which child it is."""
    if not twins.any() or "first_key_l" not in pairs or "last_key_l" not in pairs:
        return pd.Series(False, index=pairs.index)
    siblings: dict[str, set[str]] = {}
    flagged = pairs.loc[twins, ["unique_id_l", "unique_id_r", "first_key_l", "first_key_r"]]
    for left, right, first_l, first_r in flagged.itertuples(index=False):
        siblings.setdefault(str(right), set()).add(str(first_l))
        siblings.setdefault(str(left), set()).add(str(first_r))

    def like_a_sibling(record: object, names: tuple[object, ...]) -> bool:
        # The other record's first name, or its surname where it swapped the two.
        return any(
            _one_name(_text(name), sibling, common)
            for sibling in siblings.get(str(record), ())
            for name in names
        )

    columns = pairs[[f"{c}_{s}" for c in ("unique_id", "first_key", "last_key") for s in "lr"]]
    held = [
        not twin
        and _text(first_l) != _text(first_r)
        and (like_a_sibling(left, (first_r, last_r)) or like_a_sibling(right, (first_l, last_l)))
        for (left, right, first_l, first_r, last_l, last_r), twin in zip(
            columns.itertuples(index=False), twins.tolist(), strict=True
        )
    ]
    return pd.Series(held, index=pairs.index, dtype=bool)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _one_name(
    a: str | None, b: str | None, common: Mapping[str, int], *, loose: bool = True
) -> bool:
    """The same first name, or typos apart: one edit, or two (a typo on each record, or
    a letter dropped and another swapped; `loose=False`: two only in a name of five
    letters or more that still reads alike); but never two names both common and of
    like frequency (Алина, Алёна): a typo is far rarer than the name it misspells,
    however many records repeat it."""
    if a is None or b is None:
        return False
    if a != b and a in common and b in common:
        rarer, commoner = sorted((common[a], common[b]))
        if rarer >= commoner / 10:
            return False
    edits = OSA.distance(a, b)
    if edits <= 1:
        return True
    if edits > 2:
        return False
    return loose or (min(len(a), len(b)) >= 5 and JaroWinkler.similarity(a, b) >= 0.85)


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
    # Crossed, strictly: a first name two edits from a surname is another child's
    # (Полина Илина and Амина Илина, twins).
    if _one_name(fl, lr, common, loose=False) and _one_name(ll, fr, common, loose=False):
        return other_sex and crossed
    return straight or crossed


def _alike(a: str | None, b: str | None, at: float) -> bool:
    return a is not None and b is not None and JaroWinkler.similarity(a, b) >= at


def evidence(pair: dict[str, Any], model: dict[str, Any]) -> list[dict[str, Any]]:
    """Per comparison: the level the pair fell in and its match weight (log2 BF)."""
    return evidences(pd.DataFrame([pair]), model)[0]


def evidences(pairs: pd.DataFrame, model: dict[str, Any]) -> list[list[dict[str, Any]]]:
    """`evidence` of every pair, column by column (200,000 pairs at 1M children)."""
    fields = []
    for comparison in model.get("comparisons", []):
        name = comparison["output_column_name"]
        labels = {
            lv["comparison_vector_value"]: lv.get("label_for_charts", "")
            for lv in _levels(comparison)
        }
        gamma = pairs.get(f"gamma_{name}")
        levels = [""] * len(pairs) if gamma is None else [labels.get(g, "") for g in gamma.tolist()]
        if f"bf_{name}" in pairs:
            weights = pairs[f"bf_{name}"].astype(float)
        elif f"mw_{name}" in pairs:
            weights = 2 ** pairs[f"mw_{name}"].astype(float)  # splink 5 gives the match weight
        else:
            weights = pd.Series(float("nan"), index=pairs.index)
        factors = [None if w != w else float(w) for w in weights.tolist()]  # NaN: none
        fields.append((name, levels, factors))
    return [
        [
            {"field": name, "level": levels[i], "bayes_factor": factors[i]}
            for name, levels, factors in fields
        ]
        for i in range(len(pairs))
    ]


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
