"""Suicide-risk screening (ASQ as data), its escalation, safety plans and what stays
outstanding until both the plan and a referral to care exist."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from personas import make_case, make_referral, write_safety_plan
from qorgau.accounts.models import Organisation
from qorgau.cases.models import PoliceNotification, TimelineEntry
from qorgau.referrals.models import Provider, ServiceType
from qorgau.safety.models import Screening, ScreeningQuestion
from qorgau.safety.selectors import outstanding
from qorgau.safety.services import PlanSteps, safety_plan_write, screening_record

pytestmark = pytest.mark.django_db

NO = dict.fromkeys(["wished_dead", "better_off_dead", "thoughts_past_week", "tried_before"], "no")


@pytest.fixture
def case(personas):
    return make_case(worker=personas.caseworker_pavlodar, supervisor=personas.supervisor_pavlodar)


def _screen(case, actor, **answers):
    return screening_record(
        actor=actor, case=case, child=case.children.get(), answers={**NO, **answers}
    )


def test_the_instrument_is_data_the_asq_with_its_acuity_question():
    questions = list(ScreeningQuestion.objects.filter(instrument="asq"))
    assert len(questions) == 5
    assert [q.code for q in questions if q.acuity] == ["thoughts_now"]
    assert all(q.text_kk and q.text_ru and q.text_en for q in questions)


def test_four_noes_are_a_negative_screen_and_change_nothing(personas, case):
    screening = _screen(case, personas.caseworker_pavlodar)
    case.refresh_from_db()
    assert screening.result == Screening.Result.NEGATIVE
    assert (case.risk_level, case.restricted) == ("", False)
    assert screening.safety_plan_due_at is None


def test_a_yes_needs_the_acuity_question(personas, case):
    with pytest.raises(ValidationError) as error:
        _screen(case, personas.caseworker_pavlodar, tried_before="yes")
    assert "thoughts_now" in error.value.message_dict


def test_a_missing_answer_is_named(personas, case):
    with pytest.raises(ValidationError) as error:
        screening_record(
            actor=personas.caseworker_pavlodar,
            case=case,
            child=case.children.get(),
            answers={"wished_dead": "no"},
        )
    assert "better_off_dead" in error.value.message_dict


def test_a_positive_screen_raises_the_risk_restricts_the_case_and_sets_the_plan_deadline(
    personas, case, settings
):
    settings.QORGAU_DEADLINES = {**settings.QORGAU_DEADLINES, "safety_plan": 24}
    screening = _screen(
        case, personas.caseworker_pavlodar, wished_dead="refused", thoughts_now="no"
    )
    case.refresh_from_db()
    assert screening.result == Screening.Result.POSITIVE
    assert (case.risk_level, case.restricted) == ("high", True)
    assert screening.safety_plan_due_at - screening.performed_at == dt.timedelta(hours=24)
    assert not PoliceNotification.objects.filter(case=case, concerns="suicide").exists()


def test_an_acute_positive_is_immediate_danger(personas, case):
    screening = _screen(case, personas.caseworker_pavlodar, wished_dead="yes", thoughts_now="yes")
    assert screening.result == Screening.Result.ACUTE
    assert screening.safety_plan_due_at - screening.performed_at == dt.timedelta(hours=2)
    notice = PoliceNotification.objects.get(case=case, concerns="suicide")
    assert notice.due_at - screening.performed_at <= dt.timedelta(hours=2)
    assert TimelineEntry.objects.filter(case=case, kind="screening_emergency").exists()


def test_a_positive_screen_stays_outstanding_until_a_plan_and_a_referral_to_care(personas, case):
    _screen(case, personas.caseworker_pavlodar, thoughts_past_week="yes", thoughts_now="no")
    state = outstanding(case=case)
    assert state and state.needs_plan and state.needs_referral
    write_safety_plan(case, actor=personas.caseworker_pavlodar)
    state = outstanding(case=case)
    assert state and not state.needs_plan and state.needs_referral
    make_referral(case, actor=personas.caseworker_pavlodar)  # family support is not care
    assert outstanding(case=case)
    psychologists = Organisation.objects.create(
        name="Pavlodar psychologists",
        kind=Organisation.Kind.PSYCHOLOGICAL_SERVICE,
        place=personas.pavlodar,
    )
    entry = Provider.objects.create(
        organisation=psychologists, maintained_by=personas.dept_pavlodar
    )
    entry.services.set(ServiceType.objects.filter(code="psychological_counselling"))
    entry.coverage.set([personas.pavlodar])
    make_referral(
        case,
        actor=personas.caseworker_pavlodar,
        provider=psychologists,
        service="psychological_counselling",
    )
    assert not outstanding(case=case)


def test_every_step_of_the_safety_plan_is_written(personas, case):
    with pytest.raises(ValidationError) as error:
        safety_plan_write(
            actor=personas.caseworker_pavlodar,
            case=case,
            child=case.children.get(),
            steps=PlanSteps("signs", "coping", "", "people", "111, 150", "locked"),
            review_on=timezone.localdate() + dt.timedelta(days=7),
        )
    assert list(error.value.message_dict) == ["distraction"]


def test_the_review_date_is_ahead_and_near(personas, case):
    steps = PlanSteps("a", "b", "c", "d", "e", "f")
    for days in (0, 120):
        with pytest.raises(ValidationError) as error:
            safety_plan_write(
                actor=personas.caseworker_pavlodar,
                case=case,
                child=case.children.get(),
                steps=steps,
                review_on=timezone.localdate() + dt.timedelta(days=days),
            )
        assert "review_on" in error.value.message_dict


def test_the_supervisor_is_alerted_on_my_work_until_the_plan_is_written(personas, case, client):
    _screen(case, personas.caseworker_pavlodar, wished_dead="yes", thoughts_now="yes")
    client.force_login(personas.supervisor_pavlodar)
    assert case.reference in client.get(reverse("my-work")).content.decode()
    write_safety_plan(case, actor=personas.caseworker_pavlodar)
    assert "without a safety plan" not in client.get(reverse("my-work")).content.decode()


def test_a_positive_screen_through_the_page_leads_to_the_safety_plan(personas, case, client):
    client.force_login(personas.caseworker_pavlodar)
    data = {"child": case.children.get().pk, **{f"q_{k}": v for k, v in NO.items()}}
    data["q_wished_dead"] = "yes"
    data["q_thoughts_now"] = "no"
    response = client.post(reverse("screening-new", args=[case.pk]), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("safety-plan", args=[case.pk])
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert "A safety plan is required by" in page
    assert "A referral to psychological or psychiatric care is required." in page


def test_the_supervisors_alert_filters_by_result(personas, case, client):
    _screen(case, personas.caseworker_pavlodar, wished_dead="yes", thoughts_now="yes")
    result = case.screenings.get().result
    other = "positive" if result == "acute" else "acute"
    client.force_login(personas.supervisor_pavlodar)

    def alert(**params) -> str:
        html = client.get(reverse("my-work"), params).content.decode()
        return html.split('id="screens-h"')[1].split("</section>")[0]

    assert case.reference in alert(**{"screens-result": result})
    shown = alert(**{"screens-result": other})  # the section stays, with its filter
    assert case.reference not in shown and 'name="screens-result"' in shown
