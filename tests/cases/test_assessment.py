"""The structured risk assessment: suggest_level and case_assess."""

import pytest
from django.core.exceptions import ValidationError

from personas import all_no_answers, make_case
from qorgau.cases.choices import RiskLevel
from qorgau.cases.models import Assessment, AssessmentQuestion, Case
from qorgau.cases.services.assessment import case_assess, suggest_level
from qorgau.cases.workflow import TransitionError

# The documented thresholds: a score of 3 suggests medium, 6 suggests high.
MEDIUM_FROM, HIGH_FROM = 3, 6


def questions(*weights, red_flag=None):
    """Unsaved questions q0, q1, ... with these weights; `red_flag` is a code."""
    return [
        AssessmentQuestion(code=f"q{i}", weight=w, red_flag=f"q{i}" == red_flag)
        for i, w in enumerate(weights)
    ]


def yes(*codes):
    return dict.fromkeys(codes, "yes")


@pytest.mark.parametrize(
    ("answers", "score", "level"),
    [
        ({}, 0, RiskLevel.LOW),
        (yes("q0"), 1, RiskLevel.LOW),
        (yes("q1"), MEDIUM_FROM - 1, RiskLevel.LOW),
        (yes("q0", "q1"), MEDIUM_FROM, RiskLevel.MEDIUM),
        (yes("q2", "q1"), HIGH_FROM - 1, RiskLevel.MEDIUM),
        (yes("q0", "q1", "q2"), HIGH_FROM, RiskLevel.HIGH),
    ],
)
def test_the_score_sums_the_weights_of_yes_answers_and_suggests_a_level(answers, score, level):
    # Weights 1, 2, 3 reach every threshold and the values either side of it.
    assert suggest_level(questions(1, 2, 3), answers, immediate_danger=False) == (score, level)


def test_no_and_unknown_answers_add_nothing():
    answers = {"q0": "no", "q1": "unknown", "q2": "yes"}
    assert suggest_level(questions(5, 5, 1), answers, immediate_danger=False) == (1, "low")


def test_a_yes_to_a_red_flag_suggests_at_least_high_whatever_the_score():
    qs = questions(1, 1, 1, red_flag="q2")
    assert suggest_level(qs, yes("q2"), immediate_danger=False) == (1, RiskLevel.HIGH)
    assert suggest_level(qs, {"q2": "unknown"}, immediate_danger=False)[1] == RiskLevel.LOW


def test_immediate_danger_suggests_critical_even_with_no_yes():
    assert suggest_level(questions(1, 1), {}, immediate_danger=True) == (0, RiskLevel.CRITICAL)


@pytest.fixture
def case(caseworker_pavlodar, supervisor_pavlodar):
    return make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar)


def assess(case, actor, **overrides):
    values = {
        "version": case.version,
        "answers": all_no_answers(),
        "risk_level": RiskLevel.MEDIUM,
        "reasoning": "Father drinks; mother protective.",
        "immediate_danger": False,
        "safety_decision": "safe",
        **overrides,
    }
    return case_assess(actor=actor, case=case, **values)


def test_the_worker_assesses_and_the_case_moves_to_planning(case, caseworker_pavlodar):
    answers = {**all_no_answers(), "injury": "yes", "repeat_harm": "yes"}
    injury, repeat = AssessmentQuestion.objects.filter(code__in=["injury", "repeat_harm"])
    assessment = assess(case, caseworker_pavlodar, answers=answers, risk_level="high")
    case.refresh_from_db()
    assert case.status == Case.Status.PLANNING
    assert case.risk_level == RiskLevel.HIGH
    assert assessment.score == injury.weight + repeat.weight
    assert assessment.suggested_level == RiskLevel.HIGH  # injury is a red flag
    assert assessment.answers == answers


def test_the_specialist_may_choose_a_level_other_than_the_suggestion(case, caseworker_pavlodar):
    assessment = assess(case, caseworker_pavlodar, risk_level="high")
    assert (assessment.suggested_level, assessment.risk_level) == ("low", "high")


def test_a_reassessment_of_an_active_case_keeps_it_active(caseworker_pavlodar, supervisor_pavlodar):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="active")
    assess(case, caseworker_pavlodar, risk_level="low")
    case.refresh_from_db()
    assert (case.status, case.risk_level) == (Case.Status.ACTIVE, "low")


def test_every_active_question_must_be_answered(case, caseworker_pavlodar):
    answers = all_no_answers()
    del answers["injury"]
    answers["self_harm"] = "maybe"
    with pytest.raises(ValidationError) as exc:
        assess(case, caseworker_pavlodar, answers=answers)
    assert set(exc.value.message_dict) == {"injury", "self_harm"}
    assert not Assessment.objects.exists()
    case.refresh_from_db()
    assert case.status == Case.Status.ASSESSMENT


def test_a_retired_question_need_not_be_answered(case, caseworker_pavlodar):
    AssessmentQuestion.objects.filter(code="no_support").update(active=False)
    answers = all_no_answers()
    del answers["no_support"]
    assessment = assess(case, caseworker_pavlodar, answers=answers)
    assert "no_support" not in assessment.answers


def test_the_level_chosen_needs_a_reason(case, caseworker_pavlodar):
    with pytest.raises(ValidationError) as exc:
        assess(case, caseworker_pavlodar, reasoning="  ")
    assert "reasoning" in exc.value.message_dict


def test_a_child_in_immediate_danger_cannot_be_left_safe_at_home(case, caseworker_pavlodar):
    with pytest.raises(ValidationError) as exc:
        assess(case, caseworker_pavlodar, immediate_danger=True, safety_decision="safe")
    assert "safety_decision" in exc.value.message_dict
    assessment = assess(
        case,
        caseworker_pavlodar,
        immediate_danger=True,
        safety_decision="emergency",
        risk_level="critical",
    )
    assert assessment.suggested_level == RiskLevel.CRITICAL


@pytest.mark.parametrize(
    "name", ["caseworker2_pavlodar", "caseworker_astana", "supervisor_astana", "auditor"]
)
def test_only_the_worker_and_supervisors_assess(personas, case, name):
    with pytest.raises(TransitionError):
        assess(case, personas[name])
    assert not Assessment.objects.exists()


def test_the_supervisor_may_assess(case, supervisor_pavlodar):
    assess(case, supervisor_pavlodar)
    assert Assessment.objects.filter(case=case, performed_by=supervisor_pavlodar).exists()


@pytest.mark.parametrize("status", ["plan_submitted", "closure_requested", "closed"])
def test_a_case_awaiting_a_decision_or_closed_cannot_be_assessed(
    caseworker_pavlodar, supervisor_pavlodar, status
):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status=status)
    before = Assessment.objects.count()
    with pytest.raises(TransitionError):
        assess(case, caseworker_pavlodar)
    assert Assessment.objects.count() == before
