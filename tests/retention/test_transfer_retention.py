"""Anonymising a case blanks why its transfer was declined: the reason names the family."""

from personas import make_case, version_of
from qorgau.cases.models import Transfer
from qorgau.cases.services.closure import case_closure_decide, case_closure_request
from qorgau.cases.services.transfers import case_transfer_decide, case_transfer_request
from qorgau.retention.services import PLACEHOLDER, retention_apply

from .conftest import later

DECLINED_BECAUSE = "Aigerim Sarsenbayeva's family is not registered at Abai avenue 5."


def test_anonymising_blanks_the_reason_a_transfer_was_declined(
    caseworker_pavlodar, supervisor_pavlodar, caseworker_astana, dept_astana
):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="active")
    case_transfer_request(
        actor=caseworker_pavlodar,
        case=case,
        version=version_of(case),
        to_organisation=dept_astana,
        reason="Aigerim moved to Astana.",
    )
    case_transfer_decide(
        actor=caseworker_astana,
        case=case,
        version=version_of(case),
        accept=False,
        decline_reason=DECLINED_BECAUSE,
    )
    case_closure_request(
        actor=caseworker_pavlodar,
        case=case,
        version=version_of(case),
        reason="goals_met",
        outcome="improved",
        note="Done.",
    )
    case_closure_decide(
        actor=supervisor_pavlodar, case=case, version=version_of(case), approve=True
    )

    retention_apply(today=later(5))

    transfer = Transfer.objects.get(case=case)
    assert (transfer.reason, transfer.decline_reason) == (PLACEHOLDER, "")
    history = set(transfer.history.values_list("decline_reason", flat=True))
    assert DECLINED_BECAUSE not in history
