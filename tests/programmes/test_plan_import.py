"""`qorgau programmes import`: the synthetic plan, dry runs, bad rows, re-imports."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from qorgau.programmes.models import Direction, Indicator, IndicatorTarget, Measure, ResponsibleBody
from qorgau.programmes.plan import plan_import
from qorgau.programmes.synthetic import synthetic_plan

pytestmark = pytest.mark.django_db
PROGRAMME = "qazaqstan-balalary"


def _file(book: Workbook) -> io.BytesIO:
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def _import(book: Workbook, **options):
    return plan_import(source=_file(book), programme_code=PROGRAMME, **options)


def test_the_synthetic_plan_has_the_programmes_shape():
    result = _import(synthetic_plan())
    assert result.errors == []
    assert result.stored
    assert Direction.objects.filter(programme__code=PROGRAMME).count() == 4
    assert Indicator.objects.filter(programme__code=PROGRAMME).count() == 10
    assert Measure.objects.filter(programme__code=PROGRAMME).count() == 158
    assert IndicatorTarget.objects.filter(region__isnull=True).count() == 50  # 10 x 2026-2030
    assert all(m.bodies.exists() for m in Measure.objects.all()[:20])


def test_a_dry_run_checks_everything_and_stores_nothing():
    result = _import(synthetic_plan(), dry_run=True)
    assert result.errors == []
    assert not result.stored
    assert not Measure.objects.exists()
    assert not ResponsibleBody.objects.exists()


def test_importing_the_same_file_again_changes_nothing():
    _import(synthetic_plan())
    again = _import(synthetic_plan())
    assert again.stored
    for sheet, counts in again.counts.items():
        assert (counts.created, counts.updated) == (0, 0), sheet
    assert again.counts["measures"].unchanged == 158
    assert Measure.objects.count() == 158


def test_a_corrected_file_updates_what_it_corrects():
    _import(synthetic_plan())
    book = synthetic_plan()
    book["measures"]["G2"] = dt.date(2030, 12, 31)  # measure 1's deadline
    book["measures"]["F3"] = "min-health;akimat-55"  # measure 2's bodies
    result = _import(book)
    assert result.counts["measures"].updated == 2
    assert result.counts["measures"].unchanged == 156
    assert Measure.objects.get(number=1).deadline == dt.date(2030, 12, 31)
    assert set(Measure.objects.get(number=2).bodies.values_list("code", flat=True)) == {
        "min-health",
        "akimat-55",
    }


def _with_bad_rows() -> Workbook:
    book = synthetic_plan()
    measures = book["measures"]
    measures["B4"] = 9  # row 4: no direction 9
    measures["F5"] = "min-education;ministry-of-nothing"  # row 5: an unknown body
    measures["G6"] = "next spring"  # row 6: not a date
    measures["C7"] = None  # row 7: a required title missing
    # Row 12 of indicators: neither yes nor no; row 27 of bodies: no such region.
    book["indicators"].append(["5.1", 4, "kk", "ru", "en", "%", "maybe", 2025, 1, ""])
    book["bodies"].append(["akimat-99", "kk", "ru", "en", "990000000"])
    return book


def test_bad_rows_are_reported_by_sheet_row_and_column_and_nothing_is_stored():
    result = _import(_with_bad_rows())
    found = {(e.sheet, e.row, e.column) for e in result.errors}
    assert found == {
        ("measures", 4, "direction"),
        ("measures", 5, "responsible"),
        ("measures", 6, "deadline"),
        ("measures", 7, "title_kk"),
        ("indicators", 12, "higher_is_better"),
        ("bodies", 27, "region"),
    }
    messages = {e.column: e.message for e in result.errors}
    assert "ministry-of-nothing" in messages["responsible"]
    assert "next spring" in messages["deadline"]
    assert not result.stored
    assert not Measure.objects.exists()


def test_keep_good_stores_exactly_the_good_rows():
    result = _import(_with_bad_rows(), keep_good=True)
    assert result.stored
    assert Measure.objects.count() == 158 - 4
    assert not Measure.objects.filter(number__in=[3, 4, 5, 6]).exists()
    assert Indicator.objects.count() == 10
    assert ResponsibleBody.objects.count() == 25


def test_a_sheet_with_a_wrong_header_is_named():
    book = synthetic_plan()
    book["directions"]["B1"] = "title"
    result = _import(book)
    assert any(
        e.sheet == "directions"
        and e.row == 1
        and "missing columns: name_kk" in e.message
        and "unknown columns: title" in e.message
        for e in result.errors
    )


def test_a_file_that_is_no_workbook_is_refused():
    result = plan_import(source=io.BytesIO(b"not a zip"), programme_code=PROGRAMME)
    assert result.errors and "not an XLSX workbook" in result.errors[0].message


def test_the_command_refuses_a_file_with_bad_rows(tmp_path):
    path = tmp_path / "plan.xlsx"
    _with_bad_rows().save(path)
    err = io.StringIO()
    with pytest.raises(CommandError, match="6 bad rows: nothing stored"):
        call_command("programmes", "import", str(path), stderr=err)
    assert "measures!deadline row 6: not a date" in err.getvalue()
    out = io.StringIO()
    call_command("programmes", "import", str(path), "--dry-run", stdout=out, stderr=io.StringIO())
    assert "dry run: 6 bad rows, nothing stored" in out.getvalue()


def test_the_command_writes_and_imports_the_synthetic_plan(tmp_path):
    path = tmp_path / "plan.xlsx"
    call_command("programmes", "synthetic", str(path), stdout=io.StringIO())
    out = io.StringIO()
    call_command("programmes", "import", str(path), stdout=out)
    assert "measures: 158 new, 0 updated, 0 unchanged" in out.getvalue()


def test_a_row_naming_a_bad_row_is_bad_too():
    book = synthetic_plan()
    book["directions"]["A5"] = "four"  # direction 4 is bad: its indicators and measures too
    result = _import(book, keep_good=True)
    assert ("directions", 5, "number") in {(e.sheet, e.row, e.column) for e in result.errors}
    assert any(e.sheet == "measures" and "no direction 4" in e.message for e in result.errors)
    assert not Measure.objects.filter(direction__number=4).exists()
    assert Measure.objects.exists()
