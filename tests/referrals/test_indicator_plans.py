"""A region's referral indicators read that region's rows only (PostgreSQL): with 20,000
referrals of 5,000 Astana cases in the table, Pavlodar's figures reach its referrals
through the case region index and referral_case_idx, never a scan of either table.

The national figures read every referral of the year by nature (a sequential scan is
the right plan there); docs/adr/0014 records their cost.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from qorgau.monitoring.indicators import Dim, compute

from .test_query_plans import pavlodar_case_among_astanas_referrals

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="query plans are PostgreSQL's"
)
BIG_TABLES = {"referrals_referral", "cases_case"}


@pytest.fixture
def country(personas):
    return pavlodar_case_among_astanas_referrals(personas)


def _scans(code: str, filters, by) -> tuple[set[str], str]:
    with CaptureQueriesContext(connection) as captured:
        compute(code, filters, by)
    plans = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            if "referrals_referral" not in query["sql"]:
                continue
            cursor.execute(f"EXPLAIN {query['sql']}")
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    assert plans, "the measure read no referral"
    text = "\n\n".join(plans)
    return set(re.findall(r"Seq Scan on (\w+)", text)) & BIG_TABLES, text


@pytest.mark.parametrize(
    ("code", "by"),
    [
        ("referrals.sent", (Dim.SERVICE,)),
        ("referrals.accepted_share", (Dim.DISTRICT,)),
        ("referrals.acceptance_hours_p50", ()),
    ],
)
def test_a_regions_referral_figures_read_its_rows_only(country, code, by):
    filters = {Dim.REGION: "55", Dim.YEAR: timezone.localdate().year}
    scanned, plan = _scans(code, filters, by)
    assert not scanned, plan
    assert "referral_case_idx" in plan, plan
