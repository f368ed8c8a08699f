"""Closing a case with a supervisor's approval, and reopening it."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from personas import make_case, send_police_notifications, version_of
from qorgau.cases.models import Case
from qorgau.cases.services.closure import (
    case_closure_decide,
    case_closure_request,
    case_reopen,
)
from qorgau.cases.workflow import TransitionError


def request_closure(case, actor, **overrides):
    values = {
        "version": version_of(case),
        "reason": "goals_met",
        "outcome": "improved",
        "note": "Attends school, no new incidents.",
        **overrides,
    }
    return case_closure_request(actor=actor, case=case, **values)


@pytest.fixture
def active(caseworker_pavlodar, supervisor_pavlodar):
    return make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="active")


@pytest.fixture
def requested(caseworker_pavlodar, supervisor_pavlodar):
    return make_case(
        worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="closure_requested"
    )


def test_the_worker_requests_closure_with_a_summary(active, caseworker_pavlodar):
    request_closure(active, caseworker_pavlodar)
    active.refresh_from_db()
    assert active.status == Case.Status.CLOSURE_REQUESTED
    assert active.closure_requested_by == caseworker_pavlodar
    assert (active.closure_reason, active.outcome) == ("goals_met", "improved")
    assert active.closed_at is None


def test_a_case_can_be_closed_from_planning_after_an_assessment_found_no_risk(
    caseworker_pavlodar, supervisor_pavlodar
):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="planning")
    request_closure(case, caseworker_pavlodar, reason="no_risk", outcome="unchanged")
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSURE_REQUESTED


def test_a_case_cannot_be_closed_before_its_assessment(caseworker_pavlodar, supervisor_pavlodar):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar)
    with pytest.raises(TransitionError) as exc:
        request_closure(case, caseworker_pavlodar)
    assert exc.value.code == "refused_closure_request"
    case.refresh_from_db()
    assert case.status == Case.Status.ASSESSMENT


def test_a_case_awaiting_plan_approval_cannot_be_closed(caseworker_pavlodar, supervisor_pavlodar):
    case = make_case(
        worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="plan_submitted"
    )
    with pytest.raises(TransitionError):
        request_closure(case, caseworker_pavlodar)


def test_closure_waits_until_the_police_are_notified(
    caseworker_pavlodar, supervisor_pavlodar, police_pavlodar
):
    case = make_case(
        worker=caseworker_pavlodar,
        supervisor=supervisor_pavlodar,
        status="active",
        concerns=["physical"],
    )
    with pytest.raises(TransitionError) as exc:
        request_closure(case, caseworker_pavlodar)
    assert exc.value.code == "police_due"
    case.refresh_from_db()
    assert case.status == Case.Status.ACTIVE
    send_police_notifications(case, actor=caseworker_pavlodar, police=police_pavlodar)
    request_closure(case, caseworker_pavlodar)
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSURE_REQUESTED


def test_a_closure_request_needs_a_summary(active, caseworker_pavlodar):
    with pytest.raises(ValidationError) as exc:
        request_closure(active, caseworker_pavlodar, note=" ")
    assert "note" in exc.value.message_dict


def test_another_caseworker_cannot_request_closure(active, caseworker2_pavlodar):
    with pytest.raises(TransitionError):
        request_closure(active, caseworker2_pavlodar)


def test_the_supervisor_approves_and_the_case_is_closed(requested, supervisor_pavlodar):
    before = timezone.now()
    case_closure_decide(
        actor=supervisor_pavlodar, case=requested, version=version_of(requested), approve=True
    )
    requested.refresh_from_db()
    assert requested.status == Case.Status.CLOSED
    assert before <= requested.closed_at <= timezone.now()
    assert not requested.is_open


def test_a_caseworker_cannot_approve_a_closure(
    requested, caseworker_pavlodar, caseworker2_pavlodar
):
    for actor in (caseworker_pavlodar, caseworker2_pavlodar):
        with pytest.raises(TransitionError):
            case_closure_decide(
                actor=actor, case=requested, version=version_of(requested), approve=True
            )
    requested.refresh_from_db()
    assert requested.status == Case.Status.CLOSURE_REQUESTED


def test_a_supervisor_of_another_region_cannot_approve_a_closure(requested, supervisor_astana):
    with pytest.raises(TransitionError):
        case_closure_decide(
            actor=supervisor_astana, case=requested, version=version_of(requested), approve=True
        )


def test_the_requester_cannot_approve_their_own_closure(active, supervisor_pavlodar):
    request_closure(active, supervisor_pavlodar)
    with pytest.raises(TransitionError) as exc:
        case_closure_decide(
            actor=supervisor_pavlodar, case=active, version=version_of(active), approve=True
        )
    assert "yourself" in exc.value.messages[0]
    active.refresh_from_db()
    assert (active.status, active.closed_at) == (Case.Status.CLOSURE_REQUESTED, None)


def test_a_refused_closure_needs_a_reason_and_returns_the_case_to_work(
    requested, supervisor_pavlodar
):
    with pytest.raises(ValidationError):
        case_closure_decide(
            actor=supervisor_pavlodar, case=requested, version=version_of(requested), approve=False
        )
    case_closure_decide(
        actor=supervisor_pavlodar,
        case=requested,
        version=version_of(requested),
        approve=False,
        note="One more home visit first.",
    )
    requested.refresh_from_db()
    assert requested.status == Case.Status.ACTIVE  # it has an approved plan
    assert requested.closure_requested_by is None
    assert requested.closed_at is None


def test_a_refused_closure_without_an_approved_plan_returns_to_planning(
    caseworker_pavlodar, supervisor_pavlodar
):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="planning")
    request_closure(case, caseworker_pavlodar, reason="no_risk")
    case_closure_decide(
        actor=supervisor_pavlodar, case=case, version=version_of(case), approve=False, note="x"
    )
    case.refresh_from_db()
    assert case.status == Case.Status.PLANNING


def test_a_closed_case_is_reopened_for_a_new_assessment(
    settings, caseworker_pavlodar, supervisor_pavlodar
):
    settings.QORGAU_DEADLINES = {**settings.QORGAU_DEADLINES, "assessment": 30}
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="closed")
    case_reopen(actor=caseworker_pavlodar, case=case, version=version_of(case), reason="New report")
    case.refresh_from_db()
    assert case.status == Case.Status.ASSESSMENT
    assert case.closed_at is None
    assert (case.closure_reason, case.outcome, case.closure_requested_by) == ("", "", None)


def test_a_reopened_case_gets_fresh_assessment_and_plan_deadlines(
    settings, caseworker_pavlodar, supervisor_pavlodar
):
    settings.QORGAU_DEADLINES = {**settings.QORGAU_DEADLINES, "assessment": 30, "plan": 100}
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="closed")
    # The case was opened long ago: its first deadlines are long past.
    long_ago = timezone.now() - dt.timedelta(days=60)
    Case.objects.filter(pk=case.pk).update(assessment_due_at=long_ago, plan_due_at=long_ago)
    before = timezone.now()
    case_reopen(actor=caseworker_pavlodar, case=case, version=version_of(case), reason="New report")
    after = timezone.now()
    case.refresh_from_db()
    for due, hours in ((case.assessment_due_at, 30), (case.plan_due_at, 100)):
        assert before + dt.timedelta(hours=hours) <= due <= after + dt.timedelta(hours=hours)


def test_reopening_needs_a_reason(caseworker_pavlodar, supervisor_pavlodar):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="closed")
    with pytest.raises(ValidationError):
        case_reopen(actor=caseworker_pavlodar, case=case, version=version_of(case), reason=" ")
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED


def test_only_a_closed_case_can_be_reopened(active, caseworker_pavlodar):
    with pytest.raises(TransitionError):
        case_reopen(actor=caseworker_pavlodar, case=active, version=version_of(active), reason="x")


def test_another_caseworker_cannot_reopen(
    caseworker_pavlodar, caseworker2_pavlodar, supervisor_pavlodar
):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="closed")
    with pytest.raises(TransitionError):
        case_reopen(actor=caseworker2_pavlodar, case=case, version=version_of(case), reason="x")


def test_closure_is_not_approved_while_a_police_notice_that_arrived_since_is_unsent(
    requested, supervisor_pavlodar, caseworker_pavlodar, operator_111, personas
):
    from personas import make_report
    from qorgau.cases.services.reports import report_link_child, report_screen_in

    child = requested.children.get()
    report = make_report(actor=operator_111, place=child.place, concerns=("physical",))
    report_link_child(
        actor=caseworker_pavlodar, report=report, link=report.children.get(), child=child
    )
    report_screen_in(
        actor=caseworker_pavlodar, report=report, worker=caseworker_pavlodar, join_case=requested
    )
    with pytest.raises(TransitionError) as refused:
        case_closure_decide(
            actor=supervisor_pavlodar, case=requested, version=version_of(requested), approve=True
        )
    assert refused.value.code == "police_due"
    requested.refresh_from_db()
    assert requested.status == Case.Status.CLOSURE_REQUESTED
