"""Review finding: a case closed with a transfer still pending stays open to the receiver."""

import pytest

from personas import make_case, version_of
from qorgau.access import cases_visible_to
from qorgau.cases.services.closure import case_closure_request
from qorgau.cases.services.transfers import case_transfer_request
from qorgau.cases.workflow import Action, TransitionError, allowed_actions


def test_a_case_cannot_be_sent_for_closure_while_a_transfer_awaits_a_decision(
    caseworker_pavlodar, supervisor_pavlodar, caseworker_astana, dept_astana
):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="active")
    case_transfer_request(
        actor=caseworker_pavlodar,
        case=case,
        version=version_of(case),
        to_organisation=dept_astana,
        reason="Family moved to Astana",
    )
    case.refresh_from_db()

    assert Action.CLOSURE_REQUEST not in allowed_actions(caseworker_pavlodar, case)
    with pytest.raises(TransitionError):
        case_closure_request(
            actor=caseworker_pavlodar,
            case=case,
            version=version_of(case),
            reason="goals_met",
            outcome="improved",
            note="Done.",
        )
    # Otherwise the closed case would stay visible to the receiver, undecidable, for good.
    assert case in cases_visible_to(caseworker_astana)
