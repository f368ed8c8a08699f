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
from qorgau.cases.choices import RISK_ORDER, Answer, RiskLevel, SafetyDecision
from qorgau.cases.models import Assessment, AssessmentQuestion, Case
from qorgau.cases.services.locking import bump, lock_case
from qorgau.cases.workflow import Action
from qorgau.children.models import Child
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


def is_below(level: str, suggested: str) -> bool:
    return RISK_ORDER[RiskLevel(level)] < RISK_ORDER[RiskLevel(suggested)]


def case_risk_level(case: Case) -> str:
    """The highest level that counts among the latest assessment of each child."""
    latest: dict[int | None, Assessment] = {}
    for assessment in case.assessments.order_by("-performed_at", "-pk"):
        latest.setdefault(assessment.child_id, assessment)
    levels = [a.effective_level for a in latest.values()]
    return max(levels, key=lambda level: RISK_ORDER[RiskLevel(level)], default="")


def _child_problems(case: Case, child: Child | None) -> tuple[Child | None, dict[str, str]]:
    children = list(case.children.all())
    if child is None:
        if len(children) > 1:
            return None, {"child": _("Choose the child this assessment is about.")}
        return (children[0] if children else None), {}
    if child not in children:
        return None, {"child": _("That child is not in this case.")}
    return child, {}


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
    child: Child | None = None,
    override_reason: str = "",
) -> Assessment:
    """Record one child's assessment; the case's risk is the highest of its children's.

    A level below the instrument's suggestion needs a reason and waits for a
    supervisor's sign-off; until then the suggestion counts.
    """
    case = lock_case(actor=actor, case=case, action=Action.ASSESS, version=version)
    child, child_errors = _child_problems(case, child)
    questions = list(AssessmentQuestion.objects.filter(active=True))
    errors: dict[str, Any] = {
        q.code: _("Answer this question (yes, no or unknown).")
        for q in questions
        if answers.get(q.code) not in ANSWERS
    }
    errors.update(child_errors)
    errors.update(
        text_problems(
            reasoning=(reasoning, limits.NARRATIVE), override_reason=(override_reason, limits.NOTE)
        )
    )
    if not reasoning.strip():
        errors["reasoning"] = _("Explain the risk level you chose.")
    errors.update(
        safety_problems(immediate_danger=immediate_danger, safety_decision=safety_decision)
    )
    if errors:
        raise ValidationError(errors)
    score, suggested = suggest_level(questions, answers, immediate_danger=immediate_danger)
    below = is_below(risk_level, suggested)
    if below and not override_reason.strip():
        raise ValidationError(
            {
                "override_reason": _(
                    "The level you chose is lower than the suggested one (%(level)s): "
                    "say why. A supervisor will sign it off."
                )
                % {"level": RiskLevel(suggested).label}
            }
        )
    # A newer assessment of the child replaces an older one still waiting for sign-off.
    case.assessments.filter(child=child, signoff=Assessment.SignOff.PENDING).update(
        signoff=Assessment.SignOff.SUPERSEDED
    )
    assessment = Assessment.objects.create(
        case=case,
        child=child,
        performed_by=actor,
        performed_at=timezone.now(),
        answers={q.code: answers[q.code] for q in questions},
        score=score,
        suggested_level=suggested,
        risk_level=RiskLevel(risk_level),
        reasoning=reasoning,
        immediate_danger=immediate_danger,
        safety_decision=SafetyDecision(safety_decision),
        override_reason=override_reason.strip() if below else "",
        signoff=Assessment.SignOff.PENDING if below else Assessment.SignOff.NOT_NEEDED,
    )
    case.risk_level = case_risk_level(case)
    fields = ["risk_level"]
    if case.status == Case.Status.ASSESSMENT:
        case.status = Case.Status.PLANNING
        fields.append("status")
    bump(case, *fields)
    timeline.record(actor=actor, kind="assessed", case=case, risk_level=assessment.risk_level)
    if below:
        timeline.record(
            actor=actor,
            kind="risk_override",
            case=case,
            risk_level=assessment.risk_level,
            suggested=suggested,
        )
    return assessment


@transaction.atomic
def risk_signoff_decide(
    *, actor: User, case: Case, version: int, approve: bool, note: str = ""
) -> Assessment:
    """A supervisor accepts the lower level, or overrules it: the suggestion applies."""
    case = lock_case(actor=actor, case=case, action=Action.RISK_SIGNOFF, version=version)
    assessment = (
        case.assessments.select_for_update()
        .filter(signoff=Assessment.SignOff.PENDING)
        .order_by("performed_at", "pk")
        .first()
    )
    if assessment is None:  # never: the workflow found one on the locked case
        raise ValidationError(_("No risk level of this case awaits sign-off."))
    if problems := text_problems(note=(note, limits.NOTE)):
        raise ValidationError(problems)
    if not approve and not note.strip():
        raise ValidationError({"note": _("Say why the suggested level applies.")})
    assessment.signoff = Assessment.SignOff.APPROVED if approve else Assessment.SignOff.OVERRULED
    assessment.signed_off_by = actor
    assessment.signed_off_at = timezone.now()
    assessment.signoff_note = note.strip()
    assessment.save(update_fields=["signoff", "signed_off_by", "signed_off_at", "signoff_note"])
    case.risk_level = case_risk_level(case)
    bump(case, "risk_level")
    timeline.record(
        actor=actor,
        kind="risk_signed_off" if approve else "risk_overruled",
        case=case,
        risk_level=assessment.effective_level,
    )
    return assessment
