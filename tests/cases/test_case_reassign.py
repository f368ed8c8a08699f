"""A supervisor hands a case to another worker of the office, with a reason."""

import pytest
from django.core.exceptions import ValidationError

from personas import make_case, make_user, version_of
from qorgau.accounts.roles import Role
from qorgau.cases.services.transfers import case_reassign
from qorgau.cases.workflow import Action, TransitionError, allowed_actions


@pytest.fixture
def case(caseworker_pavlodar, supervisor_pavlodar):
    return make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="active")


def reassign(case, actor, worker, reason="Aliya is on leave for two months."):
    return case_reassign(
        actor=actor, case=case, version=version_of(case), worker=worker, reason=reason
    )


def test_the_supervisor_reassigns_and_the_timeline_says_who_and_why(
    case, supervisor_pavlodar, caseworker_pavlodar, caseworker2_pavlodar
):
    assert Action.REASSIGN in allowed_actions(supervisor_pavlodar, case)
    before = version_of(case)
    reassign(case, supervisor_pavlodar, caseworker2_pavlodar)
    case.refresh_from_db()
    assert case.worker == caseworker2_pavlodar
    assert case.version == before + 1
    entry = case.timeline.order_by("pk").last()
    assert (entry.kind, entry.actor, entry.details) == (
        "case_reassigned",
        supervisor_pavlodar,
        {
            "worker": str(caseworker2_pavlodar),
            "previous": str(caseworker_pavlodar),
            "note": "Aliya is on leave for two months.",
        },
    )
    # The new worker works on it; the old one no longer does.
    assert Action.VISIT in allowed_actions(caseworker2_pavlodar, case)
    assert Action.VISIT not in allowed_actions(caseworker_pavlodar, case)


def test_a_reason_is_required(case, supervisor_pavlodar, caseworker2_pavlodar):
    with pytest.raises(ValidationError) as exc:
        reassign(case, supervisor_pavlodar, caseworker2_pavlodar, reason=" ")
    assert "reason" in exc.value.message_dict
    case.refresh_from_db()
    assert case.worker.username == "caseworker_pavlodar"


def test_only_a_worker_of_the_cases_office(
    case, supervisor_pavlodar, caseworker_astana, caseworker_pavlodar, dept_pavlodar
):
    for worker in (caseworker_astana, caseworker_pavlodar):
        with pytest.raises(ValidationError) as exc:
            reassign(case, supervisor_pavlodar, worker)
        assert "worker" in exc.value.message_dict
    gone = make_user("gone_pavlodar", role=Role.CASEWORKER, organisation=dept_pavlodar)
    gone.is_active = False
    gone.save()
    with pytest.raises(ValidationError):
        reassign(case, supervisor_pavlodar, gone)


@pytest.mark.parametrize(
    "name", ["caseworker_pavlodar", "caseworker2_pavlodar", "supervisor_astana", "auditor"]
)
def test_nobody_but_a_supervisor_of_the_case_reassigns(personas, case, caseworker2_pavlodar, name):
    with pytest.raises(TransitionError):
        reassign(case, personas[name], caseworker2_pavlodar)
    case.refresh_from_db()
    assert case.worker.username == "caseworker_pavlodar"


def test_a_closed_case_is_not_reassigned(
    caseworker_pavlodar, supervisor_pavlodar, caseworker2_pavlodar
):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="closed")
    with pytest.raises(TransitionError):
        reassign(case, supervisor_pavlodar, caseworker2_pavlodar)
