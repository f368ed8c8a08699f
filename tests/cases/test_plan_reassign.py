"""After a transfer, the plan's open actions are handed to organisations of the new region."""

import pytest
from django.core.exceptions import ValidationError

from personas import make_case, make_organisation, version_of
from qorgau.accounts.models import Organisation
from qorgau.cases.models import PlanAction
from qorgau.cases.services.plans import plan_action_update
from qorgau.cases.services.transfers import (
    case_transfer_decide,
    case_transfer_request,
    plan_actions_reassign,
)
from qorgau.cases.workflow import Action, TransitionError, allowed_actions, open_plan_actions


@pytest.fixture
def moved(personas):
    """An active Pavlodar case, transferred to Astana and accepted by caseworker_astana."""
    p = personas
    case = make_case(
        worker=p.caseworker_pavlodar, supervisor=p.supervisor_pavlodar, status="active"
    )
    case_transfer_request(
        actor=p.caseworker_pavlodar,
        case=case,
        version=version_of(case),
        to_organisation=p.dept_astana,
        reason="The family moved to Astana.",
    )
    case_transfer_decide(
        actor=p.supervisor_astana,
        case=case,
        version=version_of(case),
        accept=True,
        worker=p.caseworker_astana,
    )
    case.refresh_from_db()
    return case


@pytest.fixture
def centre_astana(astana):
    return make_organisation(
        name="Astana family support centre", kind=Organisation.Kind.FAMILY_SUPPORT, place=astana
    )


def test_the_new_worker_hands_the_open_actions_to_the_new_region(
    moved, caseworker_astana, centre_astana, dept_pavlodar
):
    [action] = open_plan_actions(moved)
    assert action.responsible == dept_pavlodar
    assert Action.PLAN_REASSIGN in allowed_actions(caseworker_astana, moved)
    changed = plan_actions_reassign(
        actor=caseworker_astana,
        case=moved,
        version=version_of(moved),
        responsible={action: centre_astana},
    )
    assert changed == [action]
    action.refresh_from_db()
    assert action.responsible == centre_astana
    entry = moved.timeline.order_by("pk").last()
    assert (entry.kind, entry.actor, entry.details) == (
        "action_reassigned",
        caseworker_astana,
        {"action": action.action, "organisation": centre_astana.name},
    )


def test_an_organisation_outside_the_cases_region_is_refused(
    moved, caseworker_astana, police_pavlodar
):
    [action] = open_plan_actions(moved)
    with pytest.raises(ValidationError) as exc:
        plan_actions_reassign(
            actor=caseworker_astana,
            case=moved,
            version=version_of(moved),
            responsible={action: police_pavlodar},
        )
    assert f"responsible_{action.pk}" in exc.value.message_dict
    action.refresh_from_db()
    assert action.responsible.name == "Pavlodar child rights department"


def test_done_actions_are_not_handed_on(moved, caseworker_astana, centre_astana):
    [action] = open_plan_actions(moved)
    plan_action_update(
        actor=caseworker_astana,
        case=moved,
        version=version_of(moved),
        action=action,
        status=PlanAction.Status.DONE,
        outcome_note="Met the teacher.",
    )
    assert not open_plan_actions(moved).exists()
    assert Action.PLAN_REASSIGN not in allowed_actions(caseworker_astana, moved)
    with pytest.raises(TransitionError):
        plan_actions_reassign(
            actor=caseworker_astana,
            case=moved,
            version=version_of(moved),
            responsible={action: centre_astana},
        )


def test_an_action_of_another_case_is_refused(
    moved, caseworker_astana, supervisor_astana, centre_astana
):
    other = make_case(worker=caseworker_astana, supervisor=supervisor_astana, status="active")
    [foreign] = open_plan_actions(other)
    with pytest.raises(ValidationError):
        plan_actions_reassign(
            actor=caseworker_astana,
            case=moved,
            version=version_of(moved),
            responsible={foreign: centre_astana},
        )
    foreign.refresh_from_db()
    assert foreign.responsible != centre_astana


@pytest.mark.parametrize("name", ["caseworker_pavlodar", "supervisor_pavlodar", "auditor"])
def test_the_sender_and_others_cannot_hand_actions_on(personas, moved, centre_astana, name):
    [action] = open_plan_actions(moved)
    with pytest.raises(TransitionError):
        plan_actions_reassign(
            actor=personas[name],
            case=moved,
            version=version_of(moved),
            responsible={action: centre_astana},
        )
