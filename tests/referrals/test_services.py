"""Referral services: sending with consent and minimal data, the provider's steps."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from personas import make_case, make_child, make_referral, make_user, version_of
from qorgau.accounts.models import Organisation
from qorgau.accounts.roles import Role
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
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(personas):
    return make_case(worker=personas.caseworker_pavlodar, supervisor=personas.supervisor_pavlodar)


@pytest.fixture
def active_case(personas):
    return make_case(
        worker=personas.caseworker_pavlodar,
        supervisor=personas.supervisor_pavlodar,
        status="active",
    )


def _send(case, actor, **overrides):
    values = {
        "actor": actor,
        "case": case,
        "child": case.children.first(),
        "service": ServiceType.objects.get(code="family_support"),
        "provider": Provider.objects.get(organisation__name="Pavlodar family support centre"),
        "consent": Consent(basis="consent", child=True, caregiver=True),
        "shared": Shared(reason="Parenting support.", contact="+7 700 000 0000"),
    }
    values.update(overrides)
    return referral_send(**values)


def test_a_referral_shares_the_reason_name_age_and_contact_and_enters_the_timeline(personas, case):
    referral = _send(case, personas.caseworker_pavlodar)
    child = case.children.get()
    assert referral.status == Referral.Status.SENT
    assert referral.shared_name == f"{child.first_name} {child.last_name}"
    assert referral.shared_age == timezone.localdate().year - 2014 - (
        (timezone.localdate().month, timezone.localdate().day) < (3, 9)
    )
    assert referral.shared_contact == "+7 700 000 0000"
    entry = TimelineEntry.objects.get(case=case, kind="referral_sent")
    assert "Pavlodar family support centre" in describe(entry)
    assert "Family support" in describe(entry)


def test_the_worker_can_keep_the_name_and_age_back(personas, case):
    referral = _send(
        case,
        personas.caseworker_pavlodar,
        shared=Shared(reason="Support.", name=False, age=False, contact="the worker"),
    )
    assert referral.shared_name == ""
    assert referral.shared_age is None


def test_the_acceptance_deadline_comes_from_the_configuration(personas, case, settings):
    settings.QORGAU_DEADLINES = {**settings.QORGAU_DEADLINES, "referral_acceptance": 10}
    referral = _send(case, personas.caseworker_pavlodar)
    assert referral.accept_due_at - referral.sent_at == dt.timedelta(hours=10)
    assert not referral.is_overdue
    referral.accept_due_at = timezone.now() - dt.timedelta(minutes=1)
    assert referral.is_overdue


def test_a_provider_not_covering_the_childs_place_is_refused(personas, case):
    astana_centre = Organisation.objects.create(
        name="Astana centre", kind=Organisation.Kind.FAMILY_SUPPORT, place=personas.astana
    )
    entry = Provider.objects.create(organisation=astana_centre, maintained_by=personas.dept_astana)
    entry.services.set(ServiceType.objects.filter(code="family_support"))
    entry.coverage.set([personas.astana])
    with pytest.raises(ValidationError) as error:
        _send(case, personas.caseworker_pavlodar, provider=entry)
    assert "provider" in error.value.message_dict


def test_a_service_the_provider_does_not_offer_is_refused(personas, case):
    with pytest.raises(ValidationError) as error:
        _send(case, personas.caseworker_pavlodar, service=ServiceType.objects.get(code="legal_aid"))
    assert "provider" in error.value.message_dict


def test_without_the_caregivers_consent_a_legal_ground_is_needed(personas, case):
    with pytest.raises(ValidationError) as error:
        _send(case, personas.caseworker_pavlodar, consent=Consent(basis="consent", child=True))
    assert "caregiver_consent" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _send(case, personas.caseworker_pavlodar, consent=Consent(basis="legal_ground"))
    assert "legal_ground" in error.value.message_dict
    referral = _send(
        case,
        personas.caseworker_pavlodar,
        consent=Consent(basis="legal_ground", legal_ground="Court order 12/2026"),
    )
    assert referral.consent_basis == "legal_ground"


def test_a_child_of_the_consent_age_must_agree_a_younger_one_need_not(personas, settings):
    settings.QORGAU_REFERRAL_CHILD_CONSENT_AGE = 10
    older = make_case(worker=personas.caseworker_pavlodar, supervisor=personas.supervisor_pavlodar)
    no_child_consent = Consent(basis="consent", child=False, caregiver=True)
    with pytest.raises(ValidationError) as error:
        _send(older, personas.caseworker_pavlodar, consent=no_child_consent)
    assert "child_consent" in error.value.message_dict
    young = make_child(
        actor=personas.caseworker_pavlodar,
        place=personas.pavlodar_city,
        birth_date=timezone.localdate() - dt.timedelta(days=5 * 365),
    )
    young_case = make_case(
        worker=personas.caseworker_pavlodar, supervisor=personas.supervisor_pavlodar, child=young
    )
    assert _send(young_case, personas.caseworker_pavlodar, consent=no_child_consent).pk


def test_only_who_works_on_the_case_refers(personas, case):
    with pytest.raises(TransitionError):
        _send(case, personas.caseworker2_pavlodar)


def test_the_provider_accepts_and_the_case_timeline_says_so(personas, case):
    referral = make_referral(case, actor=personas.caseworker_pavlodar)
    referral_answer(actor=personas.provider_pavlodar, referral=referral, accept=True)
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACCEPTED
    assert TimelineEntry.objects.filter(case=case, kind="referral_accepted").exists()
    with pytest.raises(ValidationError):
        referral_answer(actor=personas.provider_pavlodar, referral=referral, accept=True)


def test_a_decline_needs_a_reason(personas, case):
    referral = make_referral(case, actor=personas.caseworker_pavlodar)
    with pytest.raises(ValidationError) as error:
        referral_answer(actor=personas.provider_pavlodar, referral=referral, accept=False)
    assert "reason" in error.value.message_dict
    referral_answer(
        actor=personas.provider_pavlodar, referral=referral, accept=False, reason="No places"
    )
    referral.refresh_from_db()
    assert (referral.status, referral.decline_reason) == ("declined", "No places")


def test_staff_of_another_provider_cannot_answer(personas, case):
    other = Organisation.objects.create(
        name="Other centre", kind=Organisation.Kind.CRISIS_NGO, place=personas.pavlodar_city
    )
    stranger = make_user("provider_other", role=Role.SERVICE_PROVIDER, organisation=other)
    referral = make_referral(case, actor=personas.caseworker_pavlodar)
    for actor in (stranger, personas.caseworker_pavlodar):
        with pytest.raises(ValidationError):
            referral_answer(actor=actor, referral=referral, accept=True)


def test_a_session_starts_the_service_and_a_future_date_is_refused(personas, case):
    referral = make_referral(case, actor=personas.caseworker_pavlodar)
    provider = personas.provider_pavlodar
    with pytest.raises(ValidationError):  # not accepted yet
        referral_session_record(
            actor=provider, referral=referral, held_on=timezone.localdate(), attended=True
        )
    referral_answer(actor=provider, referral=referral, accept=True)
    with pytest.raises(ValidationError) as error:
        referral_session_record(
            actor=provider,
            referral=referral,
            held_on=timezone.localdate() + dt.timedelta(days=1),
            attended=True,
        )
    assert "held_on" in error.value.message_dict
    referral_session_record(
        actor=provider, referral=referral, held_on=timezone.localdate(), attended=False
    )
    referral.refresh_from_db()
    assert referral.status == Referral.Status.IN_PROGRESS
    assert TimelineEntry.objects.filter(case=case, kind="referral_session_missed").exists()


@pytest.mark.parametrize(("completed", "action_status"), [(True, "done"), (False, "cancelled")])
def test_the_plan_action_follows_the_referrals_outcome(
    personas, active_case, completed, action_status
):
    action = PlanAction.objects.get(plan__case=active_case)
    referral = _send(active_case, personas.caseworker_pavlodar, plan_action=action)
    referral_answer(actor=personas.provider_pavlodar, referral=referral, accept=True)
    before = version_of(active_case)
    referral_close(
        actor=personas.provider_pavlodar,
        referral=referral,
        completed=completed,
        outcome="Eight sessions of the parenting programme.",
        ended_on=timezone.localdate(),
    )
    action.refresh_from_db()
    assert action.status == action_status
    assert "Eight sessions" in action.outcome_note
    # A worker's older copy of the case is refused rather than overwriting it.
    assert version_of(active_case) == before + 1
    kind = "referral_completed" if completed else "referral_not_completed"
    assert TimelineEntry.objects.filter(case=active_case, kind=kind).exists()


def test_an_outcome_needs_its_text(personas, case):
    referral = make_referral(case, actor=personas.caseworker_pavlodar)
    referral_answer(actor=personas.provider_pavlodar, referral=referral, accept=True)
    with pytest.raises(ValidationError) as error:
        referral_close(
            actor=personas.provider_pavlodar,
            referral=referral,
            completed=True,
            outcome=" ",
            ended_on=timezone.localdate(),
        )
    assert "outcome" in error.value.message_dict
