"""The monitoring pages as analysts use them: scope, suppression, exports, import."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qorgau.audit.models import AccessLogEntry, RecordKind
from qorgau.monitoring.demo import demo_years, ensure_demo_statistics
from qorgau.monitoring.models import OffenceCount, StatsImport


@pytest.fixture
def demo_statistics(db):
    ensure_demo_statistics()
    return demo_years()


def test_the_national_analyst_reads_statements_with_intervals_on_the_first_page(
    client, national_analyst, demo_statistics
):
    client.force_login(national_analyst)
    response = client.get(reverse("statistics"))
    assert response.status_code == 200
    board = response.context["board"]
    grave = board.headlines[0]
    assert grave.change.region == "KZ"
    assert grave.change.statement.startswith("down ")  # the demo's built-in decline
    assert "95% CI" in response.content.decode()
    assert len(board.table_rows) == 21  # 20 regions and the total


def test_a_regional_analyst_sees_only_their_region(
    client, regional_analyst_pavlodar, demo_statistics
):
    client.force_login(regional_analyst_pavlodar)
    response = client.get(reverse("statistics"), {"region": "71"})  # asks for Astana
    board = response.context["board"]
    assert [name for name, _cells in board.table_rows] == ["Pavlodar Region"]
    assert {r.code for r in board.ranked} == {"55"}
    assert board.headlines[0].change.region == "55"
    assert "region" not in response.context["form"].fields


def test_the_offences_export_is_the_suppressed_table_and_is_logged(
    client, national_analyst, demo_statistics
):
    client.force_login(national_analyst)
    url = reverse("statistics-export", kwargs={"table": "offences", "fmt": "csv"})
    response = client.get(url, {"year_from": demo_statistics[0], "year_to": demo_statistics[-1]})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "region" and rows[-1][0] == "total"
    raw = {
        (o.region, o.group): o.count for o in OffenceCount.objects.filter(year=demo_statistics[-1])
    }
    groups = rows[0][1:-1]
    for row in rows[1:-1]:
        for group, cell in zip(groups, row[1:-1], strict=True):
            value = raw.get((row[0], group), 0)
            if 0 < value < 5:
                assert cell == "", f"{row[0]} {group}: {value} was published"
    assert any(cell == "" for row in rows for cell in row), "the demo has small cells"
    entry = AccessLogEntry.objects.get(record_kind=RecordKind.STATISTICS)
    assert entry.action == "export" and entry.actor_id == national_analyst.pk


def test_the_xlsx_export_is_a_workbook(client, auditor, demo_statistics):
    client.force_login(auditor)
    url = reverse("statistics-export", kwargs={"table": "change", "fmt": "xlsx"})
    response = client.get(url)
    assert response.status_code == 200
    assert response.content[:2] == b"PK"


def test_the_import_page_lists_every_bad_row_and_stores_nothing_by_default(
    client, national_analyst
):
    client.force_login(national_analyst)
    upload = SimpleUploadedFile(
        "offences.csv", b"year,region,group,count\n2024,55,sexual,12\n2024,99,sexual,-1\n"
    )
    response = client.post(
        reverse("statistics-import"),
        {"kind": "offences", "file": upload, "mode": "all_or_nothing"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "unknown region code" in body and "negative count" in body
    assert not OffenceCount.objects.exists()


def test_the_import_page_can_store_the_good_rows(client, national_analyst):
    client.force_login(national_analyst)
    upload = SimpleUploadedFile(
        "offences.csv", b"year,region,group,count\n2024,55,sexual,12\n2024,99,sexual,3\n"
    )
    response = client.post(
        reverse("statistics-import"), {"kind": "offences", "file": upload, "mode": "good_rows"}
    )
    assert response.status_code == 200
    assert OffenceCount.objects.get().count == 12
    assert StatsImport.objects.get().imported_by == national_analyst


@pytest.mark.parametrize("name", ["caseworker_pavlodar", "operator_111", "school_reporter"])
def test_staff_without_statistics_get_no_dashboard(client, personas, name, demo_statistics):
    client.force_login(personas[name])
    assert client.get(reverse("statistics")).status_code == 404


def test_the_dhis2_export_leaves_hidden_cells_out(client, national_analyst, demo_statistics):
    client.force_login(national_analyst)
    url = reverse("statistics-export", kwargs={"table": "offences", "fmt": "json"})
    values = client.get(url).json()["dataValues"]
    last = demo_statistics[-1]
    small = {
        (f"KZ-{o.region}", f"QORGAU_OFFENCES_{o.group.upper()}")
        for o in OffenceCount.objects.filter(year=last, count__gt=0, count__lt=5)
    }
    sent = {(v["orgUnit"], v["dataElement"]) for v in values}
    assert small and not small & sent
    assert {v["period"] for v in values} == {str(last)}
    assert {"dataElement", "period", "orgUnit", "categoryOptionCombo", "value"} == set(values[0])
