"""The structured risk assessment."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qorgau import limits
from qorgau.accounts.models import User
from qorgau.cases import timeline
from qorgau.cases.choices import Answer, RiskLevel, SafetyDecision
from qorgau.cases.models import Assessment, AssessmentQuestion, Case
from qorgau.cases.services.locking import bump, lock_case
from qorgau.cases.workflow import Action
from qorgau.limits import text_problems

ANSWERS = tuple(Answer.values)
# Score thresholds for the suggested level; the specialist decides and says why.
_MEDIUM_FROM, _HIGH_FROM = 3, 6


def suggest_level(
    questions: list[AssessmentQuestion], answers: Mapping[str, str], *, immediate_danger: bool
) -> tuple[int, str]:
    score = sum(q.weight for q in questions if answers.get(q.code) == "yes")
    if immediate_danger:
        return score, RiskLevel.CRITICAL
    if any(q.red_flag and answers.get(q.code) == "yes" for q in questions):
        return score, RiskLevel.HIGH
    if score >= _HIGH_FROM:
        return score, RiskLevel.HIGH
    if score >= _MEDIUM_FROM:
        return score, RiskLevel.MEDIUM
    return score, RiskLevel.LOW


def safety_problems(*, immediate_danger: bool, safety_decision: str) -> dict[str, str]:
    if immediate_danger and safety_decision == SafetyDecision.SAFE:
        return {"safety_decision": _("A child in immediate danger needs a safety decision.")}
    return {}


@transaction.atomic
def case_assess(
    *,
    actor: User,
    case: Case,
    version: int,
    answers: Mapping[str, str],
    risk_level: str,
    reasoning: str,
    immediate_danger: bool,
    safety_decision: str,
) -> Assessment:
    case = lock_case(actor=actor, case=case, action=Action.ASSESS, version=version)
    questions = list(AssessmentQuestion.objects.filter(active=True))
    errors: dict[str, Any] = {
        q.code: _("Answer this question (yes, no or unknown).")
        for q in questions
        if answers.get(q.code) not in ANSWERS
    }
    errors.update(text_problems(reasoning=(reasoning, limits.NARRATIVE)))
    if not reasoning.strip():
        errors["reasoning"] = _("Explain the risk level you chose.")
    errors.update(
        safety_problems(immediate_danger=immediate_danger, safety_decision=safety_decision)
    )
    if errors:
        raise ValidationError(errors)
    score, suggested = suggest_level(questions, answers, immediate_danger=immediate_danger)
    assessment = Assessment.objects.create(
        case=case,
        performed_by=actor,
        performed_at=timezone.now(),
        answers={q.code: answers[q.code] for q in questions},
        score=score,
        suggested_level=suggested,
        risk_level=RiskLevel(risk_level),
        reasoning=reasoning,
        immediate_danger=immediate_danger,
        safety_decision=SafetyDecision(safety_decision),
    )
    case.risk_level = assessment.risk_level
    fields = ["risk_level"]
    if case.status == Case.Status.ASSESSMENT:
        case.status = Case.Status.PLANNING
        fields.append("status")
    bump(case, *fields)
    timeline.record(actor=actor, kind="assessed", case=case, risk_level=assessment.risk_level)
    return assessment
