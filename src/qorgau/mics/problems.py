"""Structured problems found while importing or analysing a survey.

Messages are English; ``code`` is the stable key the web layer translates, and
the other fields are the parameters it interpolates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    INFO = "info"  # noted, analysis unaffected
    WARNING = "warning"  # analysis runs, some results change or are left out
    ERROR = "error"  # the named file or indicator cannot be analysed


class ProblemCode(StrEnum):
    MISSING_FILE = "missing_file"
    MISSING_VARIABLE = "missing_variable"
    ZERO_WEIGHT = "zero_weight"
    MISSING_WEIGHT = "missing_weight"
    SINGLE_INTERVIEW_CLUSTER = "single_interview_cluster"
    SINGLE_CLUSTER_STRATUM = "single_cluster_stratum"
    STRATUM_BUILT = "stratum_built"
    CHILD_WEIGHT_BUILT = "child_weight_built"
    INDICATOR_SKIPPED = "indicator_skipped"
    DISAGGREGATION_SKIPPED = "disaggregation_skipped"
    LAYOUT_UNSUPPORTED = "layout_unsupported"


@dataclass(frozen=True)
class Problem:
    code: ProblemCode
    severity: Severity
    message: str
    file: str = ""
    variable: str = ""
    count: int = 0
    # Example identifiers (row numbers, cluster or stratum values), at most ROW_SAMPLE.
    rows: tuple[str, ...] = field(default_factory=tuple)
    handling: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "code": str(self.code),
            "severity": str(self.severity),
            "message": self.message,
            "file": self.file,
            "variable": self.variable,
            "count": self.count,
            "rows": list(self.rows),
            "handling": self.handling,
        }


ROW_SAMPLE = 20


def sample_rows(values: object) -> tuple[str, ...]:
    """The first ROW_SAMPLE identifiers, as text, for a problem report."""
    out = []
    for value in list(values)[:ROW_SAMPLE]:  # type: ignore[call-overload]
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        out.append(str(value))
    return tuple(out)
