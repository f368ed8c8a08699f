"""Staffing against the norm: one specialist per 5,000 children, below-norm regions first."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from personas import make_case
from qorgau.access import programme_regions_visible_to
from qorgau.accounts.roles import Perm
from qorgau.monitoring.indicators import Dim, compute
from qorgau.monitoring.models import PopulationCount, StatsImport
from qorgau.programmes.periods import Quarter
from qorgau.workforce import selectors
from qorgau.workforce.models import StaffingReport

pytestmark = pytest.mark.django_db
Q = Quarter(2026, 1)


def _population(region: str, children: int, year: int = 2025) -> None:
    source, _ = StatsImport.objects.get_or_create(
        kind="population",
        file_name="test.csv",
        sha256="0" * 64,
        defaults={
            "content": b"",
            "mode": "all_or_nothing",
            "rows_read": 0,
            "rows_added": 0,
            "rows_changed": 0,
            "rows_rejected": 0,
        },
    )
    PopulationCount.objects.create(
        year=year, region=region, sex="F", age_group="0-4", children=children, source=source
    )


def _posts(organisation, approved: int, filled: int, quarter: Quarter = Q) -> None:
    StaffingReport.objects.create(
        organisation=organisation,
        year=quarter.year,
        quarter=quarter.quarter,
        approved=approved,
        filled=filled,
        reported_at=timezone.now(),
    )


def test_specialists_per_5000_children_against_the_norm(personas):
    _population("55", 100_000)  # the norm asks for 20 specialists
    _population("71", 50_000)  # the norm asks for 10
    _posts(personas.dept_pavlodar, approved=25, filled=16)
    _posts(personas.dept_astana, approved=10, filled=10)
    regions = programme_regions_visible_to(personas.national_analyst, Perm.WORKFORCE_VIEW)
    rows = selectors.staffing_by_region(regions.filter(iso_code__in=["55", "71"]), Q)
    pavlodar, astana = rows
    assert pavlodar.region.iso_code == "55"  # below the norm: first
    assert (pavlodar.per_norm, pavlodar.needed, pavlodar.shortfall) == (Decimal("0.80"), 20, 4)
    assert pavlodar.below_norm
    assert pavlodar.vacancy_rate == Decimal("36.00")
    assert (astana.per_norm, astana.below_norm, astana.vacancy_rate) == (Decimal("1.00"), False, 0)


def test_the_latest_report_of_each_organisation_counts_not_their_sum(personas):
    _population("55", 50_000)
    _posts(personas.dept_pavlodar, approved=10, filled=8, quarter=Quarter(2026, 1))
    _posts(personas.dept_pavlodar, approved=10, filled=10, quarter=Quarter(2026, 2))
    region = programme_regions_visible_to(personas.national_analyst, Perm.WORKFORCE_VIEW)
    (row,) = selectors.staffing_by_region(region.filter(iso_code="55"), Quarter(2026, 2))
    assert (row.filled, row.per_norm) == (10, Decimal("1.00"))
    (earlier,) = selectors.staffing_by_region(region.filter(iso_code="55"), Quarter(2026, 1))
    assert earlier.filled == 8


def test_the_monitoring_indicator_gives_the_same_number(personas):
    _population("55", 100_000, year=2026)
    _posts(personas.dept_pavlodar, approved=25, filled=16)
    ((_n, _d, per_100k),) = compute(
        "workforce.specialists_per_100k", {Dim.YEAR: 2026}, (Dim.REGION,)
    ).values()
    region = programme_regions_visible_to(personas.national_analyst, Perm.WORKFORCE_VIEW)
    (row,) = selectors.staffing_by_region(region.filter(iso_code="55"), Q)
    assert Decimal(per_100k) / 20 == row.per_norm  # 16 per 100,000 = 0.8 per 5,000


def test_open_cases_per_specialist(personas):
    _population("55", 100_000)
    _posts(personas.dept_pavlodar, approved=4, filled=2)
    for _ in range(6):
        make_case(worker=personas.caseworker_pavlodar, supervisor=personas.supervisor_pavlodar)
    region = programme_regions_visible_to(personas.national_analyst, Perm.WORKFORCE_VIEW)
    (row,) = selectors.staffing_by_region(region.filter(iso_code="55"), Q)
    assert row.open_cases_per_specialist == Decimal("3.00")


def test_a_supervisor_sees_the_same_row_for_their_region_only(client, personas):
    _population("55", 100_000)
    _population("71", 50_000)
    _posts(personas.dept_pavlodar, approved=25, filled=16)
    _posts(personas.dept_astana, approved=10, filled=10)
    client.force_login(personas.supervisor_pavlodar)
    rows = client.get(reverse("workforce-overview")).context["rows"]
    assert [r.region.iso_code for r in rows] == ["55"]
    client.force_login(personas.national_analyst)
    national = client.get(reverse("workforce-overview")).context["rows"]
    assert len(national) == 20
    assert national[0].region.iso_code == "55"
    assert next(r for r in national if r.region.iso_code == "55") == rows[0]
    client.force_login(personas.supervisor_astana)
    assert client.get(reverse("workforce-region", args=["550000000"])).status_code == 404


@pytest.mark.parametrize(
    "persona", ["caseworker_pavlodar", "school_reporter", "operator_111", "auditor"]
)
def test_case_workers_and_reporters_do_not_see_the_workforce(client, personas, persona):
    client.force_login(personas[persona])
    assert client.get(reverse("workforce-overview")).status_code == 404


def test_a_ratio_over_a_count_too_small_to_publish_is_hidden(personas):
    _population("55", 100_000)
    _posts(personas.dept_pavlodar, approved=4, filled=2)
    make_case(worker=personas.caseworker_pavlodar, supervisor=personas.supervisor_pavlodar)
    region = programme_regions_visible_to(personas.national_analyst, Perm.WORKFORCE_VIEW)
    (row,) = selectors.staffing_by_region(region.filter(iso_code="55"), Q)
    # One open case: 0.50 per specialist would tell that there is exactly one.
    assert row.open_cases_hidden
    assert row.open_cases_per_specialist is None
