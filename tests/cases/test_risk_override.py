"""A level below the instrument's suggestion: a reason, then a supervisor's sign-off.

Until the supervisor signs it off the suggestion counts for the case's risk; a case
about several children gets an assessment per child and takes the highest level.
"""

import pytest
from django.core.exceptions import ValidationError

from personas import all_no_answers, make_case, make_child, make_report, version_of
from qorgau.cases.models import Assessment, Case
from qorgau.cases.selectors import approvals_waiting, risk_overrides
from qorgau.cases.services.assessment import case_assess, risk_signoff_decide
from qorgau.cases.services.reports import DescribedChild, report_screen_in
from qorgau.cases.workflow import Action, TransitionError, allowed_actions

RED_FLAG = {**{}, "injury": "yes"}  # a red flag: the instrument suggests at least high


def assess(case, actor, **overrides):
    values = {
        "version": version_of(case),
        "answers": {**all_no_answers(), **RED_FLAG},
        "risk_level": "low",
        "reasoning": "Bruise explained by a fall at school, confirmed by the nurse.",
        "immediate_danger": False,
        "safety_decision": "safe",
        "override_reason": "The nurse saw the fall; no other sign of harm.",
        **overrides,
    }
    return case_assess(actor=actor, case=case, **values)


@pytest.fixture
def case(caseworker_pavlodar, supervisor_pavlodar):
    return make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar)


def test_a_level_below_the_suggestion_needs_a_reason(case, caseworker_pavlodar):
    with pytest.raises(ValidationError) as exc:
        assess(case, caseworker_pavlodar, override_reason="  ")
    assert "override_reason" in exc.value.message_dict
    assert not Assessment.objects.filter(case=case).exists()


def test_a_level_at_or_above_the_suggestion_needs_no_sign_off(case, caseworker_pavlodar):
    assessment = assess(case, caseworker_pavlodar, risk_level="critical", override_reason="x")
    assert (assessment.signoff, assessment.override_reason) == ("", "")
    case.refresh_from_db()
    assert case.risk_level == "critical"


def test_a_lower_level_waits_for_sign_off_and_the_suggestion_counts_meanwhile(
    case, caseworker_pavlodar, supervisor_pavlodar
):
    assessment = assess(case, caseworker_pavlodar)
    case.refresh_from_db()
    assert assessment.signoff == Assessment.SignOff.PENDING
    assert (assessment.risk_level, assessment.suggested_level) == ("low", "high")
    assert case.risk_level == "high"
    entry = case.timeline.order_by("pk").last()
    assert (entry.kind, entry.details) == (
        "risk_override",
        {"risk_level": "low", "suggested": "high"},
    )
    assert Action.RISK_SIGNOFF in allowed_actions(supervisor_pavlodar, case)
    assert Action.RISK_SIGNOFF not in allowed_actions(caseworker_pavlodar, case)
    # Nobody closes a case on a level nobody signed off.
    assert Action.CLOSURE_REQUEST not in allowed_actions(caseworker_pavlodar, case)


def test_the_supervisor_signs_the_lower_level_off(case, caseworker_pavlodar, supervisor_pavlodar):
    assessment = assess(case, caseworker_pavlodar)
    risk_signoff_decide(
        actor=supervisor_pavlodar, case=case, version=version_of(case), approve=True
    )
    assessment.refresh_from_db()
    case.refresh_from_db()
    assert (assessment.signoff, assessment.signed_off_by) == ("approved", supervisor_pavlodar)
    assert case.risk_level == "low"
    assert case.timeline.order_by("pk").last().kind == "risk_signed_off"
    assert Action.RISK_SIGNOFF not in allowed_actions(supervisor_pavlodar, case)


def test_overruling_needs_a_note_and_the_suggestion_applies(
    case, caseworker_pavlodar, supervisor_pavlodar
):
    assess(case, caseworker_pavlodar)
    with pytest.raises(ValidationError) as exc:
        risk_signoff_decide(
            actor=supervisor_pavlodar, case=case, version=version_of(case), approve=False
        )
    assert "note" in exc.value.message_dict
    risk_signoff_decide(
        actor=supervisor_pavlodar,
        case=case,
        version=version_of(case),
        approve=False,
        note="An injury is never low without a medical opinion.",
    )
    case.refresh_from_db()
    assert case.risk_level == "high"
    assert case.timeline.order_by("pk").last().details == {"risk_level": "high"}


@pytest.mark.parametrize(
    "name", ["caseworker_pavlodar", "caseworker2_pavlodar", "supervisor_astana", "auditor"]
)
def test_only_another_supervisor_of_the_case_signs_off(personas, case, caseworker_pavlodar, name):
    assess(case, caseworker_pavlodar)
    with pytest.raises(TransitionError):
        risk_signoff_decide(actor=personas[name], case=case, version=version_of(case), approve=True)
    assert case.assessments.get().signoff == "pending"


def test_a_supervisor_does_not_sign_off_a_level_they_chose(case, supervisor_pavlodar):
    assess(case, supervisor_pavlodar)
    with pytest.raises(TransitionError):
        risk_signoff_decide(
            actor=supervisor_pavlodar, case=case, version=version_of(case), approve=True
        )
    assert case not in approvals_waiting(actor=supervisor_pavlodar)


def test_supervisors_find_overrides_in_their_queue_and_their_list(
    case, caseworker_pavlodar, supervisor_pavlodar, supervisor_astana
):
    assessment = assess(case, caseworker_pavlodar)
    [waiting] = approvals_waiting(actor=supervisor_pavlodar)
    assert (waiting, waiting.signoff_waiting) == (case, True)
    assert list(risk_overrides(actor=supervisor_pavlodar)) == [assessment]
    assert not risk_overrides(actor=supervisor_astana).exists()
    assert not risk_overrides(actor=caseworker_pavlodar).exists()
    risk_signoff_decide(
        actor=supervisor_pavlodar, case=case, version=version_of(case), approve=True
    )
    assert case not in approvals_waiting(actor=supervisor_pavlodar)
    assert list(risk_overrides(actor=supervisor_pavlodar)) == [assessment]  # decided, still listed


def test_a_newer_assessment_of_the_child_replaces_a_pending_one(
    case, caseworker_pavlodar, supervisor_pavlodar
):
    first = assess(case, caseworker_pavlodar)
    assess(case, caseworker_pavlodar, risk_level="high")
    first.refresh_from_db()
    case.refresh_from_db()
    assert first.signoff == Assessment.SignOff.SUPERSEDED
    assert case.risk_level == "high"
    assert Action.RISK_SIGNOFF not in allowed_actions(supervisor_pavlodar, case)


@pytest.fixture
def siblings_case(caseworker_pavlodar, supervisor_pavlodar):
    older = make_child(actor=supervisor_pavlodar, first_name="Aruzhan")
    younger = make_child(actor=supervisor_pavlodar, first_name="Timur")
    report = make_report(
        actor=supervisor_pavlodar,
        children=[DescribedChild(child=older), DescribedChild(child=younger)],
    )
    case = report_screen_in(actor=supervisor_pavlodar, report=report, worker=caseworker_pavlodar)
    return case, older, younger


def test_a_case_about_siblings_is_assessed_per_child_and_takes_the_highest_level(
    siblings_case, caseworker_pavlodar
):
    case, older, younger = siblings_case
    with pytest.raises(ValidationError) as exc:
        assess(case, caseworker_pavlodar, risk_level="high")
    assert "child" in exc.value.message_dict
    assess(case, caseworker_pavlodar, child=older, risk_level="high")
    assess(case, caseworker_pavlodar, child=younger, answers=all_no_answers(), risk_level="medium")
    case.refresh_from_db()
    assert case.risk_level == "high"
    assert case.status == Case.Status.PLANNING
    # The older child is safer now: the younger one's level is the case's.
    assess(case, caseworker_pavlodar, child=older, answers=all_no_answers(), risk_level="low")
    case.refresh_from_db()
    assert case.risk_level == "medium"
    assert set(case.assessments.values_list("child", flat=True)) == {older.pk, younger.pk}


def test_a_child_of_another_case_is_refused(siblings_case, caseworker_pavlodar):
    case, _, _ = siblings_case
    stranger = make_child(actor=caseworker_pavlodar)
    with pytest.raises(ValidationError) as exc:
        assess(case, caseworker_pavlodar, child=stranger, risk_level="high")
    assert "child" in exc.value.message_dict
