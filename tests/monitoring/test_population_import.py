"""Importing population and offences tables: row errors, both modes, history."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from qorgau.monitoring import selectors
from qorgau.monitoring.indicators import Dim, compute
from qorgau.monitoring.models import PopulationCount, StatsCellChange, StatsImport
from qorgau.monitoring.services import stats_import

HEADER = "year,region,sex,age_group,children\n"
GOOD = HEADER + "2023,55,M,0-4,1000\n2023,55,F,0-4,900\n2023,71,M,0-4,2000\n"


def _import(text: str, **kwargs):
    return stats_import(
        actor=None, kind="population", file_name="pop.csv", content=text.encode(), **kwargs
    )


@pytest.mark.django_db
def test_a_good_file_is_stored_with_its_checksum_and_the_same_file_again_changes_nothing():
    first = _import(GOOD)
    assert first.stored is not None
    assert len(first.added) == 3
    assert first.stored.sha256 and bytes(first.stored.content) == GOOD.encode()
    again = _import(GOOD)
    assert again.stored is None
    assert (again.added, again.changed, again.unchanged) == ([], [], 3)
    assert StatsImport.objects.count() == 1


@pytest.mark.django_db
def test_a_corrected_file_replaces_the_cell_and_keeps_the_old_value_in_history():
    _import(GOOD)
    corrected = _import(GOOD.replace("900", "950"))
    assert corrected.changed == [((2023, "55", "F", "0-4"), 900, 950)]
    assert PopulationCount.objects.get(region="55", sex="F").children == 950
    change = StatsCellChange.objects.get()
    assert (change.key, change.old_value, change.new_value) == ("2023,55,F,0-4", 900, 950)


BAD = (
    HEADER
    + "2023,55,M,0-4,1000\n"
    + "2023,99,M,0-4,10\n"  # unknown region
    + "2023,55,M,5-9,-3\n"  # negative count
    + "2023,55,M,0-4,7\n"  # duplicate key of row 2
    + "1850,55,F,5-9,10\n"  # year outside range
    + "2021,10,F,5-9,10\n"  # Abai before it existed
    + "2023,55,X,5-9,10\n"  # unknown sex
    + "2023,71,F,15-17,500\n"  # good
)


@pytest.mark.django_db
def test_every_bad_row_is_reported_with_row_column_value_and_reason_and_nothing_is_stored():
    outcome = _import(BAD)
    found = {(p.row, p.column, p.value) for p in outcome.problems}
    assert found == {
        (3, "region", "99"),
        (4, "children", "-3"),
        (5, "year,region,sex,age_group", "2023,55,M,0-4"),
        (6, "year", "1850"),
        (7, "region", "10"),
        (8, "sex", "X"),
    }
    reasons = " ".join(p.reason for p in outcome.problems)
    for word in ("unknown region", "negative count", "duplicate key", "year outside", "from 2022"):
        assert word in reasons
    assert outcome.stored is None
    assert not PopulationCount.objects.exists()


@pytest.mark.django_db
def test_good_rows_mode_stores_exactly_the_good_rows():
    outcome = _import(BAD, good_rows=True)
    assert outcome.stored is not None
    # Row 2 and its duplicate on row 5 are both left out: neither copy is believed.
    assert set(PopulationCount.objects.values_list("region", "sex", "age_group")) == {
        ("71", "F", "15-17")
    }
    assert outcome.stored.rows_rejected == 6


@pytest.mark.django_db
def test_a_missing_column_is_reported_on_the_header_row():
    outcome = _import("year,region,sex,children\n2023,55,M,10\n")
    assert [(p.row, p.column, p.reason) for p in outcome.problems] == [
        (1, "age_group", "missing column")
    ]


@pytest.mark.django_db
def test_a_dry_run_shows_the_changes_and_stores_nothing():
    outcome = _import(GOOD, dry_run=True)
    assert len(outcome.added) == 3
    assert outcome.stored is None
    assert not PopulationCount.objects.exists()


@pytest.mark.django_db
def test_an_xlsx_file_is_read_like_a_csv(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["year", "region", "sex", "age_group", "children"])
    sheet.append([2023, 55, "M", "0-4", 1000])
    sheet.append([2023, "71", "F", "10-14", 1200.0])
    path = tmp_path / "pop.xlsx"
    book.save(path)
    call_command("stats", "import", "population", str(path), stdout=io.StringIO())
    assert selectors.children({Dim.YEAR: 2023}, (Dim.REGION,)) == {("55",): 1000, ("71",): 1200}


@pytest.mark.django_db
def test_the_command_refuses_a_file_with_bad_rows_unless_told_to_keep_the_good_ones(tmp_path):
    path = tmp_path / "pop.csv"
    path.write_text(BAD)
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing stored"):
        call_command("stats", "import", "population", str(path), stderr=err)
    assert "pop.csv, row 3, column region = '99': unknown region" in err.getvalue()
    call_command(
        "stats", "import", "population", str(path), "--good-rows", stderr=err, stdout=io.StringIO()
    )
    assert PopulationCount.objects.count() == 1


@pytest.mark.django_db
def test_a_rate_indicator_divides_by_the_children_of_the_same_region_and_year():
    _import(GOOD)
    stats_import(
        actor=None,
        kind="offences",
        file_name="off.csv",
        content=b"year,region,group,count\n2023,55,sexual,19\n2023,55,grave,38\n2023,71,sexual,4\n",
    )
    rates = compute("offences.rate", {Dim.YEAR: 2023}, (Dim.REGION, Dim.OFFENCE_GROUP))
    assert rates[("55", "sexual")] == (19, 1900, pytest.approx(1000.0))
    assert rates[("71", "sexual")] == (4, 2000, pytest.approx(200.0))
    national = compute("offences.rate", {Dim.YEAR: 2023, Dim.OFFENCE_GROUP: "sexual"})
    assert national[()] == (23, 3900, pytest.approx(23 / 3900 * 100_000))
