"""A plan the supervisor returns comes back to its worker: seen, pre-filled, resubmitted.

And a plan saved twice from the same copy is refused as a stale copy, keeping the text.
"""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from personas import make_case, submit_plan
from qorgau.cases.models import Case, CasePlan, PlanAction
from qorgau.cases.services.plans import PlannedAction, plan_decide, plan_submit
from qorgau.tables import shown

NOTE = "Add the school psychologist and a date for the home visit."


def _returned_case(worker, supervisor, *, actions: int = 1) -> Case:
    case = make_case(worker=worker, supervisor=supervisor, status="planning")
    due = timezone.localdate() + dt.timedelta(days=20)
    plan_submit(
        actor=worker,
        case=case,
        version=case.version,
        summary="Support the mother; check school attendance weekly.",
        actions=[
            PlannedAction(
                goal=f"Goal number {n}",
                action=f"Service number {n}",
                responsible=worker.organisation,
                due_date=due + dt.timedelta(days=n),
            )
            for n in range(1, actions + 1)
        ],
    )
    case.refresh_from_db()
    plan_decide(actor=supervisor, case=case, version=case.version, approve=False, note=NOTE)
    case.refresh_from_db()
    return case


def _plan_post(case, **overrides):
    data = {
        "version": case.version,
        "summary": "Support the mother; weekly school check; psychologist.",
        "goal_1": "Goal number 1",
        "action_1": "Service number 1 with the school psychologist",
        "responsible_1": case.organisation_id,
        "due_1": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
    }
    data.update(overrides)
    return data


def test_the_case_page_shows_the_supervisors_note_on_a_returned_plan(
    client, caseworker_pavlodar, supervisor_pavlodar
):
    case = _returned_case(caseworker_pavlodar, supervisor_pavlodar)
    client.force_login(caseworker_pavlodar)
    page = client.get(case.get_absolute_url())
    html = page.content.decode()
    assert page.context["returned_plan"].decision_note == NOTE
    assert NOTE in html
    assert str(supervisor_pavlodar) in html
    assert reverse("case-action", args=[case.pk, "plan"]) in html, "a way to revise it"


def test_my_work_lists_the_plans_returned_to_me_with_the_note(
    client, caseworker_pavlodar, caseworker2_pavlodar, supervisor_pavlodar
):
    case = _returned_case(caseworker_pavlodar, supervisor_pavlodar)
    client.force_login(caseworker_pavlodar)
    page = client.get(reverse("my-work"))
    assert [p.case for p in shown(page.context["returned_plans"])] == [case]
    assert NOTE in page.content.decode()
    client.force_login(caseworker2_pavlodar)
    assert not shown(client.get(reverse("my-work")).context["returned_plans"])


def test_the_plan_form_comes_back_filled_in_with_the_returned_plan(
    client, caseworker_pavlodar, supervisor_pavlodar
):
    case = _returned_case(caseworker_pavlodar, supervisor_pavlodar, actions=4)
    returned = case.plans.get()
    client.force_login(caseworker_pavlodar)
    page = client.get(reverse("case-action", args=[case.pk, "plan"]))
    form = page.context["form"]
    html = page.content.decode()
    assert form["summary"].value() == returned.summary
    for n, item in enumerate(returned.actions.all(), start=1):
        assert form[f"goal_{n}"].value() == item.goal
        assert form[f"action_{n}"].value() == item.action
        assert form[f"responsible_{n}"].value() == item.responsible_id
        assert form[f"due_{n}"].value() == item.due_date
        assert f'value="{item.action}"' in html
    assert NOTE in html, "the note is beside the form it asks to change"


def test_the_revised_plan_is_resubmitted_and_leaves_my_list(
    client, caseworker_pavlodar, supervisor_pavlodar
):
    case = _returned_case(caseworker_pavlodar, supervisor_pavlodar)
    client.force_login(caseworker_pavlodar)
    response = client.post(reverse("case-action", args=[case.pk, "plan"]), _plan_post(case))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.PLAN_SUBMITTED
    assert case.plans.filter(status=CasePlan.Status.SUBMITTED).get().actions.get().action == (
        "Service number 1 with the school psychologist"
    )
    assert not shown(client.get(reverse("my-work")).context["returned_plans"])
    assert client.get(case.get_absolute_url()).context["returned_plan"] is None


def test_a_plan_replaced_by_a_newer_approved_one_is_not_waiting_for_changes(
    client, caseworker_pavlodar, supervisor_pavlodar
):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="active")
    submit_plan(case, actor=caseworker_pavlodar)
    case.refresh_from_db()
    plan_decide(actor=supervisor_pavlodar, case=case, version=case.version, approve=True)
    assert case.plans.filter(status=CasePlan.Status.RETURNED).count() == 1, "the replaced one"
    client.force_login(caseworker_pavlodar)
    assert not shown(client.get(reverse("my-work")).context["returned_plans"])
    assert client.get(case.get_absolute_url()).context["returned_plan"] is None


def test_a_second_save_of_a_plan_on_a_stale_copy_says_so_and_keeps_the_input(
    client, caseworker_pavlodar, supervisor_pavlodar
):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="planning")
    url = reverse("case-action", args=[case.pk, "plan"])
    client.force_login(caseworker_pavlodar)
    assert client.post(url, _plan_post(case)).status_code == 302
    second = _plan_post(case, summary="Typed again in the other tab", goal_1="Kept goal")
    response = client.post(url, second)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Someone else changed this case" in html
    assert "only after the risk assessment" not in html
    assert "Typed again in the other tab" in html and 'value="Kept goal"' in html
    assert case.plans.count() == 1, "the first save stands alone"


def test_a_refused_action_on_a_current_copy_still_gives_the_workflows_reason(
    client, caseworker_pavlodar, supervisor_pavlodar
):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar)
    client.force_login(caseworker_pavlodar)
    url = reverse("case-action", args=[case.pk, "plan"])
    response = client.post(url, _plan_post(case))
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("only after the risk assessment" in m for m in messages)


@pytest.mark.parametrize("who", ["caseworker_pavlodar", "supervisor_pavlodar"])
def test_the_plan_table_shows_each_actions_status_while_closure_is_pending(client, personas, who):
    case = make_case(
        worker=personas.caseworker_pavlodar,
        supervisor=personas.supervisor_pavlodar,
        status="closure_requested",
    )
    PlanAction.objects.filter(plan__case=case).update(status="done", outcome_note="Attended")
    client.force_login(personas[who])
    html = client.get(case.get_absolute_url()).content.decode()
    shown = re.findall(r'<span class="action-status">([^<]*)</span>', html)
    assert shown == ["Done: Attended"] * PlanAction.objects.filter(plan__case=case).count()
