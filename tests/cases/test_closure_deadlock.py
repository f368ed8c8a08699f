"""The closure deadlock (issue 13, item 3) and its three ways out.

After a transfer the receiving supervisor used to become the worker by default, ask
for closure and be barred by four eyes from approving it, with nobody else able to:
- accepting a transfer names the worker (tests/cases/test_transfers.py);
- the requester can withdraw a closure request;
- an approval goes to another supervisor of the office, or, when the office has no
  other, up to the regional department the office belongs to, for that case only.
"""

import pytest
from django.http import Http404

from personas import (
    all_no_answers,
    make_case,
    make_organisation,
    make_user,
    send_police_notifications,
    submit_plan,
    version_of,
)
from qorgau.access import access_case
from qorgau.accounts.models import Organisation
from qorgau.accounts.roles import Role
from qorgau.cases.models import Case
from qorgau.cases.selectors import approvals_waiting
from qorgau.cases.services.assessment import case_assess, risk_signoff_decide
from qorgau.cases.services.closure import (
    case_closure_decide,
    case_closure_request,
    case_closure_withdraw,
)
from qorgau.cases.services.plans import plan_decide
from qorgau.cases.workflow import Action, TransitionError, allowed_actions, refusal


def request_closure(case, actor):
    return case_closure_request(
        actor=actor,
        case=case,
        version=version_of(case),
        reason="goals_met",
        outcome="improved",
        note="Attends school, no new incidents.",
    )


@pytest.fixture
def office(personas):
    """A district office of the Pavlodar department with one supervisor and a caseworker."""
    office = make_organisation(
        name="Pavlodar city child rights office",
        kind=Organisation.Kind.CHILD_RIGHTS_OFFICE,
        place=personas.pavlodar_city,
    )
    office.parent = personas.dept_pavlodar
    office.save(update_fields=["parent"])
    return office


@pytest.fixture
def office_supervisor(office):
    return make_user(
        "supervisor_office", role=Role.SUPERVISOR, organisation=office, last_name="Karimova"
    )


@pytest.fixture
def office_caseworker(office, office_supervisor):
    return make_user(
        "caseworker_office",
        role=Role.CASEWORKER,
        organisation=office,
        supervisor=office_supervisor,
    )


@pytest.fixture
def stuck(office_supervisor, office_caseworker):
    """The deadlock: the office's only supervisor works the case and asked to close it."""
    case = make_case(worker=office_caseworker, supervisor=office_supervisor, status="active")
    case.worker = office_supervisor
    case.save(update_fields=["worker"])
    request_closure(case, office_supervisor)
    case.refresh_from_db()
    return case


# Withdrawal --------------------------------------------------------------------------


def test_the_requester_withdraws_a_closure_request_and_the_case_is_back_at_work(
    caseworker_pavlodar, supervisor_pavlodar
):
    case = make_case(
        worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="closure_requested"
    )
    assert Action.CLOSURE_WITHDRAW in allowed_actions(caseworker_pavlodar, case)
    case_closure_withdraw(
        actor=caseworker_pavlodar,
        case=case,
        version=version_of(case),
        note="A new report came in.",
    )
    case.refresh_from_db()
    assert case.status == Case.Status.ACTIVE
    assert case.closure_requested_by is None
    entry = case.timeline.order_by("pk").last()
    assert (entry.kind, entry.actor, entry.details["note"]) == (
        "closure_withdrawn",
        caseworker_pavlodar,
        "A new report came in.",
    )
    # Back at work: the worker may ask again.
    assert Action.CLOSURE_REQUEST in allowed_actions(caseworker_pavlodar, case)


def test_a_case_without_an_approved_plan_goes_back_to_planning(
    caseworker_pavlodar, supervisor_pavlodar
):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="planning")
    request_closure(case, caseworker_pavlodar)
    case_closure_withdraw(actor=caseworker_pavlodar, case=case, version=version_of(case))
    case.refresh_from_db()
    assert case.status == Case.Status.PLANNING


@pytest.mark.parametrize(
    "name", ["supervisor_pavlodar", "caseworker2_pavlodar", "caseworker_astana", "auditor"]
)
def test_only_the_requester_may_withdraw(personas, name):
    case = make_case(
        worker=personas.caseworker_pavlodar,
        supervisor=personas.supervisor_pavlodar,
        status="closure_requested",
    )
    assert "Only the person who requested" in refusal(personas[name], case, Action.CLOSURE_WITHDRAW)
    with pytest.raises(TransitionError):
        case_closure_withdraw(actor=personas[name], case=case, version=version_of(case))
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSURE_REQUESTED


def test_nothing_to_withdraw_without_a_pending_request(caseworker_pavlodar, supervisor_pavlodar):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="active")
    with pytest.raises(TransitionError):
        case_closure_withdraw(actor=caseworker_pavlodar, case=case, version=version_of(case))


# Approval by someone else --------------------------------------------------------------


def test_another_supervisor_of_the_office_approves_the_supervisors_own_request(
    stuck, office, office_supervisor
):
    colleague = make_user("supervisor2_office", role=Role.SUPERVISOR, organisation=office)
    assert refusal(office_supervisor, stuck, Action.CLOSURE_APPROVE) is not None
    case_closure_decide(actor=colleague, case=stuck, version=version_of(stuck), approve=True)
    stuck.refresh_from_db()
    assert stuck.status == Case.Status.CLOSED


def test_with_no_other_supervisor_the_regional_department_approves(stuck, supervisor_pavlodar):
    assert stuck in approvals_waiting(actor=supervisor_pavlodar)
    assert approvals_waiting(actor=supervisor_pavlodar).get(pk=stuck.pk).referred_up
    assert access_case(supervisor_pavlodar, stuck.pk) == stuck
    assert refusal(supervisor_pavlodar, stuck, Action.CLOSURE_APPROVE) is None
    case_closure_decide(
        actor=supervisor_pavlodar, case=stuck, version=version_of(stuck), approve=True
    )
    stuck.refresh_from_db()
    assert stuck.status == Case.Status.CLOSED
    assert stuck.timeline.order_by("pk").last().actor == supervisor_pavlodar


def test_the_department_may_not_decide_while_the_office_has_another_supervisor(
    stuck, office, supervisor_pavlodar
):
    make_user("supervisor2_office", role=Role.SUPERVISOR, organisation=office)
    assert stuck not in approvals_waiting(actor=supervisor_pavlodar)
    with pytest.raises(TransitionError):
        case_closure_decide(
            actor=supervisor_pavlodar, case=stuck, version=version_of(stuck), approve=True
        )


def test_an_inactive_colleague_does_not_count_as_another_supervisor(
    stuck, office, supervisor_pavlodar
):
    make_user("supervisor2_office", role=Role.SUPERVISOR, organisation=office)
    office.staff.filter(username="supervisor2_office").update(is_active=False)
    assert refusal(supervisor_pavlodar, stuck, Action.CLOSURE_APPROVE) is None


def test_the_department_decides_only_requests_of_the_offices_it_oversees(
    stuck, office_caseworker, office_supervisor, supervisor_astana, caseworker_pavlodar
):
    # Another region's department, and a caseworker of the department itself: no.
    for actor in (supervisor_astana, caseworker_pavlodar):
        assert refusal(actor, stuck, Action.CLOSURE_APPROVE) is not None
        assert stuck not in approvals_waiting(actor=actor)
    # A case the office can decide itself stays with the office.
    own = make_case(worker=office_caseworker, supervisor=office_supervisor, status="active")
    request_closure(own, office_caseworker)
    own.refresh_from_db()
    assert refusal(office_supervisor, own, Action.CLOSURE_APPROVE) is None


def test_referral_up_is_for_the_decision_only_not_for_working_on_the_case(
    stuck, supervisor_pavlodar
):
    # The department decides the request; the work (and a withdrawal) stays with the office.
    assert allowed_actions(supervisor_pavlodar, stuck) == {Action.CLOSURE_APPROVE}


def test_a_plan_the_offices_only_supervisor_submitted_goes_up_as_well(
    office_caseworker, office_supervisor, supervisor_pavlodar
):
    case = make_case(worker=office_caseworker, supervisor=office_supervisor, status="planning")
    submit_plan(case, actor=office_supervisor)
    case.refresh_from_db()
    assert "yourself" in refusal(office_supervisor, case, Action.PLAN_APPROVE)
    assert case in approvals_waiting(actor=supervisor_pavlodar)
    plan_decide(actor=supervisor_pavlodar, case=case, version=version_of(case), approve=True)
    case.refresh_from_db()
    assert case.status == Case.Status.ACTIVE


def test_a_restricted_case_referred_up_is_opened_and_decided_by_the_department(
    office_caseworker, office_supervisor, supervisor_pavlodar, caseworker_pavlodar, police_pavlodar
):
    case = make_case(
        worker=office_caseworker,
        supervisor=office_supervisor,
        status="active",
        concerns=("sexual",),
    )
    assert case.restricted
    case.worker = office_supervisor
    case.save(update_fields=["worker"])
    send_police_notifications(case, actor=office_supervisor, police=police_pavlodar)
    request_closure(case, office_supervisor)
    assert access_case(supervisor_pavlodar, case.pk) == case
    assert case in approvals_waiting(actor=supervisor_pavlodar)
    case_closure_decide(
        actor=supervisor_pavlodar, case=case, version=version_of(case), approve=True
    )
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    # The department's caseworkers still do not see it.
    with pytest.raises(Http404):
        access_case(caseworker_pavlodar, case.pk)


# A risk level the office's only supervisor chose ---------------------------------------


def override_risk(case, actor):
    """An injury (a red flag: at least "high" suggested) assessed as "low"."""
    return case_assess(
        actor=actor,
        case=case,
        version=version_of(case),
        answers={**all_no_answers(), "injury": "yes"},
        risk_level="low",
        reasoning="Bruise explained by a fall at school, confirmed by the nurse.",
        immediate_danger=False,
        safety_decision="safe",
        override_reason="The nurse saw the fall; no other sign of harm.",
    )


@pytest.fixture
def overridden(office_supervisor, office_caseworker):
    """The office's only supervisor works the case and chose a level below the suggestion."""
    case = make_case(worker=office_caseworker, supervisor=office_supervisor)
    case.worker = office_supervisor
    case.save(update_fields=["worker"])
    override_risk(case, office_supervisor)
    case.refresh_from_db()
    return case


def test_a_risk_level_the_offices_only_supervisor_chose_is_signed_off_by_the_department(
    overridden, office_supervisor, supervisor_pavlodar
):
    assert "yourself" in refusal(office_supervisor, overridden, Action.RISK_SIGNOFF)
    waiting = approvals_waiting(actor=supervisor_pavlodar).get(pk=overridden.pk)
    assert (waiting.referred_up, waiting.signoff_waiting) == (True, True)
    assert refusal(supervisor_pavlodar, overridden, Action.RISK_SIGNOFF) is None
    risk_signoff_decide(
        actor=supervisor_pavlodar, case=overridden, version=version_of(overridden), approve=True
    )
    overridden.refresh_from_db()
    assert overridden.risk_level == "low"
    # The case can be closed now (and the closure goes up the same way).
    assert Action.CLOSURE_REQUEST in allowed_actions(office_supervisor, overridden)


def test_the_department_does_not_sign_off_while_the_office_has_another_supervisor(
    overridden, office, supervisor_pavlodar
):
    colleague = make_user("supervisor2_office", role=Role.SUPERVISOR, organisation=office)
    assert overridden not in approvals_waiting(actor=supervisor_pavlodar)
    assert refusal(supervisor_pavlodar, overridden, Action.RISK_SIGNOFF) is not None
    assert refusal(colleague, overridden, Action.RISK_SIGNOFF) is None
