"""Transfers: effective only when the receiving organisation accepts."""

import pytest
from django.core.exceptions import ValidationError

from personas import make_case, make_user, version_of
from qorgau.access import cases_visible_to
from qorgau.accounts.roles import Role
from qorgau.cases.models import Case, Transfer
from qorgau.cases.services.transfers import case_transfer_decide, case_transfer_request
from qorgau.cases.workflow import TransitionError


@pytest.fixture
def case(caseworker_pavlodar, supervisor_pavlodar):
    return make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="planning")


def request(case, actor, to, reason="Family moved to Astana"):
    return case_transfer_request(
        actor=actor, case=case, version=version_of(case), to_organisation=to, reason=reason
    )


def test_a_requested_transfer_changes_nothing_until_accepted(
    case, caseworker_pavlodar, dept_astana, dept_pavlodar, pavlodar
):
    transfer = request(case, caseworker_pavlodar, dept_astana)
    case.refresh_from_db()
    assert transfer.status == Transfer.Status.PENDING
    assert (case.organisation, case.region, case.worker) == (
        dept_pavlodar,
        pavlodar,
        caseworker_pavlodar,
    )
    assert case in cases_visible_to(caseworker_pavlodar)


def test_the_receiving_organisation_sees_the_case_while_the_transfer_is_pending(
    case, caseworker_pavlodar, caseworker_astana, supervisor_astana, dept_astana
):
    assert case not in cases_visible_to(caseworker_astana)
    request(case, caseworker_pavlodar, dept_astana)
    assert case in cases_visible_to(caseworker_astana)
    assert case in cases_visible_to(supervisor_astana)


def test_accepting_moves_the_case_to_the_new_organisation_region_and_worker(
    case, caseworker_pavlodar, supervisor_astana, caseworker_astana, dept_astana, astana
):
    request(case, caseworker_pavlodar, dept_astana)
    transfer = case_transfer_decide(
        actor=supervisor_astana,
        case=case,
        version=version_of(case),
        accept=True,
        worker=caseworker_astana,
    )
    case.refresh_from_db()
    assert (transfer.status, transfer.decided_by) == (Transfer.Status.ACCEPTED, supervisor_astana)
    assert (case.organisation, case.region, case.worker) == (dept_astana, astana, caseworker_astana)
    assert case.status == Case.Status.PLANNING
    assert case in cases_visible_to(caseworker_astana)
    assert case not in cases_visible_to(caseworker_pavlodar)


def test_accepting_without_naming_the_worker_is_refused_and_changes_nothing(
    case, caseworker_pavlodar, supervisor_astana, dept_astana, dept_pavlodar
):
    # Taking the case by default made the receiving supervisor its worker, and four
    # eyes then left nobody to approve the closure they requested.
    request(case, caseworker_pavlodar, dept_astana)
    with pytest.raises(ValidationError) as exc:
        case_transfer_decide(
            actor=supervisor_astana, case=case, version=version_of(case), accept=True
        )
    assert exc.value.message_dict["worker"] == ["Choose the caseworker who will take the case."]
    case.refresh_from_db()
    assert (case.organisation, case.worker) == (dept_pavlodar, caseworker_pavlodar)
    assert case.transfers.get().status == Transfer.Status.PENDING


def test_a_sole_supervisor_without_a_department_above_cannot_take_the_case_as_worker(
    case, caseworker_pavlodar, supervisor_astana, dept_astana
):
    # Nobody could approve their plans and closures: choosing them recreates the deadlock.
    request(case, caseworker_pavlodar, dept_astana)
    with pytest.raises(ValidationError) as exc:
        case_transfer_decide(
            actor=supervisor_astana,
            case=case,
            version=version_of(case),
            accept=True,
            worker=supervisor_astana,
        )
    assert "Nobody could approve" in exc.value.message_dict["worker"][0]
    assert case.transfers.get().status == Transfer.Status.PENDING


def test_a_supervisor_may_take_the_case_when_another_supervisor_can_approve(
    case, caseworker_pavlodar, supervisor_astana, dept_astana
):
    make_user("supervisor2_astana", role=Role.SUPERVISOR, organisation=dept_astana)
    request(case, caseworker_pavlodar, dept_astana)
    case_transfer_decide(
        actor=supervisor_astana,
        case=case,
        version=version_of(case),
        accept=True,
        worker=supervisor_astana,
    )
    case.refresh_from_db()
    assert case.worker == supervisor_astana


def test_the_new_worker_must_belong_to_the_receiving_organisation(
    case, caseworker_pavlodar, supervisor_astana, caseworker2_pavlodar, dept_astana, dept_pavlodar
):
    request(case, caseworker_pavlodar, dept_astana)
    with pytest.raises(ValidationError) as exc:
        case_transfer_decide(
            actor=supervisor_astana,
            case=case,
            version=version_of(case),
            accept=True,
            worker=caseworker2_pavlodar,
        )
    assert "worker" in exc.value.message_dict
    case.refresh_from_db()
    assert case.organisation == dept_pavlodar
    assert case.transfers.get().status == Transfer.Status.PENDING


def test_a_declined_transfer_leaves_the_case_where_it_was(
    case, caseworker_pavlodar, caseworker_astana, dept_astana, dept_pavlodar
):
    request(case, caseworker_pavlodar, dept_astana)
    transfer = case_transfer_decide(
        actor=caseworker_astana,
        case=case,
        version=version_of(case),
        accept=False,
        decline_reason="The family has not arrived in Astana.",
    )
    case.refresh_from_db()
    assert transfer.status == Transfer.Status.DECLINED
    assert transfer.decline_reason == "The family has not arrived in Astana."
    assert (case.organisation, case.worker) == (dept_pavlodar, caseworker_pavlodar)
    assert case not in cases_visible_to(caseworker_astana)


def test_declining_needs_a_reason_for_the_sender(
    case, caseworker_pavlodar, caseworker_astana, dept_astana
):
    request(case, caseworker_pavlodar, dept_astana)
    with pytest.raises(ValidationError) as exc:
        case_transfer_decide(
            actor=caseworker_astana,
            case=case,
            version=version_of(case),
            accept=False,
            decline_reason="  ",
        )
    assert "decline_reason" in exc.value.message_dict
    assert case.transfers.get().status == Transfer.Status.PENDING


def test_only_the_receiving_organisation_decides(
    case, caseworker_pavlodar, supervisor_pavlodar, dept_astana
):
    request(case, caseworker_pavlodar, dept_astana)
    for actor in (caseworker_pavlodar, supervisor_pavlodar):
        with pytest.raises(TransitionError) as exc:
            case_transfer_decide(
                actor=actor, case=case, version=version_of(case), accept=True, worker=actor
            )
        assert "receiving organisation" in exc.value.messages[0]
    assert case.transfers.get().status == Transfer.Status.PENDING


def test_staff_of_the_receiving_organisation_without_case_work_cannot_decide(
    caseworker_astana, supervisor_astana, regional_analyst_pavlodar, dept_pavlodar
):
    case = make_case(worker=caseworker_astana, supervisor=supervisor_astana, status="planning")
    request(case, caseworker_astana, dept_pavlodar, reason="Moved to Pavlodar")
    with pytest.raises(TransitionError):
        case_transfer_decide(
            actor=regional_analyst_pavlodar,
            case=case,
            version=version_of(case),
            accept=True,
            worker=caseworker_astana,
        )


def test_there_is_nothing_to_decide_without_a_pending_transfer(case, caseworker_astana):
    with pytest.raises(TransitionError) as exc:
        case_transfer_decide(
            actor=caseworker_astana,
            case=case,
            version=version_of(case),
            accept=True,
            worker=caseworker_astana,
        )
    assert "No transfer" in exc.value.messages[0]


def test_a_second_transfer_waits_for_the_first_decision(case, caseworker_pavlodar, dept_astana):
    request(case, caseworker_pavlodar, dept_astana)
    with pytest.raises(TransitionError) as exc:
        request(case, caseworker_pavlodar, dept_astana)
    assert "already waiting" in exc.value.messages[0]
    assert case.transfers.count() == 1


@pytest.mark.parametrize("target", ["dept_pavlodar", "school_pavlodar", "police_pavlodar"])
def test_a_case_goes_only_to_another_child_rights_body(personas, case, target):
    with pytest.raises(ValidationError) as exc:
        request(case, personas.caseworker_pavlodar, personas[target])
    assert "to_organisation" in exc.value.message_dict
    assert not Transfer.objects.exists()


def test_a_transfer_needs_a_reason(case, caseworker_pavlodar, dept_astana):
    with pytest.raises(ValidationError) as exc:
        request(case, caseworker_pavlodar, dept_astana, reason=" ")
    assert "reason" in exc.value.message_dict


def test_another_caseworker_cannot_transfer_the_case(case, caseworker2_pavlodar, dept_astana):
    with pytest.raises(TransitionError):
        request(case, caseworker2_pavlodar, dept_astana)


@pytest.mark.parametrize("status", ["plan_submitted", "closure_requested", "closed"])
def test_a_case_awaiting_a_decision_or_closed_cannot_be_transferred(
    caseworker_pavlodar, supervisor_pavlodar, dept_astana, status
):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status=status)
    with pytest.raises(TransitionError):
        request(case, caseworker_pavlodar, dept_astana)
