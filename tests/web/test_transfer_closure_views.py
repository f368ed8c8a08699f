"""Pages of a transfer and a closure: who takes the case, why it moved or was declined,
withdrawing a closure request, decisions referred up, handing plan actions on."""

import pytest
from django.urls import reverse

from personas import make_case, make_organisation, make_user, version_of
from qorgau.accounts.models import Organisation
from qorgau.accounts.roles import Role
from qorgau.cases.models import Case, Transfer
from qorgau.cases.services.closure import case_closure_request
from qorgau.cases.services.transfers import case_transfer_decide, case_transfer_request
from qorgau.cases.workflow import open_plan_actions

REASON = "Семья переехала в Астану, ребёнок пошёл в новую школу."


@pytest.fixture
def sent(caseworker_pavlodar, supervisor_pavlodar, dept_astana):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="active")
    case_transfer_request(
        actor=caseworker_pavlodar,
        case=case,
        version=version_of(case),
        to_organisation=dept_astana,
        reason=REASON,
    )
    case.refresh_from_db()
    return case


def decide(client, case, **data):
    url = reverse("case-action", args=[case.pk, "transfer-decision"])
    return client.post(url, {"version": version_of(case), **data})


def test_the_receiving_office_reads_the_reason_in_its_list_and_on_the_decision_page(
    client, sent, supervisor_astana
):
    client.force_login(supervisor_astana)
    my_work = client.get(reverse("my-work")).content.decode()
    assert REASON in my_work
    assert reverse("case-action", args=[sent.pk, "transfer-decision"]) in my_work
    page = client.get(reverse("case-action", args=[sent.pk, "transfer-decision"]))
    assert REASON in page.content.decode()


def test_accepting_without_choosing_the_worker_is_refused_next_to_the_field(
    client, sent, supervisor_astana, caseworker_pavlodar
):
    client.force_login(supervisor_astana)
    response = decide(client, sent, decision="accept", worker="")
    assert response.status_code == 400
    assert response.context["form"].errors["worker"] == [
        "Choose the caseworker who will take the case."
    ]
    sent.refresh_from_db()
    assert sent.worker == caseworker_pavlodar
    assert sent.transfers.get().status == Transfer.Status.PENDING


def test_accepting_with_a_chosen_worker_hands_the_case_over(
    client, sent, supervisor_astana, caseworker_astana
):
    client.force_login(supervisor_astana)
    response = decide(client, sent, decision="accept", worker=caseworker_astana.pk)
    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.worker == caseworker_astana


def test_a_decline_needs_a_reason_and_the_sender_reads_it(
    client, sent, caseworker_astana, caseworker_pavlodar
):
    client.force_login(caseworker_astana)
    response = decide(client, sent, decision="decline", decline_reason=" ")
    assert response.status_code == 400
    assert "decline_reason" in response.context["form"].errors
    decline = "Семья не проживает по указанному адресу в Астане."
    assert decide(client, sent, decision="decline", decline_reason=decline).status_code == 302
    assert sent.transfers.get().status == Transfer.Status.DECLINED
    client.force_login(caseworker_pavlodar)
    assert decline in client.get(sent.get_absolute_url()).content.decode()


def test_the_requester_is_offered_the_withdrawal_and_takes_it(
    client, caseworker_pavlodar, supervisor_pavlodar
):
    case = make_case(
        worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="closure_requested"
    )
    client.force_login(supervisor_pavlodar)
    offered = [slug for slug, _ in client.get(case.get_absolute_url()).context["actions"]]
    assert "closure-withdraw" not in offered
    client.force_login(caseworker_pavlodar)
    offered = [slug for slug, _ in client.get(case.get_absolute_url()).context["actions"]]
    assert "closure-withdraw" in offered
    url = reverse("case-action", args=[case.pk, "closure-withdraw"])
    response = client.post(url, {"version": version_of(case), "note": ""})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.ACTIVE
    texts = [text for _, text in client.get(case.get_absolute_url()).context["timeline"]]
    assert texts[-1] == "Closure request withdrawn"


def test_someone_else_posting_a_withdrawal_changes_nothing(
    client, caseworker_pavlodar, supervisor_pavlodar
):
    case = make_case(
        worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="closure_requested"
    )
    client.force_login(supervisor_pavlodar)
    url = reverse("case-action", args=[case.pk, "closure-withdraw"])
    assert client.post(url, {"version": version_of(case)}).status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSURE_REQUESTED


def test_a_decision_referred_up_is_marked_in_the_departments_queue(
    client, personas, supervisor_pavlodar
):
    office = make_organisation(
        name="Pavlodar city child rights office",
        kind=Organisation.Kind.CHILD_RIGHTS_OFFICE,
        place=personas.pavlodar_city,
    )
    office.parent = personas.dept_pavlodar
    office.save(update_fields=["parent"])
    boss = make_user("supervisor_office", role=Role.SUPERVISOR, organisation=office)
    worker = make_user("caseworker_office", role=Role.CASEWORKER, organisation=office)
    case = make_case(worker=worker, supervisor=boss, status="active")
    case_closure_request(
        actor=boss,
        case=case,
        version=version_of(case),
        reason="goals_met",
        outcome="improved",
        note="Done.",
    )
    client.force_login(supervisor_pavlodar)
    page = client.get(reverse("approvals")).content.decode()
    assert reverse("case-action", args=[case.pk, "closure-decision"]) in page
    assert "Referred up: Pavlodar city child rights office has no other supervisor" in page


def test_after_a_transfer_the_new_worker_hands_the_open_actions_on(
    client, sent, supervisor_astana, caseworker_astana, astana, dept_pavlodar
):
    case_transfer_decide(
        actor=supervisor_astana,
        case=sent,
        version=version_of(sent),
        accept=True,
        worker=caseworker_astana,
    )
    centre = make_organisation(
        name="Astana family support centre", kind=Organisation.Kind.FAMILY_SUPPORT, place=astana
    )
    client.force_login(caseworker_astana)
    url = reverse("case-action", args=[sent.pk, "reassign-actions"])
    assert client.get(sent.get_absolute_url()).context["actions_elsewhere"]
    form = client.get(url).context["form"]
    [action] = open_plan_actions(sent)
    field = form.fields[f"responsible_{action.pk}"]
    assert centre in field.queryset and dept_pavlodar not in field.queryset
    wrong = client.post(url, {"version": version_of(sent), f"responsible_{action.pk}": ""})
    assert wrong.status_code == 400
    response = client.post(
        url, {"version": version_of(sent), f"responsible_{action.pk}": centre.pk}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.responsible == centre
    assert not client.get(sent.get_absolute_url()).context["actions_elsewhere"]
