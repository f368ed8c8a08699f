"""Checks run on import; each finding is a structured :class:`Problem`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import numpy as np
import pandas as pd

from .definitions import Indicator, registry
from .problems import Problem, ProblemCode, Severity, sample_rows
from .readers import COMPLETED, WEIGHTS, Survey

LONELY_HANDLING = {
    "adjust": "variance centred at the grand mean (R survey.lonely.psu = 'adjust')",
    "remove": "stratum contributes no variance (R survey.lonely.psu = 'remove'/'certainty')",
    "fail": "analysis stops with an error (R survey.lonely.psu = 'fail')",
}


def check_survey(survey: Survey) -> list[Problem]:
    indicators = list(registry(survey.layout).values())
    problems = [*missing_files(survey, indicators), *missing_variables(survey, indicators)]
    for name, frame in survey.frames.items():
        weight = WEIGHTS.get(name)
        if weight and weight in frame:
            problems.extend(weight_problems(name, weight, frame))
        if {"HH1", "stratum"} <= set(frame):
            problems.extend(single_cluster_strata(name, frame, survey.lonely_psu))
        completed = COMPLETED[survey.layout].get(name)
        if completed and {"HH1", completed} <= set(frame):
            problems.extend(single_interview_clusters(name, frame, completed))
    return problems


def missing_files(survey: Survey, indicators: Iterable[Indicator]) -> Iterable[Problem]:
    needed: dict[str, list[str]] = defaultdict(list)
    for indicator in indicators:
        for source in indicator.sources:
            needed[source.file].append(indicator.code)
    for name in sorted(needed.keys() - survey.frames.keys()):
        codes = ", ".join(needed[name])
        yield Problem(
            ProblemCode.MISSING_FILE,
            Severity.ERROR,
            f"File {name}.sav was not found in {survey.path.name}; "
            f"indicators {codes} cannot be computed.",
            file=name,
            rows=tuple(needed[name]),
            handling="indicators skipped",
        )


def required_columns(indicator: Indicator) -> frozenset[str]:
    """Canonical columns without which the indicator cannot be estimated at all."""
    return indicator.universe.columns() | indicator.numerator.columns() | {"cluster", "stratum"}


def absent_variables(survey: Survey, indicator: Indicator) -> list[tuple[str, str, str]]:
    """``(file, variable, canonical column)`` the indicator needs but the files lack.

    The weight is reported with canonical column ``weight``.
    """
    absent = []
    canonical = indicator.columns() | {"cluster", "stratum"}
    for source in indicator.sources:
        frame = survey.frames.get(source.file)
        if frame is None:
            continue
        mapping = source.mapping()
        if source.weight not in frame:
            absent.append((source.file, source.weight, "weight"))
        absent.extend(
            (source.file, mapping[c], c) for c in sorted(canonical) if mapping[c] not in frame
        )
    return absent


def missing_variables(survey: Survey, indicators: Iterable[Indicator]) -> Iterable[Problem]:
    blocking: dict[tuple[str, str], list[str]] = defaultdict(list)
    partial: dict[tuple[str, str], list[str]] = defaultdict(list)
    for indicator in indicators:
        required = required_columns(indicator) | {"weight"}
        for file, variable, column in absent_variables(survey, indicator):
            target = blocking if column in required else partial
            target[(file, variable)].append(indicator.code)
    for (file, variable), codes in sorted(blocking.items()):
        yield Problem(
            ProblemCode.MISSING_VARIABLE,
            Severity.ERROR,
            f"Variable {variable} is missing from {file}.sav; "
            f"indicators {', '.join(codes)} cannot be computed.",
            file=file,
            variable=variable,
            rows=tuple(codes),
            handling="indicators skipped",
        )
    for (file, variable), codes in sorted(partial.items()):
        if (file, variable) in blocking:
            continue
        yield Problem(
            ProblemCode.MISSING_VARIABLE,
            Severity.WARNING,
            f"Variable {variable} is missing from {file}.sav; indicators {', '.join(codes)} "
            "are computed without the disaggregation that uses it.",
            file=file,
            variable=variable,
            rows=tuple(codes),
            handling="disaggregation skipped",
        )


def weight_problems(file: str, weight: str, frame: pd.DataFrame) -> Iterable[Problem]:
    w = frame[weight].to_numpy(dtype=float)
    missing = np.isnan(w)
    zero = w == 0
    if zero.any():
        yield Problem(
            ProblemCode.ZERO_WEIGHT,
            Severity.INFO,
            f"{int(zero.sum())} records of {file}.sav have {weight} = 0.",
            file=file,
            variable=weight,
            count=int(zero.sum()),
            rows=sample_rows(np.flatnonzero(zero) + 1),
            handling="kept in the design (their clusters count), contribute nothing",
        )
    if missing.any():
        yield Problem(
            ProblemCode.MISSING_WEIGHT,
            Severity.WARNING,
            f"{int(missing.sum())} records of {file}.sav have no value for {weight}.",
            file=file,
            variable=weight,
            count=int(missing.sum()),
            rows=sample_rows(np.flatnonzero(missing) + 1),
            handling="treated as weight 0: kept in the design, contribute nothing",
        )


def single_cluster_strata(file: str, frame: pd.DataFrame, lonely_psu: str) -> Iterable[Problem]:
    clusters = frame.groupby("stratum")["HH1"].nunique()
    lonely = clusters[clusters == 1]
    if len(lonely):
        yield Problem(
            ProblemCode.SINGLE_CLUSTER_STRATUM,
            Severity.WARNING,
            f"{len(lonely)} strata of {file}.sav have a single cluster "
            f"(stratum {', '.join(sample_rows(lonely.index))}).",
            file=file,
            variable="stratum",
            count=len(lonely),
            rows=sample_rows(lonely.index),
            handling=LONELY_HANDLING[lonely_psu],
        )


def single_interview_clusters(file: str, frame: pd.DataFrame, completed: str) -> Iterable[Problem]:
    done = frame.loc[frame[completed] == 1, "HH1"].value_counts()
    single = done[done == 1].sort_index()
    if len(single):
        yield Problem(
            ProblemCode.SINGLE_INTERVIEW_CLUSTER,
            Severity.WARNING,
            f"{len(single)} clusters of {file}.sav have one completed interview "
            f"({completed} = 1) (cluster {', '.join(sample_rows(single.index))}).",
            file=file,
            variable="HH1",
            count=len(single),
            rows=sample_rows(single.index),
            handling="kept; the cluster contributes to variance like any other",
        )
