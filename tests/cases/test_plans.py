"""Case plans: submitted by the worker, approved by a supervisor who did not write them."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from personas import make_case, submit_plan, version_of
from qorgau.cases.models import Case, CasePlan, PlanAction
from qorgau.cases.services.plans import (
    PlannedAction,
    plan_action_update,
    plan_decide,
    plan_submit,
)
from qorgau.cases.workflow import TransitionError


@pytest.fixture
def planning(caseworker_pavlodar, supervisor_pavlodar):
    return make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="planning")


@pytest.fixture
def submitted(caseworker_pavlodar, supervisor_pavlodar):
    return make_case(
        worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="plan_submitted"
    )


def action(org, *, days=7, goal="Safe home", act="Parenting course"):
    return PlannedAction(
        goal=goal,
        action=act,
        responsible=org,
        due_date=timezone.localdate() + dt.timedelta(days=days),
    )


def test_the_worker_submits_a_plan_for_approval(planning, caseworker_pavlodar, school_pavlodar):
    plan = plan_submit(
        actor=caseworker_pavlodar,
        case=planning,
        version=planning.version,
        summary="Support at school and home",
        actions=[action(school_pavlodar), action(school_pavlodar, days=0, act="Meet teacher")],
    )
    planning.refresh_from_db()
    assert planning.status == Case.Status.PLAN_SUBMITTED
    assert (plan.status, plan.submitted_by) == (CasePlan.Status.SUBMITTED, caseworker_pavlodar)
    assert plan.actions.count() == 2


@pytest.mark.parametrize(
    ("summary", "actions", "field"),
    [
        ("  ", "one", "summary"),
        ("Plan", "none", "actions"),
        ("Plan", "blank_goal", "actions"),
        ("Plan", "past", "actions"),
    ],
)
def test_an_incomplete_plan_is_refused(
    planning, caseworker_pavlodar, dept_pavlodar, summary, actions, field
):
    items = {
        "one": [action(dept_pavlodar)],
        "none": [],
        "blank_goal": [action(dept_pavlodar, goal=" ")],
        "past": [action(dept_pavlodar, days=-1)],
    }[actions]
    with pytest.raises(ValidationError) as exc:
        plan_submit(
            actor=caseworker_pavlodar,
            case=planning,
            version=version_of(planning),
            summary=summary,
            actions=items,
        )
    assert field in exc.value.message_dict
    assert not CasePlan.objects.exists()
    planning.refresh_from_db()
    assert planning.status == Case.Status.PLANNING


def test_a_plan_cannot_be_submitted_before_the_assessment(caseworker_pavlodar, supervisor_pavlodar):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar)
    with pytest.raises(TransitionError):
        submit_plan(case, actor=caseworker_pavlodar)
    assert not CasePlan.objects.exists()


def test_another_caseworker_cannot_submit_the_plan(planning, caseworker2_pavlodar):
    with pytest.raises(TransitionError):
        submit_plan(planning, actor=caseworker2_pavlodar)


def test_the_supervisor_approves_and_the_case_becomes_active(submitted, supervisor_pavlodar):
    plan = plan_decide(
        actor=supervisor_pavlodar, case=submitted, version=submitted.version, approve=True
    )
    submitted.refresh_from_db()
    assert submitted.status == Case.Status.ACTIVE
    assert (plan.status, plan.decided_by) == (CasePlan.Status.APPROVED, supervisor_pavlodar)
    assert plan.decided_at is not None


def test_a_caseworker_cannot_approve_a_plan(submitted, caseworker_pavlodar, caseworker2_pavlodar):
    for actor in (caseworker_pavlodar, caseworker2_pavlodar):
        with pytest.raises(TransitionError):
            plan_decide(actor=actor, case=submitted, version=version_of(submitted), approve=True)
    assert submitted.plans.get().status == CasePlan.Status.SUBMITTED


def test_a_supervisor_of_another_organisation_cannot_approve(submitted, supervisor_astana):
    with pytest.raises(TransitionError):
        plan_decide(
            actor=supervisor_astana, case=submitted, version=version_of(submitted), approve=True
        )


def test_a_supervisor_cannot_approve_a_plan_they_submitted(planning, supervisor_pavlodar):
    submit_plan(planning, actor=supervisor_pavlodar)
    with pytest.raises(TransitionError) as exc:
        plan_decide(
            actor=supervisor_pavlodar, case=planning, version=version_of(planning), approve=True
        )
    assert "yourself" in str(exc.value.messages[0])
    planning.refresh_from_db()
    assert planning.status == Case.Status.PLAN_SUBMITTED


def test_returning_a_plan_needs_a_note(submitted, supervisor_pavlodar):
    with pytest.raises(ValidationError) as exc:
        plan_decide(
            actor=supervisor_pavlodar, case=submitted, version=version_of(submitted), approve=False
        )
    assert "note" in exc.value.message_dict
    assert submitted.plans.get().status == CasePlan.Status.SUBMITTED


def test_a_returned_plan_sends_the_case_back_to_planning(submitted, supervisor_pavlodar):
    plan = plan_decide(
        actor=supervisor_pavlodar,
        case=submitted,
        version=version_of(submitted),
        approve=False,
        note="Add a school visit.",
    )
    submitted.refresh_from_db()
    assert submitted.status == Case.Status.PLANNING
    assert (plan.status, plan.decision_note) == (CasePlan.Status.RETURNED, "Add a school visit.")


def test_a_revised_plan_replaces_the_approved_one_and_a_returned_revision_keeps_it(
    caseworker_pavlodar, supervisor_pavlodar
):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="active")
    first = case.plans.get(status=CasePlan.Status.APPROVED)
    submit_plan(case, actor=caseworker_pavlodar)
    plan_decide(
        actor=supervisor_pavlodar, case=case, version=version_of(case), approve=False, note="No"
    )
    case.refresh_from_db()
    assert case.status == Case.Status.ACTIVE  # the first plan still holds
    submit_plan(case, actor=caseworker_pavlodar)
    second = plan_decide(
        actor=supervisor_pavlodar, case=case, version=version_of(case), approve=True
    )
    assert list(case.plans.filter(status=CasePlan.Status.APPROVED)) == [second]
    first.refresh_from_db()
    assert first.status != CasePlan.Status.APPROVED


def test_the_worker_marks_a_plan_action_done(caseworker_pavlodar, supervisor_pavlodar):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="active")
    item = PlanAction.objects.get(plan__case=case)
    plan_action_update(
        actor=caseworker_pavlodar,
        case=case,
        version=version_of(case),
        action=item,
        status="done",
        outcome_note="Attended",
    )
    item.refresh_from_db()
    assert (item.status, item.outcome_note) == ("done", "Attended")


def test_a_plan_action_of_another_case_is_refused(caseworker_pavlodar, supervisor_pavlodar):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="active")
    other = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="active")
    item = PlanAction.objects.get(plan__case=other)
    with pytest.raises(ValidationError):
        plan_action_update(
            actor=caseworker_pavlodar,
            case=case,
            version=version_of(case),
            action=item,
            status="done",
        )
    item.refresh_from_db()
    assert item.status == PlanAction.Status.PLANNED


def test_another_caseworker_cannot_update_plan_actions(
    caseworker_pavlodar, caseworker2_pavlodar, supervisor_pavlodar
):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="active")
    item = PlanAction.objects.get(plan__case=case)
    with pytest.raises(TransitionError):
        plan_action_update(
            actor=caseworker2_pavlodar,
            case=case,
            version=version_of(case),
            action=item,
            status="done",
        )


def test_actions_of_a_plan_not_yet_approved_cannot_be_carried_out(
    caseworker_pavlodar, supervisor_pavlodar
):
    from qorgau.cases.models import PlanAction
    from qorgau.cases.services.plans import plan_action_update

    case = make_case(
        worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="plan_submitted"
    )
    item = PlanAction.objects.filter(plan__case=case).first()
    with pytest.raises(ValidationError):
        plan_action_update(
            actor=caseworker_pavlodar,
            case=case,
            version=version_of(case),
            action=item,
            status="done",
            outcome_note="Done early",
        )
    item.refresh_from_db()
    assert item.status == "planned"
