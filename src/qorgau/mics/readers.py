"""Reading a MICS dataset folder of SPSS ``.sav`` files."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import pyreadstat

from .definitions import DESIGN_COLUMNS, Indicator, registry
from .problems import Problem, ProblemCode, Severity

Layout = Literal["mics6", "mics5"]
LonelyPsu = Literal["adjust", "remove", "fail"]

FILES = ("hh", "hl", "wm", "mn", "ch", "fs")
WEIGHTS = {"hh": "hhweight", "wm": "wmweight", "mn": "mnweight", "ch": "chweight", "fs": "fsweight"}
COMPLETED: dict[str, dict[str, str]] = {
    "mics6": {"hh": "HH46", "wm": "WM17", "mn": "MWM17", "ch": "UF17", "fs": "FS17"},
    "mics5": {"hh": "HH9", "wm": "WM7", "mn": "MWM7", "ch": "UF9"},
}
# Variables the reader itself needs besides those named by indicator definitions.
_EXTRA = {"HH2", "HL1", "HL4", "LN", "SL1", "SL9B", "SL9C", *DESIGN_COLUMNS.values()}


@dataclass(frozen=True)
class SurveyFile:
    """What the web layer stores about one imported file."""

    name: str
    path: Path
    sha256: str
    rows: int
    variables: tuple[str, ...]


@dataclass
class Survey:
    path: Path
    layout: Layout
    frames: dict[str, pd.DataFrame]
    value_labels: dict[str, dict[str, dict[float, str]]]
    files: list[SurveyFile]
    problems: list[Problem] = field(default_factory=list)
    lonely_psu: LonelyPsu = "adjust"

    def labels(self, file: str, variable: str) -> dict[float, str]:
        return self.value_labels.get(file, {}).get(variable, {})


def find_files(path: Path) -> dict[str, Path]:
    """The MICS files in a folder, matched case-insensitively (``HH.SAV`` is ``hh``)."""
    found: dict[str, Path] = {}
    for candidate in sorted(path.iterdir()):
        stem, suffix = candidate.stem.lower(), candidate.suffix.lower()
        if suffix == ".sav" and stem in FILES:
            found[stem] = candidate
    return found


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def survey_checksums(path: str | Path) -> list[SurveyFile]:
    """Name, SHA-256, row count and variable names of each MICS file in a folder.

    Reads metadata only, so the web layer can recognise a survey it already
    stored without loading the data.
    """
    out = []
    for name, file in find_files(Path(path)).items():
        _, meta = pyreadstat.read_sav(str(file), metadataonly=True)
        out.append(
            SurveyFile(
                name, file, sha256_of(file), int(meta.number_rows or 0), tuple(meta.column_names)
            )
        )
    return out


def _wanted_variables(layout: Layout) -> set[str]:
    wanted = set(_EXTRA) | set(WEIGHTS.values()) | set(COMPLETED[layout].values())
    indicator: Indicator
    for indicator in registry(layout).values():
        for source in indicator.sources:
            wanted.update(source.mapping().values())
    return wanted


def detect_layout(files: dict[str, Path]) -> Layout:
    """MICS5 keeps the selected child in hh.sav (``SL1``) and has no fs.sav."""
    if "fs" in files or "hh" not in files:
        return "mics6"
    _, meta = pyreadstat.read_sav(str(files["hh"]), metadataonly=True)
    return "mics5" if "sl1" in {c.lower() for c in meta.column_names} else "mics6"


def _read(
    file: Path, wanted: set[str]
) -> tuple[pd.DataFrame, dict[str, dict[float, str]], tuple[str, ...]]:
    _, meta = pyreadstat.read_sav(str(file), metadataonly=True)
    variables = tuple(meta.column_names)
    # MICS releases differ in the case of variable names; keep the case of our definitions.
    by_lower = {w.lower(): w for w in wanted}
    usecols = [c for c in variables if c.lower() in by_lower]
    frame, meta = pyreadstat.read_sav(str(file), usecols=usecols)
    rename = {c: by_lower[c.lower()] for c in frame.columns}
    frame = frame.rename(columns=rename)
    labels = {
        rename.get(var, var): {float(k): str(v) for k, v in value_labels.items()}
        for var, value_labels in meta.variable_value_labels.items()
        if var in rename
    }
    return frame, labels, variables


def load_survey(
    path: str | Path, *, layout: Layout | None = None, lonely_psu: LonelyPsu = "adjust"
) -> Survey:
    """Read a MICS dataset folder and check it; problems are listed on the result."""
    from .checks import check_survey  # checks needs Survey; import here to avoid a cycle

    folder = Path(path)
    files = find_files(folder)
    layout = layout or detect_layout(files)
    wanted = _wanted_variables(layout)
    frames: dict[str, pd.DataFrame] = {}
    value_labels: dict[str, dict[str, dict[float, str]]] = {}
    stored: list[SurveyFile] = []
    for name, file in files.items():
        frame, labels, variables = _read(file, wanted)
        frames[name], value_labels[name] = frame, labels
        stored.append(SurveyFile(name, file, sha256_of(file), len(frame), variables))
    survey = Survey(folder, layout, frames, value_labels, stored, lonely_psu=lonely_psu)
    survey.problems.extend(_build_stratum(survey))
    if layout == "mics5":
        survey.problems.extend(_build_selected_child(survey))
    survey.problems.extend(check_survey(survey))
    return survey


def _build_stratum(survey: Survey) -> Iterable[Problem]:
    """Files without ``stratum`` get one from region and area, as MICS5 tabulation does."""
    for name, frame in survey.frames.items():
        if name == "hl" or "stratum" in frame or not {"HH6", "HH7"} <= set(frame):
            continue
        frame["stratum"] = frame["HH7"] * 10 + frame["HH6"]
        yield Problem(
            ProblemCode.STRATUM_BUILT,
            Severity.INFO,
            f"{name}.sav has no variable stratum; strata were built from region (HH7) "
            "and area (HH6).",
            file=name,
            variable="stratum",
            count=int(frame["stratum"].nunique()),
            handling="stratum = HH7 x HH6",
        )


def _build_selected_child(survey: Survey) -> Iterable[Problem]:
    """MICS5: child weight and sex of the randomly selected child 1-17 in hh.sav.

    As the official syntax: ``tmpw = hhweight * SL1`` and
    ``slweight = tmpw * sum(SL1) / sum(tmpw * SL1)`` over households with SL1 > 0;
    households without a child 1-17 get weight 0.
    """
    hh = survey.frames.get("hh")
    if hh is None or not {"SL1", "hhweight"} <= set(hh):
        return
    sl1 = hh["SL1"].to_numpy(dtype=float)
    with_children = np.nan_to_num(sl1) > 0
    tmpw = np.where(with_children, np.nan_to_num(hh["hhweight"].to_numpy(dtype=float)) * sl1, 0.0)
    weighted = float((tmpw * np.where(with_children, sl1, 0.0)).sum())
    factor = float(sl1[with_children].sum()) / weighted if weighted > 0 else 0.0
    hh["slweight"] = tmpw * factor
    hl = survey.frames.get("hl")
    if hl is not None and {"HH1", "HH2", "HL1", "HL4"} <= set(hl) and "SL9B" in hh:
        sex = hl[["HH1", "HH2", "HL1", "HL4"]].rename(columns={"HL1": "SL9B", "HL4": "SLHL4"})
        merged = hh[["HH1", "HH2", "SL9B"]].merge(sex, on=["HH1", "HH2", "SL9B"], how="left")
        hh["SLHL4"] = merged["SLHL4"].to_numpy()
        if "HL4" in survey.value_labels.get("hl", {}):
            survey.value_labels["hh"]["SLHL4"] = survey.value_labels["hl"]["HL4"]
    yield Problem(
        ProblemCode.CHILD_WEIGHT_BUILT,
        Severity.INFO,
        "MICS5 layout: the selected child's weight slweight was built from hhweight and SL1 "
        "as in the official tabulation syntax.",
        file="hh",
        variable="slweight",
        count=int(with_children.sum()),
        handling="slweight = hhweight*SL1*sum(SL1)/sum(hhweight*SL1*SL1) over households with SL1",
    )
