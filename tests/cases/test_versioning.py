"""Optimistic locking: a change made on an older copy of the case is refused."""

import datetime as dt

import pytest
from django.utils import timezone

from personas import all_no_answers, make_case, version_of
from qorgau.cases.models import Assessment, Case, CasePlan, Transfer
from qorgau.cases.services.assessment import case_assess
from qorgau.cases.services.closure import (
    case_closure_decide,
    case_closure_request,
    case_reopen,
)
from qorgau.cases.services.plans import PlannedAction, plan_decide, plan_submit
from qorgau.cases.services.transfers import case_transfer_decide, case_transfer_request
from qorgau.cases.workflow import StaleVersion, TransitionError


def _assess(p, case, version):
    return case_assess(
        actor=p.caseworker_pavlodar,
        case=case,
        version=version,
        answers=all_no_answers(),
        risk_level="low",
        reasoning="r",
        immediate_danger=False,
        safety_decision="safe",
    )


def _plan_submit(p, case, version):
    action = PlannedAction(
        goal="g",
        action="a",
        responsible=p.dept_pavlodar,
        due_date=timezone.localdate() + dt.timedelta(days=3),
    )
    return plan_submit(
        actor=p.caseworker_pavlodar, case=case, version=version, summary="s", actions=[action]
    )


def _plan_approve(p, case, version):
    return plan_decide(actor=p.supervisor_pavlodar, case=case, version=version, approve=True)


def _closure_request(p, case, version):
    return case_closure_request(
        actor=p.caseworker_pavlodar,
        case=case,
        version=version,
        reason="goals_met",
        outcome="improved",
        note="n",
    )


def _closure_approve(p, case, version):
    return case_closure_decide(
        actor=p.supervisor_pavlodar, case=case, version=version, approve=True
    )


def _reopen(p, case, version):
    return case_reopen(actor=p.caseworker_pavlodar, case=case, version=version, reason="r")


def _transfer_request(p, case, version):
    return case_transfer_request(
        actor=p.caseworker_pavlodar,
        case=case,
        version=version,
        to_organisation=p.dept_astana,
        reason="r",
    )


def _transfer_accept(p, case, version):
    return case_transfer_decide(
        actor=p.caseworker_astana,
        case=case,
        version=version,
        accept=True,
        worker=p.caseworker_astana,
    )


# service, status it needs, setup before the stale attempt
SERVICES = {
    "assess": (_assess, "assessment"),
    "plan_submit": (_plan_submit, "planning"),
    "plan_approve": (_plan_approve, "plan_submitted"),
    "closure_request": (_closure_request, "active"),
    "closure_approve": (_closure_approve, "closure_requested"),
    "reopen": (_reopen, "closed"),
    "transfer_request": (_transfer_request, "planning"),
    "transfer_accept": (_transfer_accept, "planning"),
}


def snapshot(case):
    case = Case.objects.get(pk=case.pk)
    return (
        {f.attname: getattr(case, f.attname) for f in Case._meta.concrete_fields},
        Assessment.objects.count(),
        list(CasePlan.objects.values_list("pk", "status")),
        list(Transfer.objects.values_list("pk", "status")),
        case.timeline.count(),
    )


@pytest.mark.parametrize("name", SERVICES)
def test_a_change_on_an_older_version_is_refused_and_changes_nothing(personas, name):
    service, status = SERVICES[name]
    p = personas
    case = make_case(worker=p.caseworker_pavlodar, supervisor=p.supervisor_pavlodar, status=status)
    if name == "transfer_accept":
        _transfer_request(p, case, version_of(case))
    case.refresh_from_db()
    stale = case.version - 1
    before = snapshot(case)
    with pytest.raises(StaleVersion) as exc:
        service(p, case, stale)
    assert exc.value.code == "stale_version"
    assert isinstance(exc.value, TransitionError)
    assert snapshot(case) == before


@pytest.mark.parametrize("name", SERVICES)
def test_the_current_version_is_accepted_and_moved_on(personas, name):
    service, status = SERVICES[name]
    p = personas
    case = make_case(worker=p.caseworker_pavlodar, supervisor=p.supervisor_pavlodar, status=status)
    if name == "transfer_accept":
        _transfer_request(p, case, version_of(case))
    case.refresh_from_db()
    version = case.version
    service(p, case, version)
    case.refresh_from_db()
    assert case.version > version


def test_of_two_people_on_one_version_the_second_is_told_to_reload(personas):
    p = personas
    case = make_case(worker=p.caseworker_pavlodar, supervisor=p.supervisor_pavlodar)
    loaded_by_both = case.version
    _assess(p, case, loaded_by_both)  # the caseworker saves first
    with pytest.raises(StaleVersion):
        case_assess(
            actor=p.supervisor_pavlodar,
            case=case,
            version=loaded_by_both,
            answers=all_no_answers(),
            risk_level="high",
            reasoning="r",
            immediate_danger=False,
            safety_decision="safe",
        )
    case.refresh_from_db()
    assert case.risk_level == "low"
    assert Assessment.objects.count() == 1


def test_the_version_is_checked_before_the_workflow(personas):
    # A stale copy may show a state the case has left: the user is told to reload,
    # not that the action is impossible.
    p = personas
    case = make_case(
        worker=p.caseworker_pavlodar, supervisor=p.supervisor_pavlodar, status="planning"
    )
    loaded = case.version
    plan_submit(
        actor=p.supervisor_pavlodar,
        case=case,
        version=loaded,
        summary="s",
        actions=[
            PlannedAction(
                goal="g", action="a", responsible=p.dept_pavlodar, due_date=timezone.localdate()
            )
        ],
    )
    with pytest.raises(TransitionError) as exc:
        _plan_submit(p, case, loaded)
    assert exc.value.code == "stale_version"
