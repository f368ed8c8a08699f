"""The case-work table by region: page, CSV/XLSX/DHIS2 and API, suppressed and logged."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from monitoring.test_disclosure import attacker_bounds
from personas import make_case
from qorgau.audit.models import AccessLogEntry, RecordKind
from qorgau.monitoring import casework
from qorgau.monitoring.casework import TABLE_COLUMNS
from qorgau.monitoring.disclosure import Suppressed, threshold

RISK = [c for c in TABLE_COLUMNS if c.startswith("open_cases_")]


@pytest.fixture
def cases(personas):
    """Two open cases in Pavlodar (a small cell), six in Astana, none assessed."""
    p = personas
    for _ in range(2):
        make_case(worker=p.caseworker_pavlodar, supervisor=p.supervisor_pavlodar)
    for _ in range(6):
        make_case(worker=p.caseworker_astana, supervisor=p.supervisor_astana)


def _csv(client, user, **params):
    client.force_login(user)
    url = reverse("statistics-export", kwargs={"table": "casework", "fmt": "csv"})
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_national_analyst_downloads_every_region_and_the_country_logged(
    client, national_analyst, cases
):
    rows = _csv(client, national_analyst)
    assert len(rows) == 21 and rows[-1]["region"] == "KZ"
    assert list(rows[0]) == list(TABLE_COLUMNS)
    entry = AccessLogEntry.objects.get(record_kind=RecordKind.STATISTICS)
    assert entry.action == "export" and entry.reason.startswith("casework.csv")
    assert entry.result_count == 21


def test_a_regional_analyst_gets_their_row_of_the_national_table_only(
    client, national_analyst, regional_analyst_pavlodar, cases
):
    national = {r["region"]: r for r in _csv(client, national_analyst)}
    mine = _csv(client, regional_analyst_pavlodar)
    assert [r["region"] for r in mine] == ["55"]
    assert mine[0] == national["55"], "the same suppression pattern as the national table"


def test_the_risk_block_resists_the_attackers_linear_programme(client, national_analyst, cases):
    """A new table shape (regions × risk levels, the country's row as column totals):
    no hidden cell can be bounded narrower than the threshold."""
    rows = _csv(client, national_analyst)

    def value(text):
        return None if text == "" else int(text)

    col_totals = [value(rows[-1][c]) for c in RISK]
    published = Suppressed(
        cells=[[value(r[c]) for c in RISK] for r in rows[:-1]],
        row_totals=None,
        col_totals=col_totals,
        # Not a column of the file, but the sum of the published totals when all are.
        total=None if None in col_totals else sum(col_totals),  # type: ignore[arg-type]
        threshold=threshold(),
    )
    pavlodar = next(r for r in rows if r["region"] == "55")
    assert pavlodar["open_cases_not_assessed"] == "", "2 open cases are hidden"
    bounds = attacker_bounds(published)
    assert bounds, "something is hidden"
    for low, high in bounds:
        assert high - low >= threshold()


def test_the_dhis2_export_leaves_hidden_cells_out_and_names_a_year(client, national_analyst, cases):
    client.force_login(national_analyst)
    url = reverse("statistics-export", kwargs={"table": "casework", "fmt": "json"})
    response = client.get(url, {"year": str(timezone.localdate().year)})
    assert response.status_code == 200
    values = json.loads(response.content)["dataValues"]
    assert {v["period"] for v in values} == {str(timezone.localdate().year)}
    pavlodar = [v for v in values if v["orgUnit"] == "KZ-55"]
    assert not any(v["dataElement"].endswith("OPEN_CASES_NOT_ASSESSED") for v in pavlodar)
    published = _csv(client, national_analyst, year=str(timezone.localdate().year))
    assert len(values) == sum(1 for r in published for c in TABLE_COLUMNS[1:] if r[c] != "")
    assert any(v["dataElement"] == "QORGAU_CASEWORK_OPEN_CASES_NOT_ASSESSED" for v in values)


def test_a_bad_year_is_refused_with_the_reason(client, national_analyst):
    client.force_login(national_analyst)
    url = reverse("statistics-export", kwargs={"table": "casework", "fmt": "xlsx"})
    response = client.get(url, {"year": "20x6"})
    assert response.status_code == 400
    assert "year: 20x6" in response.content.decode()


def test_the_xlsx_export_is_a_workbook(client, auditor, cases):
    client.force_login(auditor)
    url = reverse("statistics-export", kwargs={"table": "casework", "fmt": "xlsx"})
    response = client.get(url)
    assert response.status_code == 200 and response.content[:2] == b"PK"


@pytest.mark.parametrize(
    "persona", ["caseworker_pavlodar", "operator_111", "school_reporter", "provider_pavlodar"]
)
def test_people_without_statistics_get_no_casework_export_nor_api(client, personas, persona):
    client.force_login(personas[persona])
    url = reverse("statistics-export", kwargs={"table": "casework", "fmt": "csv"})
    assert client.get(url).status_code == 404
    assert client.get(reverse("api-statistics-casework")).status_code in (403, 404)


def test_the_api_gives_the_same_rows_and_is_logged(
    client, national_analyst, regional_analyst_pavlodar, cases
):
    national = {r["region"]: r for r in _csv(client, national_analyst)}
    client.force_login(regional_analyst_pavlodar)
    response = client.get(reverse("api-statistics-casework"))
    assert response.status_code == 200
    data = response.json()
    assert [r["region"] for r in data["regions"]] == ["55"]
    row = data["regions"][0]
    assert row["open_cases_not_assessed"] is None
    assert (
        str(row["open_cases_high"] if row["open_cases_high"] is not None else "")
        == (national["55"]["open_cases_high"])
    )
    assert AccessLogEntry.objects.filter(
        record_kind=RecordKind.STATISTICS, actor_id=regional_analyst_pavlodar.pk
    ).exists()


def test_the_dashboard_shows_the_table_by_region_to_the_national_analyst(
    client, national_analyst, regional_analyst_pavlodar, cases
):
    client.force_login(national_analyst)
    response = client.get(reverse("statistics"))
    assert len(response.context["casework_rows"]) == 21
    client.force_login(regional_analyst_pavlodar)
    response = client.get(reverse("statistics"))
    assert response.context["casework_rows"] == []
    assert response.context["casework"], "their own panel"


def test_the_table_asks_each_figure_once_not_once_per_region(national_analyst, cases):
    """Twenty regions, one query per figure: a query per region made the page scan the
    plan actions twenty times (12 s at 1M children)."""
    with CaptureQueriesContext(connection) as queries:
        casework.table(actor=national_analyst)
    plan_action_reads = [q for q in queries if "cases_planaction" in q["sql"]]
    assert len(plan_action_reads) == 1, len(plan_action_reads)
