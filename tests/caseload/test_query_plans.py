"""The team page and the notifications are read through indexes (PostgreSQL): their
cost follows the supervisor's team and the person's own notifications, not the country."""

import pytest
from django.db import connection

from cases.test_access_query_plans import ELSEWHERE, _query_plan, _scanned
from personas import make_case
from qorgau.caseload.selectors import team_cases
from qorgau.notifications.selectors import notifications_of

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="query plans are PostgreSQL's"
)

NOTIFICATIONS_ELSEWHERE = """
INSERT INTO notifications_notification (user_id, kind, key, reference, step, url, created_at)
SELECT %(user)s, 'deadline_passed', 'k' || g, 'C-2026-' || g, 'plan', '/cases/1/', now()
FROM generate_series(1, %(n)s) g;
ANALYZE notifications_notification;
"""


@pytest.fixture
def country(personas, caseworker_pavlodar, supervisor_pavlodar):
    with connection.cursor() as cursor:
        cursor.execute(
            ELSEWHERE,
            {
                "worker": personas.caseworker_astana.pk,
                "organisation": personas.dept_astana.pk,
                "place": personas.astana.pk,
                "region": personas.astana.region_code,
                "n": 5000,
            },
        )
        cursor.execute(NOTIFICATIONS_ELSEWHERE, {"user": personas.caseworker_astana.pk, "n": 20000})
    return make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar)


def test_the_team_cases_are_read_through_indexes(supervisor_pavlodar, country):
    assert _scanned(_query_plan(team_cases(actor=supervisor_pavlodar))) == set()


def test_ones_notifications_are_read_through_their_index(caseworker_pavlodar, country):
    plan = _query_plan(notifications_of(actor=caseworker_pavlodar)[:26])
    assert "Seq Scan on notifications_notification" not in plan
    assert "Index Cond: (user_id = " in plan
