"""A caseworker takes back a referral that is sent or accepted (issue 11)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from personas import make_case, make_referral
from qorgau.cases.models import PlanAction, TimelineEntry
from qorgau.cases.timeline import describe
from qorgau.cases.workflow import TransitionError
from qorgau.referrals.models import Provider, Referral, ServiceType
from qorgau.referrals.services import (
    Consent,
    Shared,
    referral_answer,
    referral_close,
    referral_send,
    referral_session_record,
    referral_withdraw,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(personas):
    return make_case(
        worker=personas.caseworker_pavlodar,
        supervisor=personas.supervisor_pavlodar,
        status="active",
    )


def _send_for(case, actor, action):
    return referral_send(
        actor=actor,
        case=case,
        child=case.children.first(),
        service=ServiceType.objects.get(code="family_support"),
        provider=Provider.objects.get(organisation__name="Pavlodar family support centre"),
        consent=Consent(basis="consent", child=True, caregiver=True),
        shared=Shared(reason="Parenting support.", contact="+7 700 000 0000"),
        plan_action=action,
    )


@pytest.mark.parametrize("accepted", [False, True])
def test_a_sent_or_accepted_referral_is_withdrawn_with_its_timeline_entry(personas, case, accepted):
    referral = make_referral(case, actor=personas.caseworker_pavlodar)
    if accepted:
        referral_answer(actor=personas.provider_pavlodar, referral=referral, accept=True)
    referral_withdraw(
        actor=personas.caseworker_pavlodar, referral=referral, reason="The family moved away."
    )
    referral.refresh_from_db()
    assert referral.status == Referral.Status.WITHDRAWN
    assert referral.withdraw_reason == "The family moved away."
    assert referral.withdrawn_at is not None
    entry = TimelineEntry.objects.get(case=case, kind="referral_withdrawn")
    assert describe(entry) == (
        "Referral to Pavlodar family support centre withdrawn: The family moved away."
    )


def test_a_reason_is_required(personas, case):
    referral = make_referral(case, actor=personas.caseworker_pavlodar)
    with pytest.raises(ValidationError) as error:
        referral_withdraw(actor=personas.caseworker_pavlodar, referral=referral, reason="  ")
    assert "reason" in error.value.message_dict
    referral.refresh_from_db()
    assert referral.status == Referral.Status.SENT


def test_a_referral_under_way_or_finished_is_not_withdrawn(personas, case):
    referral = make_referral(case, actor=personas.caseworker_pavlodar)
    referral_answer(actor=personas.provider_pavlodar, referral=referral, accept=True)
    referral_session_record(
        actor=personas.provider_pavlodar,
        referral=referral,
        held_on=timezone.localdate(),
        attended=True,
    )
    with pytest.raises(ValidationError) as error:
        referral_withdraw(actor=personas.caseworker_pavlodar, referral=referral, reason="No")
    assert "can no longer be withdrawn" in error.value.messages[0]
    declined = make_referral(case, actor=personas.caseworker_pavlodar)
    referral_answer(
        actor=personas.provider_pavlodar, referral=declined, accept=False, reason="Full"
    )
    with pytest.raises(ValidationError):
        referral_withdraw(actor=personas.caseworker_pavlodar, referral=declined, reason="No")


def test_only_who_works_on_the_case_withdraws(personas, case):
    referral = make_referral(case, actor=personas.caseworker_pavlodar)
    for actor in (personas.caseworker2_pavlodar, personas.provider_pavlodar):
        with pytest.raises(TransitionError):
            referral_withdraw(actor=actor, referral=referral, reason="No longer needed.")
    referral.refresh_from_db()
    assert referral.status == Referral.Status.SENT


def test_the_provider_sees_it_withdrawn_and_can_no_longer_answer(personas, case, client):
    referral = make_referral(case, actor=personas.caseworker_pavlodar)
    referral_withdraw(
        actor=personas.caseworker_pavlodar, referral=referral, reason="The family moved away."
    )
    client.force_login(personas.provider_pavlodar)
    page = client.get(reverse("referral-detail", args=[referral.pk])).content.decode()
    assert "Withdrawn by the caseworker" in page and "The family moved away." in page
    assert reverse("referral-step", args=[referral.pk, "accept"]) not in page
    inbox = client.get(reverse("referral-inbox")).content.decode()
    assert referral.reference not in inbox
    assert (
        referral.reference in client.get(reverse("referral-inbox"), {"all": "1"}).content.decode()
    )
    detail = client.get(reverse("api-referral-detail", args=[referral.pk])).json()
    assert (detail["status"], detail["withdraw_reason"]) == ("withdrawn", "The family moved away.")
    with pytest.raises(ValidationError):
        referral_answer(actor=personas.provider_pavlodar, referral=referral, accept=True)


def test_the_plan_action_is_open_again_for_another_referral(personas, case):
    action = PlanAction.objects.get(plan__case=case)
    referral = _send_for(case, personas.caseworker_pavlodar, action)
    # While the referral is under way its action is taken.
    with pytest.raises(ValidationError) as error:
        _send_for(case, personas.caseworker_pavlodar, action)
    assert "plan_action" in error.value.message_dict
    referral_withdraw(
        actor=personas.caseworker_pavlodar, referral=referral, reason="Wrong centre chosen."
    )
    action.refresh_from_db()
    assert action.status == PlanAction.Status.PLANNED
    again = _send_for(case, personas.caseworker_pavlodar, action)
    # The withdrawn referral's provider can no longer move the action.
    with pytest.raises(ValidationError):
        referral_close(
            actor=personas.provider_pavlodar,
            referral=referral,
            completed=False,
            outcome="Did not start.",
            ended_on=timezone.localdate(),
        )
    assert again.plan_action == action


def test_the_caseworker_withdraws_through_the_referral_page(personas, case, client):
    referral = make_referral(case, actor=personas.caseworker_pavlodar)
    client.force_login(personas.caseworker_pavlodar)
    url = reverse("referral-withdraw", args=[referral.pk])
    assert url in client.get(reverse("referral-detail", args=[referral.pk])).content.decode()
    response = client.post(url, {"reason": ""})
    assert response["Location"] == reverse("referral-detail", args=[referral.pk])
    response = client.post(url, {"reason": "The family moved away."}, follow=True)
    page = response.content.decode()
    assert "withdrawn" in page and "The family moved away." in page
    referral.refresh_from_db()
    assert referral.status == Referral.Status.WITHDRAWN


def test_a_colleague_who_only_sees_the_case_gets_no_withdraw_form(personas, case, client):
    referral = make_referral(case, actor=personas.caseworker_pavlodar)
    client.force_login(personas.caseworker2_pavlodar)
    page = client.get(reverse("referral-detail", args=[referral.pk])).content.decode()
    assert reverse("referral-withdraw", args=[referral.pk]) not in page
    client.post(reverse("referral-withdraw", args=[referral.pk]), {"reason": "Mine now."})
    referral.refresh_from_db()
    assert referral.status == Referral.Status.SENT
