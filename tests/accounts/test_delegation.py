"""A supervisor's approvals delegated to a deputy for a period: the deputy's queue and
the workflow use it, four eyes still hold, and it ends by itself."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from personas import make_case, submit_plan, version_of
from qorgau.access import cases_visible_to
from qorgau.accounts.models import ApprovalDelegation
from qorgau.accounts.services import delegation_create, delegation_revoke
from qorgau.cases.selectors import approvals_waiting
from qorgau.cases.services.plans import plan_decide
from qorgau.cases.workflow import Action, TransitionError, allowed_actions, may_approve

TODAY = timezone.localdate


def delegate(supervisor, deputy, *, starts=0, days=14, reason="Annual leave"):
    return delegation_create(
        actor=supervisor,
        deputy=deputy,
        starts_on=TODAY() + dt.timedelta(days=starts),
        ends_on=TODAY() + dt.timedelta(days=starts + days),
        reason=reason,
    )


@pytest.fixture
def submitted(caseworker_pavlodar, supervisor_pavlodar):
    return make_case(
        worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="plan_submitted"
    )


def test_the_deputy_decides_the_plans_the_supervisor_would(
    submitted, supervisor_pavlodar, caseworker2_pavlodar
):
    assert not may_approve(caseworker2_pavlodar)
    assert Action.PLAN_APPROVE not in allowed_actions(caseworker2_pavlodar, submitted)
    delegate(supervisor_pavlodar, caseworker2_pavlodar)
    assert may_approve(caseworker2_pavlodar)
    assert list(approvals_waiting(actor=caseworker2_pavlodar)) == [submitted]
    plan_decide(
        actor=caseworker2_pavlodar, case=submitted, version=version_of(submitted), approve=True
    )
    submitted.refresh_from_db()
    assert submitted.status == "active"
    entry = submitted.timeline.order_by("pk").last()
    assert (entry.kind, entry.actor) == ("plan_approved", caseworker2_pavlodar)


def test_the_deputy_never_decides_their_own_request(caseworker2_pavlodar, supervisor_pavlodar):
    own = make_case(worker=caseworker2_pavlodar, supervisor=supervisor_pavlodar, status="planning")
    submit_plan(own, actor=caseworker2_pavlodar)
    delegate(supervisor_pavlodar, caseworker2_pavlodar)
    assert own not in approvals_waiting(actor=caseworker2_pavlodar)
    with pytest.raises(TransitionError):
        plan_decide(actor=caseworker2_pavlodar, case=own, version=version_of(own), approve=True)


def test_a_delegation_not_yet_begun_or_ended_gives_nothing(
    submitted, supervisor_pavlodar, caseworker2_pavlodar
):
    delegation = delegate(supervisor_pavlodar, caseworker2_pavlodar, starts=3)
    assert not may_approve(caseworker2_pavlodar)
    assert not approvals_waiting(actor=caseworker2_pavlodar).exists()
    # Its last day passes: it ends by itself.
    ApprovalDelegation.objects.filter(pk=delegation.pk).update(
        starts_on=TODAY() - dt.timedelta(days=10), ends_on=TODAY() - dt.timedelta(days=1)
    )
    assert not may_approve(caseworker2_pavlodar)
    with pytest.raises(TransitionError):
        plan_decide(
            actor=caseworker2_pavlodar, case=submitted, version=version_of(submitted), approve=True
        )
    # Its last day is today: still in force.
    ApprovalDelegation.objects.filter(pk=delegation.pk).update(ends_on=TODAY())
    assert may_approve(caseworker2_pavlodar)


def test_the_supervisor_ends_it_early(submitted, supervisor_pavlodar, caseworker2_pavlodar):
    delegation = delegate(supervisor_pavlodar, caseworker2_pavlodar)
    with pytest.raises(PermissionDenied):
        delegation_revoke(actor=caseworker2_pavlodar, delegation=delegation)
    delegation_revoke(actor=supervisor_pavlodar, delegation=delegation)
    assert not may_approve(caseworker2_pavlodar)
    with pytest.raises(ValidationError):
        delegation_revoke(actor=supervisor_pavlodar, delegation=delegation)
    history = delegation.history.order_by("history_id")
    assert [h.history_user for h in history] == [supervisor_pavlodar, supervisor_pavlodar]


def test_the_deputy_sees_the_restricted_cases_they_decide_only_while_it_lasts(
    caseworker_pavlodar, supervisor_pavlodar, caseworker2_pavlodar
):
    restricted = make_case(
        worker=caseworker_pavlodar,
        supervisor=supervisor_pavlodar,
        status="plan_submitted",
        concerns=("sexual",),
    )
    assert restricted.restricted
    assert restricted not in cases_visible_to(caseworker2_pavlodar)
    delegation = delegate(supervisor_pavlodar, caseworker2_pavlodar)
    assert restricted in cases_visible_to(caseworker2_pavlodar)
    assert restricted in approvals_waiting(actor=caseworker2_pavlodar)
    delegation_revoke(actor=supervisor_pavlodar, delegation=delegation)
    assert restricted not in cases_visible_to(caseworker2_pavlodar)


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("deputy", {"deputy": "caseworker_astana"}),
        ("deputy", {"deputy": "supervisor_pavlodar"}),
        ("deputy", {"deputy": "auditor"}),
        ("starts_on", {"starts": -1}),
        ("ends_on", {"days": -1}),
        ("ends_on", {"days": 200}),
        ("reason", {"reason": " "}),
    ],
)
def test_a_bad_delegation_is_refused_on_its_field(personas, supervisor_pavlodar, field, overrides):
    deputy = personas[overrides.pop("deputy", "caseworker2_pavlodar")]
    with pytest.raises(ValidationError) as exc:
        delegate(supervisor_pavlodar, deputy, **overrides)
    assert field in exc.value.message_dict
    assert not ApprovalDelegation.objects.exists()


@pytest.mark.parametrize("name", ["caseworker_pavlodar", "auditor"])
def test_only_a_supervisor_delegates(personas, caseworker2_pavlodar, name):
    with pytest.raises(PermissionDenied):
        delegate(personas[name], caseworker2_pavlodar)


def test_a_deputy_does_not_reassign_cases(submitted, supervisor_pavlodar, caseworker2_pavlodar):
    delegate(supervisor_pavlodar, caseworker2_pavlodar)
    assert Action.REASSIGN not in allowed_actions(caseworker2_pavlodar, submitted)
