"""From a loaded survey and indicator definitions to the tidy table of estimates."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .checks import absent_variables, required_columns
from .definitions import Disaggregation, Indicator, registry
from .estimator import Design, LonelyPsu, factorize, ratio_by_cells
from .problems import Problem, ProblemCode, Severity
from .readers import Survey

COLUMNS = [
    "indicator",
    "disaggregation",
    "category",
    "estimate",
    "se",
    "ci_low",
    "ci_high",
    "deff",
    "n_unweighted",
    "n_weighted",
]
"""The tidy table; ``flag``, ``ci95_low`` and ``ci95_high`` follow these columns."""

# MICS tables: estimate ± 2·SE, parentheses for 25-49 unweighted cases, asterisk below 25.
CI_MULTIPLIER = 2.0
NORMAL_95 = 1.959963984540054
FLAG_ASTERISK_BELOW = 25
FLAG_PARENTHESES_BELOW = 50

Progress = Callable[[int, int, str], None]
"""``progress(done, total, what)``, called after each step of a long computation."""


@dataclass
class AnalysisFrame:
    """Records of an indicator's source files stacked, in canonical column names."""

    columns: dict[str, np.ndarray]
    weight: np.ndarray
    labels: dict[str, dict[float, str]]


def build_frame(survey: Survey, indicator: Indicator, columns: Iterable[str]) -> AnalysisFrame:
    """Stack the source files; each keeps its own weight (PR.2: not rescaled)."""
    parts: dict[str, list[np.ndarray]] = {c: [] for c in columns}
    weights = []
    labels: dict[str, dict[float, str]] = {}
    for source in indicator.sources:
        frame = survey.frames[source.file]
        mapping = source.mapping()
        for column, values in parts.items():
            values.append(frame[mapping[column]].to_numpy(dtype=float))
            if column not in labels and survey.labels(source.file, mapping[column]):
                labels[column] = survey.labels(source.file, mapping[column])
        weights.append(frame[source.weight].to_numpy(dtype=float))
    return AnalysisFrame(
        {c: np.concatenate(v) for c, v in parts.items()}, np.concatenate(weights), labels
    )


def category_codes(
    frame: AnalysisFrame, disaggregation: Disaggregation
) -> tuple[np.ndarray, list[str]]:
    """Category code of each record (-1: none) and the category labels."""
    n = len(frame.weight)
    if disaggregation.column is None:
        return np.zeros(n, dtype=np.int64), ["Total"]
    values = frame.columns[disaggregation.column]
    codes = np.full(n, -1, dtype=np.int64)
    if disaggregation.groups:
        for i, group in enumerate(disaggregation.groups):
            codes[(values >= group.low) & (values <= group.high)] = i
        return codes, [g.label for g in disaggregation.groups]
    present, codes = factorize(values)
    names = frame.labels.get(disaggregation.column, {})
    return codes, [names.get(float(v), f"{v:g}") for v in present]


def _group_key(indicator: Indicator) -> str:
    # Indicators sharing sources, universe and disaggregations are estimated in one pass.
    return repr((indicator.sources, indicator.universe, indicator.disaggregations))


def compute_tables(
    survey: Survey,
    indicators: Sequence[str] | None = None,
    progress: Progress | None = None,
    *,
    lonely_psu: LonelyPsu | None = None,
) -> pd.DataFrame:
    """Estimate indicators (codes; all of the survey's layout by default) by disaggregation.

    Problems met while computing (skipped indicators or disaggregations) are in
    ``result.attrs["problems"]``.
    """
    available = registry(survey.layout)
    chosen = [available[c] for c in (indicators or list(available))]
    problems: list[Problem] = []
    groups: dict[str, list[Indicator]] = {}
    for indicator in chosen:
        if _computable(survey, indicator, problems):
            groups.setdefault(_group_key(indicator), []).append(indicator)

    stacks = _Stacks(survey, [m for members in groups.values() for m in members])
    rows: list[pd.DataFrame] = []
    for done, members in enumerate(groups.values(), start=1):
        rows.append(_estimate_group(stacks, members, lonely_psu or survey.lonely_psu, problems))
        if progress:
            progress(done, len(groups), ", ".join(i.code for i in members))
    table = _finish(pd.concat(rows, ignore_index=True)) if rows else _empty()
    order = {i.code: n for n, i in enumerate(chosen)}
    table = table.sort_values("indicator", key=lambda s: s.map(order), kind="stable")
    table = table.reset_index(drop=True)
    table.attrs["problems"] = problems
    return table


def _computable(survey: Survey, indicator: Indicator, problems: list[Problem]) -> bool:
    missing_files = [s.file for s in indicator.sources if s.file not in survey.frames]
    required = required_columns(indicator) | {"weight"}
    missing = [
        f"{file}.{variable}"
        for file, variable, column in absent_variables(survey, indicator)
        if column in required
    ]
    if not missing_files and not missing:
        return True
    what = [f"{f}.sav" for f in missing_files] + missing
    problems.append(
        Problem(
            ProblemCode.INDICATOR_SKIPPED,
            Severity.ERROR,
            f"Indicator {indicator.code} was not computed: {', '.join(what)} not found.",
            variable=indicator.code,
            rows=tuple(what),
            handling="indicator skipped",
        )
    )
    return False


class _Stacks:
    """Frames, designs and category codes shared by indicators with the same sources.

    Built once per ``compute_tables`` call: the women's file serves PR.4a, PR.4b,
    PR.5 and PR.15.W, and its design and categories need computing only once.
    """

    def __init__(self, survey: Survey, indicators: list[Indicator]) -> None:
        self.survey = survey
        self.columns: dict[str, set[str]] = {}
        for indicator in indicators:
            absent = {column for _, _, column in absent_variables(survey, indicator)}
            needed = (indicator.columns() | {"cluster", "stratum"}) - absent
            self.columns.setdefault(repr(indicator.sources), set()).update(needed)
        self._built: dict[str, tuple[AnalysisFrame, Design]] = {}
        self._categories: dict[tuple[str, Disaggregation], tuple[np.ndarray, list[str]]] = {}

    def get(self, indicator: Indicator) -> tuple[AnalysisFrame, Design]:
        key = repr(indicator.sources)
        if key not in self._built:
            frame = build_frame(self.survey, indicator, sorted(self.columns[key]))
            design = Design.from_arrays(
                frame.columns["stratum"], frame.columns["cluster"], frame.weight
            )
            self._built[key] = (frame, design)
        return self._built[key]

    def categories(
        self, indicator: Indicator, disaggregation: Disaggregation
    ) -> tuple[np.ndarray, list[str]]:
        key = (repr(indicator.sources), disaggregation)
        if key not in self._categories:
            self._categories[key] = category_codes(self.get(indicator)[0], disaggregation)
        return self._categories[key]


def _estimate_group(
    stacks: _Stacks, members: list[Indicator], lonely_psu: LonelyPsu, problems: list[Problem]
) -> pd.DataFrame:
    first = members[0]
    absent = {column for _, _, column in absent_variables(stacks.survey, first)}
    disaggregations = [d for d in first.disaggregations if d.column not in absent]
    for skipped in (d for d in first.disaggregations if d.column in absent):
        problems.append(
            Problem(
                ProblemCode.DISAGGREGATION_SKIPPED,
                Severity.WARNING,
                f"Indicators {', '.join(i.code for i in members)} are not disaggregated by "
                f"{skipped.title.lower()}: its variable is missing.",
                variable=skipped.key,
                rows=tuple(i.code for i in members),
                handling="disaggregation skipped",
            )
        )
    frame, design = stacks.get(first)
    domain = first.universe.evaluate(frame.columns)
    numerators = np.stack([i.numerator.evaluate(frame.columns) for i in members])

    cell_rows: list[np.ndarray] = []
    labels: list[tuple[str, str]] = []
    offset = 0
    for disaggregation in disaggregations:
        codes, names = stacks.categories(first, disaggregation)
        cell_rows.append(np.where(codes >= 0, codes + offset, -1))
        labels.extend((disaggregation.key, name) for name in names)
        offset += len(names)
    cells = ratio_by_cells(
        design, numerators, domain, np.stack(cell_rows), offset, lonely_psu=lonely_psu
    )
    out = []
    for k, indicator in enumerate(members):
        part = pd.DataFrame(
            {
                "indicator": indicator.code,
                "disaggregation": [key for key, _ in labels],
                "category": [name for _, name in labels],
                "estimate": 100 * cells.estimate[k],
                "se": 100 * cells.se[k],
                "deff": cells.deff[k],
                "n_unweighted": cells.n_unweighted,
                "n_weighted": cells.n_weighted,
            }
        )
        out.append(part)
    return pd.concat(out, ignore_index=True)


def _finish(table: pd.DataFrame) -> pd.DataFrame:
    # Every indicator is a percentage: a limit beyond 0-100 is not a possible value, so
    # the table (and every export of it) cuts the limits there, as the pages show them.
    table["ci_low"] = _percent(table["estimate"] - CI_MULTIPLIER * table["se"])
    table["ci_high"] = _percent(table["estimate"] + CI_MULTIPLIER * table["se"])
    n = table["n_unweighted"]
    table["flag"] = np.select(
        [n < FLAG_ASTERISK_BELOW, n < FLAG_PARENTHESES_BELOW], ["*", "()"], default=""
    )
    table["ci95_low"] = _percent(table["estimate"] - NORMAL_95 * table["se"])
    table["ci95_high"] = _percent(table["estimate"] + NORMAL_95 * table["se"])
    return table[[*COLUMNS, "flag", "ci95_low", "ci95_high"]]


def _percent(limit: pd.Series) -> pd.Series:
    return limit.clip(lower=0.0, upper=100.0)


def _empty() -> pd.DataFrame:
    return pd.DataFrame(columns=[*COLUMNS, "flag", "ci95_low", "ci95_high"])
