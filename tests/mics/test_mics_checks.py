"""Import checks report each problem with a specific, structured message."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import numpy as np
import pytest
from mics_support import read, rewrite

from qorgau.mics import LonelyPsuError, compute_tables, load_survey, survey_checksums
from qorgau.mics.readers import Survey


@pytest.fixture
def copy(mics6_dir: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(mics6_dir, tmp_path / "survey"))


def _problems(survey: Survey, code: str, file: str | None = None):
    return [p for p in survey.problems if p.code == code and (file is None or p.file == file)]


def test_a_missing_file_is_reported_and_its_indicators_skipped(copy: Path) -> None:
    (copy / "ch.sav").unlink()
    survey = load_survey(copy)
    [problem] = _problems(survey, "missing_file")
    assert problem.file == "ch"
    assert problem.severity == "error"
    assert "ch.sav" in problem.message and "PR.1" in problem.message and "PR.2" in problem.message
    table = compute_tables(survey)
    assert "PR.1" not in set(table["indicator"])
    assert "PR.2" not in set(table["indicator"])  # stacks ch with fs: needs both
    assert "PR.3" in set(table["indicator"])
    skipped = {p.variable for p in table.attrs["problems"] if p.code == "indicator_skipped"}
    assert {"PR.1", "PR.2", "PR.2.SEV"} <= skipped


def test_a_missing_numerator_variable_blocks_only_its_indicators(copy: Path) -> None:
    rewrite(copy, "wm", lambda f: f.drop(columns=["WAGEM"]))
    survey = load_survey(copy)
    [problem] = _problems(survey, "missing_variable", "wm")
    assert (problem.variable, problem.severity) == ("WAGEM", "error")
    assert problem.rows == ("PR.4a", "PR.4b")
    assert "Variable WAGEM is missing from wm.sav" in problem.message
    computed = set(compute_tables(survey)["indicator"])
    assert {"PR.4a", "PR.4b"}.isdisjoint(computed)
    assert {"PR.5", "PR.15.W"} <= computed


def test_a_missing_disaggregation_variable_drops_only_that_disaggregation(copy: Path) -> None:
    rewrite(copy, "ch", lambda f: f.drop(columns=["melevel"]))
    survey = load_survey(copy)
    [problem] = _problems(survey, "missing_variable", "ch")
    assert (problem.variable, problem.severity) == ("melevel", "warning")
    table = compute_tables(survey, ["PR.1"])
    assert "mother_education" not in set(table["disaggregation"])
    assert {"total", "sex", "wealth"} <= set(table["disaggregation"])
    assert [p.code for p in table.attrs["problems"]] == ["disaggregation_skipped"]


def test_zero_weights_are_counted_per_file(mics6_dir: Path, survey6: Survey) -> None:
    for file, weight in (("hh", "hhweight"), ("wm", "wmweight"), ("fs", "fsweight")):
        raw, _ = read(mics6_dir, file)
        [problem] = _problems(survey6, "zero_weight", file)
        assert problem.variable == weight
        assert problem.count == int((raw[weight] == 0).sum()) > 0
        assert problem.severity == "info"


def test_missing_weights_are_reported_and_treated_as_zero(copy: Path) -> None:
    def blank(frame):
        frame.loc[frame.index[:5], "fsweight"] = np.nan
        return frame

    rewrite(copy, "fs", blank)
    survey = load_survey(copy)
    [problem] = _problems(survey, "missing_weight", "fs")
    assert problem.count == 5
    assert problem.rows == ("1", "2", "3", "4", "5")
    assert "treated as weight 0" in problem.handling
    assert np.isfinite(compute_tables(survey, ["PR.3"])["estimate"].iloc[0])


def test_a_single_cluster_stratum_is_reported_with_its_handling(survey6: Survey) -> None:
    [problem] = _problems(survey6, "single_cluster_stratum", "hh")
    assert problem.rows == ("2",)
    assert "1 strata of hh.sav have a single cluster (stratum 2)" in problem.message
    assert "adjust" in problem.handling


def test_lonely_psu_fail_stops_the_analysis(survey6: Survey) -> None:
    with pytest.raises(LonelyPsuError, match="1 strata have a single PSU"):
        compute_tables(survey6, ["PR.1"], lonely_psu="fail")


def test_a_cluster_with_one_interview_is_reported(mics6_dir: Path, survey6: Survey) -> None:
    raw, _ = read(mics6_dir, "hh")
    per_cluster = raw[raw["HH46"] == 1].groupby("HH1").size()
    [problem] = _problems(survey6, "single_interview_cluster", "hh")
    assert problem.rows == tuple(str(int(c)) for c in per_cluster[per_cluster == 1].index)
    assert "(HH46 = 1)" in problem.message


def test_file_names_are_matched_case_insensitively(copy: Path, survey6: Survey) -> None:
    for file in copy.glob("*.sav"):
        file.rename(copy / file.name.upper())
    survey = load_survey(copy)
    assert set(survey.frames) == {"hh", "hl", "wm", "mn", "ch", "fs"}
    assert not _problems(survey, "missing_file")


def test_checksums_name_each_file_with_its_sha256_rows_and_variables(mics6_dir: Path) -> None:
    files = {f.name: f for f in survey_checksums(mics6_dir)}
    assert set(files) == {"hh", "hl", "wm", "mn", "ch", "fs"}
    raw, _ = read(mics6_dir, "wm")
    wm = files["wm"]
    assert wm.sha256 == hashlib.sha256((mics6_dir / "wm.sav").read_bytes()).hexdigest()
    assert wm.rows == len(raw)
    assert wm.variables == tuple(raw.columns)


def test_loaded_survey_carries_the_same_checksums(mics6_dir: Path, survey6: Survey) -> None:
    assert {f.name: f.sha256 for f in survey6.files} == {
        f.name: f.sha256 for f in survey_checksums(mics6_dir)
    }
