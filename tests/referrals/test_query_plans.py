"""The provider's inbox and a case's referrals are read through their indexes
(PostgreSQL), in a country with thousands of referrals to other providers and cases.

Plans are read as tests/cases/test_access_query_plans.py reads them: no "Seq Scan" of a
big table, and the index named. Without referral_provider_idx or referral_case_idx the
planner has no other way to these rows than reading the whole table.
"""

import re

import pytest
from django.db import connection

from personas import make_case, make_referral
from qorgau.accounts.models import Organisation
from qorgau.referrals.models import ServiceType
from qorgau.referrals.selectors import case_referrals, provider_inbox

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="query plans are PostgreSQL's"
)

BIG_TABLES = ("referrals_referral", "cases_case")

# 5000 cases in Astana, four referrals each to an Astana centre.
ELSEWHERE = """
INSERT INTO cases_case (status, risk_level, restricted, opened_at, closure_reason, outcome,
  closure_note, version, organisation_id, region_id, worker_id)
SELECT 'active', 'low', false, now(), '', '', '', 1, %(organisation)s, %(place)s,
  %(worker)s FROM generate_series(1, %(n)s) g;
INSERT INTO referrals_referral (case_id, child_id, provider_id, service_id, status,
  consent_basis, caregiver_consent, legal_ground, reason, shared_name, shared_contact,
  shared_note, sent_by_id, sent_at, accept_due_at, decline_reason, outcome, withdraw_reason)
SELECT k.id, %(child)s, %(provider)s, %(service)s,
  (ARRAY['sent', 'accepted', 'in_progress', 'completed'])[1 + g %% 4], 'consent', true, '',
  'x', '', '', '', %(worker)s, now() - g * interval '1 hour', now(), '', '', ''
FROM cases_case k CROSS JOIN generate_series(1, 4) g
WHERE k.organisation_id = %(organisation)s;
ANALYZE cases_case, referrals_referral;
"""


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def _scanned(plan: str) -> set[str]:
    return set(re.findall(r"Seq Scan on (\w+)", plan)) & set(BIG_TABLES)


def pavlodar_case_among_astanas_referrals(personas):
    """A Pavlodar case with a referral, beside 20,000 referrals of Astana cases."""
    case = make_case(worker=personas.caseworker_pavlodar, supervisor=personas.supervisor_pavlodar)
    make_referral(case, actor=personas.caseworker_pavlodar)
    centre = Organisation.objects.create(
        name="Astana family support centre",
        kind=personas.family_centre_pavlodar.kind,
        place=personas.astana,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            ELSEWHERE,
            {
                "organisation": personas.dept_astana.pk,
                "place": personas.astana.pk,
                "worker": personas.caseworker_astana.pk,
                "child": case.children.get().pk,
                "provider": centre.pk,
                "service": ServiceType.objects.get(code="family_support").pk,
                "n": 5000,
            },
        )
    return case


@pytest.fixture
def case(personas):
    return pavlodar_case_among_astanas_referrals(personas)


@pytest.mark.parametrize("open_only", [True, False])
def test_the_providers_inbox_is_read_through_its_index(personas, case, open_only):
    inbox = provider_inbox(actor=personas.provider_pavlodar, open_only=open_only)
    assert inbox.count() == 1
    plan = _plan(inbox[:25])
    assert _scanned(plan) == set()
    assert "referral_provider_idx" in plan, plan


@pytest.mark.parametrize("name", ["caseworker_pavlodar", "supervisor_pavlodar"])
def test_a_cases_referrals_are_read_through_its_index(personas, case, name):
    referrals = case_referrals(actor=personas[name], case=case)
    assert referrals.count() == 1
    plan = _plan(referrals)
    assert _scanned(plan) == set()
    assert "referral_case_idx" in plan, plan
