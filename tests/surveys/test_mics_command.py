import csv
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from qorgau.surveys.models import Survey

pytestmark = pytest.mark.django_db

CSV_HEADER = [
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


def _run(*args: str) -> str:
    out = StringIO()
    call_command("mics", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_import_prints_each_problem_with_file_variable_count_and_handling(mics_dir):
    output = _run("import", str(mics_dir), "--name", "cli-test")
    survey = Survey.objects.get(name="cli-test")
    assert "Imported survey 'cli-test' (MICS6)" in output
    assert f"{survey.estimates.count()} estimates" in output
    for problem in survey.problems:
        assert f"file {problem['file']}.sav" in output
        assert f"variable {problem['variable']}" in output
        assert f"handled: {problem['handling']}" in output
    zero = next(p for p in survey.problems if p["code"] == "zero_weight")
    assert f"zero_weight: file {zero['file']}.sav, variable {zero['variable']}, count " in output


def test_import_refuses_an_existing_name_and_replaces_on_request(mics_dir):
    _run("import", str(mics_dir), "--name", "cli-test")
    with pytest.raises(CommandError, match="already exists"):
        _run("import", str(mics_dir), "--name", "cli-test")
    assert "Replaced survey 'cli-test'" in _run(
        "import", str(mics_dir), "--name", "cli-test", "--replace"
    )


def test_import_says_when_the_files_are_those_of_another_survey(mics_dir):
    _run("import", str(mics_dir), "--name", "first")
    output = _run("import", str(mics_dir), "--name", "second")
    assert "identical (same SHA-256 checksums) to survey first" in output


def test_tables_writes_a_csv_with_exactly_the_required_columns(mics_dir, tmp_path):
    _run("import", str(mics_dir), "--name", "cli-test")
    out = tmp_path / "tables.csv"
    _run("tables", "cli-test", "--out", str(out))
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == CSV_HEADER
    assert len(rows) - 1 == Survey.objects.get(name="cli-test").estimates.count()
    assert rows[1][:3] == ["PR.1", "total", "Total"]


def test_tables_writes_a_workbook_with_one_sheet_per_indicator(mics_dir, tmp_path):
    _run("import", str(mics_dir), "--name", "cli-test")
    out = tmp_path / "tables.xlsx"
    _run("tables", "cli-test", "--out", str(out))
    survey = Survey.objects.get(name="cli-test")
    indicators = list(dict.fromkeys(survey.estimates.values_list("indicator", flat=True)))
    book = load_workbook(out)
    assert book.sheetnames == indicators
    assert book["PR.2"]["A1"].value.startswith("PR.2 ")


def test_tables_of_an_unknown_survey_is_a_clear_error(mics_dir, tmp_path):
    _run("import", str(mics_dir), "--name", "cli-test")
    with pytest.raises(CommandError, match=r"No survey named 'nope'\. Imported surveys: cli-test"):
        _run("tables", "nope", "--out", str(tmp_path / "t.xlsx"))


def test_tables_refuses_an_unsupported_extension(tmp_path):
    with pytest.raises(CommandError, match=r"Unsupported output format '\.ods'"):
        _run("tables", "any", "--out", str(tmp_path / "t.ods"))


def test_generate_writes_a_synthetic_survey(tmp_path):
    output = _run("generate", str(tmp_path / "gen"), "--households", "200", "--seed", "3")
    assert {p.name for p in (tmp_path / "gen").glob("*.sav")} == {
        "hh.sav",
        "hl.sav",
        "wm.sav",
        "mn.sav",
        "ch.sav",
        "fs.sav",
    }
    assert "200 households (seed 3)" in output
