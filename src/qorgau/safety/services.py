"""Writes of suicide-risk screening and safety plans.

A positive screen raises the case's risk to at least high, restricts the case (suicide
risk is a sensitive concern) and sets the safety plan's deadline; an acute positive is
immediate danger: the two-hour deadline, an emergency notification to the police and
medical services, and an entry the supervisor sees. All in one transaction with the
case timeline.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qorgau import limits
from qorgau.accounts.models import User
from qorgau.cases import rollups, timeline
from qorgau.cases.choices import RISK_ORDER, Concern, RiskLevel
from qorgau.cases.models import Case, PoliceNotification
from qorgau.cases.services.locking import bump, lock_case_to_add
from qorgau.cases.workflow import Action
from qorgau.children.models import Child
from qorgau.limits import text_problems
from qorgau.safety.models import SafetyPlan, Screening, ScreeningQuestion

ANSWERS = ("yes", "no", "refused")
# A safety plan is reviewed at every follow-up; a date beyond this is a mistyped one.
REVIEW_HORIZON = dt.timedelta(days=90)


def _hours(name: str) -> dt.timedelta:
    return dt.timedelta(hours=settings.QORGAU_DEADLINES[name])


def score(answers: Mapping[str, str], questions: list[ScreeningQuestion]) -> tuple[str, dict]:
    """The ASQ rule: any "yes" (or refusal) to questions 1-4 is positive; then a "yes" to
    the acuity question is acute. Returns the result and the problems by question."""
    problems: dict[str, str] = {}
    main = [q for q in questions if not q.acuity]
    for q in main:
        if answers.get(q.code) not in ANSWERS:
            problems[q.code] = _("Answer this question.")
    positive = any(answers.get(q.code) in ("yes", "refused") for q in main)
    acute = False
    for q in questions:
        if q.acuity and positive:
            if answers.get(q.code) not in ("yes", "no"):
                problems[q.code] = _("After a “yes”, the acuity question must be asked.")
            acute = acute or answers.get(q.code) == "yes"
    if not positive:
        return Screening.Result.NEGATIVE, problems
    return (Screening.Result.ACUTE if acute else Screening.Result.POSITIVE), problems


@transaction.atomic
def screening_record(
    *, actor: User, case: Case, child: Child, answers: Mapping[str, str], instrument: str = "asq"
) -> Screening:
    case = lock_case_to_add(actor=actor, case=case, action=Action.VISIT)
    questions = list(ScreeningQuestion.objects.filter(instrument=instrument))
    result, problems = score(answers, questions)
    if not case.children.filter(pk=child.pk).exists():
        problems["child"] = _("That child is not in this case.")
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    known = {q.code for q in questions}
    screening = Screening(
        case=case,
        child=child,
        instrument=instrument,
        performed_by=actor,
        performed_at=now,
        answers={code: value for code, value in answers.items() if code in known},
        result=result,
    )
    if result != Screening.Result.NEGATIVE:
        acute = result == Screening.Result.ACUTE
        screening.safety_plan_due_at = now + _hours(
            "screening_immediate" if acute else "safety_plan"
        )
        _escalate(actor, case, acute=acute, now=now)
    screening.save()
    timeline.record(actor=actor, kind="screening_recorded", case=case, result=result)
    return screening


def _escalate(actor: User, case: Case, *, acute: bool, now: dt.datetime) -> None:
    changed = []
    current = RISK_ORDER.get(RiskLevel(case.risk_level), -1) if case.risk_level else -1
    if current < RISK_ORDER[RiskLevel.HIGH]:
        case.risk_level = RiskLevel.HIGH
        changed.append("risk_level")
    if not case.restricted:
        case.restricted = True
        changed.append("restricted")
    if changed:
        bump(case, *changed)
        timeline.record(actor=actor, kind="assessed", case=case, risk_level=case.risk_level)
    if acute:
        PoliceNotification.objects.create(
            case=case, concerns=Concern.SUICIDE, due_at=now + _hours("screening_immediate")
        )
        timeline.record(actor=actor, kind="police_due", case=case, concerns=Concern.SUICIDE)
        timeline.record(actor=actor, kind="screening_emergency", case=case)
        rollups.retally_cases([case.pk])  # monitoring counts the notification due


@dataclass(frozen=True)
class PlanSteps:
    warning_signs: str
    coping: str
    distraction: str
    people: str
    professionals: str
    environment: str

    def problems(self) -> dict[str, Any]:
        fields = {name: (value, limits.NOTE) for name, value in vars(self).items()}
        found: dict[str, Any] = text_problems(**fields)
        for name, value in vars(self).items():
            if not value.strip():
                found.setdefault(name, _("Write this step with the child."))
        return found


def _review_problem(review_on: dt.date) -> str | None:
    today = timezone.localdate()
    if review_on <= today:
        return _("The review date must be ahead.")
    if review_on > today + REVIEW_HORIZON:
        return _("Review a safety plan within 90 days: at every follow-up.")
    return None


@transaction.atomic
def safety_plan_write(
    *, actor: User, case: Case, child: Child, steps: PlanSteps, review_on: dt.date
) -> SafetyPlan:
    case = lock_case_to_add(actor=actor, case=case, action=Action.VISIT)
    problems = steps.problems()
    if problem := _review_problem(review_on):
        problems["review_on"] = problem
    if not case.children.filter(pk=child.pk).exists():
        problems["child"] = _("That child is not in this case.")
    if problems:
        raise ValidationError(problems)
    plan = SafetyPlan.objects.create(
        case=case,
        child=child,
        review_on=review_on,
        written_by=actor,
        written_at=timezone.now(),
        **vars(steps),
    )
    timeline.record(
        actor=actor, kind="safety_plan_written", case=case, review_on=review_on.isoformat()
    )
    return plan


@transaction.atomic
def safety_plan_review(
    *, actor: User, plan: SafetyPlan, steps: PlanSteps, review_on: dt.date
) -> SafetyPlan:
    lock_case_to_add(actor=actor, case=plan.case, action=Action.VISIT)
    plan = SafetyPlan.objects.select_for_update().get(pk=plan.pk)
    problems = steps.problems()
    if problem := _review_problem(review_on):
        problems["review_on"] = problem
    if problems:
        raise ValidationError(problems)
    for name, value in vars(steps).items():
        setattr(plan, name, value)
    plan.review_on = review_on
    plan.reviewed_at = timezone.now()
    plan.save()
    timeline.record(
        actor=actor, kind="safety_plan_reviewed", case=plan.case, review_on=review_on.isoformat()
    )
    return plan
