"""The workflow rules: every refusal of workflow.refusal, and what allowed_actions offers."""

import pytest

from personas import make_case, make_user, submit_plan, version_of
from qorgau.accounts.roles import Role
from qorgau.cases.models import Case
from qorgau.cases.services.closure import case_closure_request
from qorgau.cases.services.transfers import case_transfer_request
from qorgau.cases.workflow import (
    STATES,
    Action,
    TransitionError,
    allowed_actions,
    refusal,
    require_action,
)

S = Case.Status
A = Action
APPROVALS = {A.PLAN_APPROVE, A.CLOSURE_APPROVE}
# Deciding needs a pending transfer, withdrawal belongs to the requester, and
# re-assignment needs open plan actions after a transfer: none of these cases has them
# (tests/cases/test_transfers.py, test_closure_deadlock.py, test_plan_reassign.py).
# A risk sign-off needs a level chosen below the suggestion (tests/cases/test_risk_override.py).
NEEDS_MORE = {A.TRANSFER_DECIDE, A.CLOSURE_WITHDRAW, A.PLAN_REASSIGN, A.RISK_SIGNOFF}
# Handing a case to another worker is a supervisor's (tests/cases/test_case_reassign.py).
SUPERVISOR_ONLY = {A.REASSIGN}
WORK = set(A) - APPROVALS - NEEDS_MORE - SUPERVISOR_ONLY
AWAITING_APPROVAL = {S.PLAN_SUBMITTED, S.CLOSURE_REQUESTED}


def allowed_in(status: str) -> set[Action]:
    """The actions that workflow.STATES allows in `status`."""
    return {action for action, states in STATES.items() if status in states}


def test_the_state_table_gives_every_action_states_that_exist():
    assert set(STATES) == set(A)
    for action, states in STATES.items():
        assert states, action
        assert set(states) <= set(S), action


def test_a_closed_case_can_only_be_reopened_and_only_a_closed_one():
    assert allowed_in(S.CLOSED) == {A.REOPEN}
    assert set(STATES[A.REOPEN]) == {S.CLOSED}


def test_an_approval_is_possible_only_while_something_awaits_it():
    assert set(STATES[A.PLAN_APPROVE]) == {S.PLAN_SUBMITTED}
    assert set(STATES[A.CLOSURE_APPROVE]) == {S.CLOSURE_REQUESTED}


def test_nothing_awaiting_approval_can_be_overtaken_by_a_new_plan_closure_or_transfer():
    for status in AWAITING_APPROVAL:
        assert not allowed_in(status) & {A.PLAN_SUBMIT, A.CLOSURE_REQUEST, A.TRANSFER}, status


def test_visits_and_police_notifications_go_on_as_long_as_the_case_is_open():
    open_states = set(S) - {S.CLOSED}
    assert set(STATES[A.VISIT]) == open_states
    assert set(STATES[A.POLICE]) == open_states


@pytest.fixture
def cases(caseworker_pavlodar, supervisor_pavlodar):
    """One case of caseworker_pavlodar in every status."""
    return {
        status: make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status=status)
        for status in S
    }


@pytest.mark.parametrize("action", list(A))
def test_an_action_is_refused_in_every_state_that_does_not_allow_it(
    cases, caseworker_pavlodar, supervisor_pavlodar, action
):
    for status in set(S) - set(STATES[action]):
        for actor in (caseworker_pavlodar, supervisor_pavlodar):
            assert refusal(actor, cases[status], action) is not None, status
            with pytest.raises(TransitionError) as exc:
                require_action(actor, cases[status], action)
            assert exc.value.code == f"refused_{action}"


@pytest.mark.parametrize("action", sorted(WORK))
def test_the_worker_and_their_supervisor_may_work_in_every_allowed_state(
    cases, caseworker_pavlodar, supervisor_pavlodar, action
):
    for status in set(STATES[action]):
        assert refusal(caseworker_pavlodar, cases[status], action) is None, status
        assert refusal(supervisor_pavlodar, cases[status], action) is None, status


@pytest.mark.parametrize(
    "name",
    [
        "caseworker2_pavlodar",
        "caseworker_astana",
        "supervisor_astana",
        "operator_111",
        "school_reporter",
        "regional_analyst_pavlodar",
        "national_analyst",
        "auditor",
        "administrator",
    ],
)
def test_nobody_else_may_work_on_the_case(personas, cases, name):
    for action in WORK:
        for status in set(STATES[action]):
            assert refusal(personas[name], cases[status], action) is not None, (action, status)


def test_any_supervisor_of_the_owning_organisation_may_work_on_the_case(cases, dept_pavlodar):
    other_supervisor = make_user(
        "supervisor2_pavlodar", role=Role.SUPERVISOR, organisation=dept_pavlodar
    )
    assert refusal(other_supervisor, cases[S.ACTIVE], A.VISIT) is None
    assert refusal(other_supervisor, cases[S.PLAN_SUBMITTED], A.PLAN_APPROVE) is None


def test_an_inactive_worker_may_do_nothing(cases, caseworker_pavlodar):
    caseworker_pavlodar.is_active = False
    assert allowed_actions(caseworker_pavlodar, cases[S.ACTIVE]) == set()


@pytest.mark.parametrize("action", sorted(APPROVALS))
def test_only_a_supervisor_of_the_case_approves(personas, cases, action):
    case = cases[S.PLAN_SUBMITTED if action == A.PLAN_APPROVE else S.CLOSURE_REQUESTED]
    assert refusal(personas.supervisor_pavlodar, case, action) is None
    for name in (
        "caseworker_pavlodar",
        "caseworker2_pavlodar",
        "supervisor_astana",
        "regional_analyst_pavlodar",
        "auditor",
    ):
        reason = refusal(personas[name], case, action)
        assert reason is not None and "supervisor" in reason, name


def test_a_supervisor_may_not_approve_a_plan_they_submitted(cases, supervisor_pavlodar):
    case = cases[S.PLANNING]
    submit_plan(case, actor=supervisor_pavlodar)
    case.refresh_from_db()
    assert "yourself" in refusal(supervisor_pavlodar, case, A.PLAN_APPROVE)


def test_a_supervisor_may_not_approve_a_closure_they_requested(cases, supervisor_pavlodar):
    case = cases[S.ACTIVE]
    case_closure_request(
        actor=supervisor_pavlodar,
        case=case,
        version=version_of(case),
        reason="goals_met",
        outcome="improved",
        note="Done.",
    )
    case.refresh_from_db()
    assert "yourself" in refusal(supervisor_pavlodar, case, A.CLOSURE_APPROVE)


def test_a_second_transfer_is_refused_while_one_is_pending(cases, caseworker_pavlodar, dept_astana):
    case = cases[S.ACTIVE]
    assert refusal(caseworker_pavlodar, case, A.TRANSFER) is None
    case_transfer_request(
        actor=caseworker_pavlodar,
        case=case,
        version=version_of(case),
        to_organisation=dept_astana,
        reason="r",
    )
    assert "already waiting" in refusal(caseworker_pavlodar, case, A.TRANSFER)


def test_transfer_decisions_belong_to_the_receiving_organisation_with_case_work(personas, cases):
    p = personas
    case = cases[S.ACTIVE]
    assert "No transfer" in refusal(p.caseworker_astana, case, A.TRANSFER_DECIDE)
    case_transfer_request(
        actor=p.caseworker_pavlodar,
        case=case,
        version=version_of(case),
        to_organisation=p.dept_astana,
        reason="r",
    )
    assert refusal(p.caseworker_astana, case, A.TRANSFER_DECIDE) is None
    assert refusal(p.supervisor_astana, case, A.TRANSFER_DECIDE) is None
    analyst_astana = make_user(
        "analyst_astana", role=Role.REGIONAL_ANALYST, organisation=p.dept_astana
    )
    for actor in (p.caseworker_pavlodar, p.supervisor_pavlodar, analyst_astana):
        assert "receiving organisation" in refusal(actor, case, A.TRANSFER_DECIDE)


def test_a_pending_transfer_cannot_be_decided_while_a_plan_awaits_approval(
    cases, caseworker_pavlodar, caseworker_astana, dept_astana
):
    case = cases[S.PLANNING]
    case_transfer_request(
        actor=caseworker_pavlodar,
        case=case,
        version=version_of(case),
        to_organisation=dept_astana,
        reason="r",
    )
    submit_plan(case, actor=caseworker_pavlodar)
    case.refresh_from_db()
    assert refusal(caseworker_astana, case, A.TRANSFER_DECIDE) is not None


@pytest.mark.parametrize("status", list(S))
def test_allowed_actions_offer_in_each_state_exactly_what_the_state_table_allows(
    cases, caseworker_pavlodar, supervisor_pavlodar, status
):
    case = cases[status]
    # What these cases have beyond their state: the active one an approved plan with
    # open actions to hand on; the closure, requested by the worker, is theirs to
    # withdraw. No transfer is pending, so nobody has one to decide.
    reassign = {A.PLAN_REASSIGN} if status == S.ACTIVE else set()
    withdraw = {A.CLOSURE_WITHDRAW} if status == S.CLOSURE_REQUESTED else set()
    assert allowed_actions(caseworker_pavlodar, case) == (
        allowed_in(status) & WORK | reassign | withdraw
    )
    assert allowed_actions(supervisor_pavlodar, case) == (
        allowed_in(status) - NEEDS_MORE | reassign
    )
