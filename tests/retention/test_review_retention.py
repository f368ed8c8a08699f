"""Review findings about retention: free text copied into the case timeline."""

from personas import make_case, version_of
from qorgau.cases.models import PlanAction, TimelineEntry
from qorgau.cases.services.closure import case_closure_decide, case_closure_request
from qorgau.cases.services.plans import plan_action_update
from qorgau.retention.services import PLACEHOLDER, retention_apply

from .conftest import later

ACTION_TEXT = "Refer Aigerim's mother to the addiction clinic in Ekibastuz"


def test_anonymising_blanks_the_plan_action_text_copied_into_the_timeline(
    caseworker_pavlodar, supervisor_pavlodar
):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="active")
    item = PlanAction.objects.get(plan__case=case)
    item.action = ACTION_TEXT
    item.save(update_fields=["action"])
    plan_action_update(
        actor=caseworker_pavlodar,
        case=case,
        version=version_of(case),
        action=item,
        status="done",
        outcome_note="Went.",
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

    assert PlanAction.objects.get(pk=item.pk).action == PLACEHOLDER
    entry = TimelineEntry.objects.get(case=case, kind="action_updated")
    assert entry.details["action"] == PLACEHOLDER
    assert entry.details["status"] == "done"
