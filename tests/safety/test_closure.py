"""A case with a positive suicide-risk screen is not closed until the screen has its
safety plan and a referral to psychological or psychiatric care (issue 11).

The rule is the safety app's, checked by the closure service through the hook the app
registers (cases.services.closure.register_closure_check), at the request and again at
the approval.
"""

import pytest
from django.urls import reverse

from personas import make_case, make_referral, version_of, write_safety_plan
from qorgau.accounts.models import Organisation
from qorgau.cases.models import Case
from qorgau.cases.services.closure import case_closure_decide, case_closure_request
from qorgau.cases.workflow import TransitionError
from qorgau.referrals.models import Provider, ServiceType
from qorgau.referrals.services import referral_withdraw
from qorgau.safety.services import screening_record

pytestmark = pytest.mark.django_db

POSITIVE = {
    "wished_dead": "yes",
    "better_off_dead": "no",
    "thoughts_past_week": "no",
    "tried_before": "no",
    "thoughts_now": "no",
}


@pytest.fixture
def case(personas):
    case = make_case(
        worker=personas.caseworker_pavlodar,
        supervisor=personas.supervisor_pavlodar,
        status="active",
    )
    screening_record(
        actor=personas.caseworker_pavlodar, case=case, child=case.children.get(), answers=POSITIVE
    )
    return case


@pytest.fixture
def psychologists(personas):
    organisation = Organisation.objects.create(
        name="Pavlodar psychologists",
        kind=Organisation.Kind.PSYCHOLOGICAL_SERVICE,
        place=personas.pavlodar,
    )
    entry = Provider.objects.create(organisation=organisation, maintained_by=personas.dept_pavlodar)
    entry.services.set(ServiceType.objects.filter(code="psychological_counselling"))
    entry.coverage.set([personas.pavlodar])
    return organisation


def _request(case, actor):
    return case_closure_request(
        actor=actor,
        case=case,
        version=version_of(case),
        reason="goals_met",
        outcome="improved",
        note="Attends school, no new incidents.",
    )


def _refer_to_care(case, actor, psychologists):
    return make_referral(
        case, actor=actor, provider=psychologists, service="psychological_counselling"
    )


def test_closure_is_refused_while_the_screen_lacks_plan_and_referral(personas, case):
    with pytest.raises(TransitionError) as refused:
        _request(case, personas.caseworker_pavlodar)
    assert refused.value.code == "safety_outstanding"
    assert "safety plan and a referral" in refused.value.messages[0]
    case.refresh_from_db()
    assert case.status == Case.Status.ACTIVE


def test_the_refusal_names_what_is_still_missing(personas, case, psychologists):
    write_safety_plan(case, actor=personas.caseworker_pavlodar)
    make_referral(case, actor=personas.caseworker_pavlodar)  # family support is not care
    with pytest.raises(TransitionError) as refused:
        _request(case, personas.caseworker_pavlodar)
    assert "referral to psychological or psychiatric care" in refused.value.messages[0]
    assert "safety plan" not in refused.value.messages[0]


def test_with_the_plan_and_the_referral_to_care_the_case_may_close(personas, case, psychologists):
    write_safety_plan(case, actor=personas.caseworker_pavlodar)
    _refer_to_care(case, personas.caseworker_pavlodar, psychologists)
    _request(case, personas.caseworker_pavlodar)
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSURE_REQUESTED


def test_the_approval_checks_again_a_referral_withdrawn_since_the_request(
    personas, case, psychologists
):
    write_safety_plan(case, actor=personas.caseworker_pavlodar)
    referral = _refer_to_care(case, personas.caseworker_pavlodar, psychologists)
    _request(case, personas.caseworker_pavlodar)
    referral_withdraw(
        actor=personas.caseworker_pavlodar, referral=referral, reason="Family moved away."
    )
    with pytest.raises(TransitionError) as refused:
        case_closure_decide(
            actor=personas.supervisor_pavlodar, case=case, version=version_of(case), approve=True
        )
    assert refused.value.code == "safety_outstanding"
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSURE_REQUESTED


def test_the_closure_page_shows_the_refusal(personas, case, client):
    client.force_login(personas.caseworker_pavlodar)
    response = client.post(
        reverse("case-action", args=[case.pk, "close"]),
        {
            "version": version_of(case),
            "reason": "goals_met",
            "outcome": "improved",
            "note": "Attends school.",
        },
    )
    assert response.status_code == 400
    assert "still needs a safety plan and a referral" in response.content.decode()
