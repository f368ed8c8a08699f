"""Case plans: written by the worker, approved by a supervisor who did not write them."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from qorgau import limits
from qorgau.accounts.models import Organisation, User
from qorgau.cases import timeline
from qorgau.cases.models import Case, CasePlan, PlanAction
from qorgau.cases.services.locking import bump, lock_case
from qorgau.cases.workflow import Action
from qorgau.limits import text_problems


@dataclass(frozen=True)
class PlannedAction:
    goal: str
    action: str
    responsible: Organisation
    due_date: dt.date


# A plan is for the months ahead; a due date a decade away is a mistyped year.
PLAN_HORIZON = dt.timedelta(days=10 * 365)


def due_date_problem(due_date: dt.date) -> str | None:
    today = timezone.localdate()
    if due_date < today:
        return _("The due date is in the past.")
    if due_date > today + PLAN_HORIZON:
        return _("The due date is more than ten years away: check the year.")
    return None


def planned_action_problems(actions: Sequence[PlannedAction]) -> dict[int, dict[str, str]]:
    """Row number (from 1) -> field -> what is wrong with that planned action."""
    problems: dict[int, dict[str, str]] = {}
    for number, item in enumerate(actions, start=1):
        row: dict[str, str] = {
            name: str(error.messages[0])
            for name, error in text_problems(
                goal=(item.goal, limits.LINE), action=(item.action, limits.LINE)
            ).items()
        }
        if not item.goal.strip():
            row["goal"] = _("Give the goal.")
        if not item.action.strip():
            row["action"] = _("Give the action or service.")
        due_problem = due_date_problem(item.due_date)
        if due_problem:
            row["due_date"] = due_problem
        if row:
            problems[number] = row
    return problems


@transaction.atomic
def plan_submit(
    *,
    actor: User,
    case: Case,
    version: int,
    summary: str,
    actions: Sequence[PlannedAction],
) -> CasePlan:
    case = lock_case(actor=actor, case=case, action=Action.PLAN_SUBMIT, version=version)
    errors: dict[str, Any] = text_problems(summary=(summary, limits.NOTE))
    if not summary.strip():
        errors["summary"] = _("Summarise the plan.")
    if not actions:
        errors["actions"] = _("A plan needs at least one goal and action.")
    rows = planned_action_problems(actions)
    if rows:
        errors["actions"] = [
            _("Action %(n)s: %(problem)s") % {"n": number, "problem": problem}
            for number, row in rows.items()
            for problem in row.values()
        ]
    if errors:
        raise ValidationError(errors)
    plan = CasePlan.objects.create(
        case=case,
        status=CasePlan.Status.SUBMITTED,
        summary=summary,
        submitted_by=actor,
        submitted_at=timezone.now(),
    )
    # With history: bulk writes bypass the signals the field history listens to.
    bulk_create_with_history(
        [
            PlanAction(
                plan=plan,
                goal=a.goal,
                action=a.action,
                responsible=a.responsible,
                due_date=a.due_date,
            )
            for a in actions
        ],
        PlanAction,
        default_user=actor,
    )
    case.status = Case.Status.PLAN_SUBMITTED
    bump(case, "status")
    timeline.record(actor=actor, kind="plan_submitted", case=case)
    return plan


@transaction.atomic
def plan_decide(
    *, actor: User, case: Case, version: int, approve: bool, note: str = ""
) -> CasePlan:
    """Approve the submitted plan, or return it to the worker with a note."""
    case = lock_case(actor=actor, case=case, action=Action.PLAN_APPROVE, version=version)
    plan = case.plans.select_for_update().get(status=CasePlan.Status.SUBMITTED)
    if problems := text_problems(note=(note, limits.NOTE)):
        raise ValidationError(problems)
    if not approve and not note.strip():
        raise ValidationError({"note": _("Say what must change in the plan.")})
    plan.status = CasePlan.Status.APPROVED if approve else CasePlan.Status.RETURNED
    plan.decided_by = actor
    plan.decided_at = timezone.now()
    plan.decision_note = note
    plan.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    if approve:
        # An approved plan replaces the one before it.
        replaced = list(case.plans.filter(status=CasePlan.Status.APPROVED).exclude(pk=plan.pk))
        for old_plan in replaced:
            old_plan.status = CasePlan.Status.RETURNED
        bulk_update_with_history(replaced, CasePlan, ["status"], default_user=actor)
    has_active_plan = approve or case.plans.filter(status=CasePlan.Status.APPROVED).exists()
    case.status = Case.Status.ACTIVE if has_active_plan else Case.Status.PLANNING
    bump(case, "status")
    timeline.record(actor=actor, kind="plan_approved" if approve else "plan_returned", case=case)
    return plan


def plan_action_update_problems(*, status: str, outcome_note: str) -> dict[str, Any]:
    problems: dict[str, Any] = text_problems(outcome_note=(outcome_note, limits.LINE))
    if status != PlanAction.Status.PLANNED and not outcome_note.strip():
        problems["outcome_note"] = _("Say what came of it.")
    return problems


@transaction.atomic
def plan_action_update(
    *,
    actor: User,
    case: Case,
    version: int,
    action: PlanAction,
    status: str,
    outcome_note: str = "",
) -> PlanAction:
    """Record where a planned service or referral stands, and its outcome."""
    case = lock_case(actor=actor, case=case, action=Action.VISIT, version=version)
    if action.plan.case_id != case.pk:
        raise ValidationError(_("That action belongs to another case."))
    if action.plan.status != CasePlan.Status.APPROVED:
        raise ValidationError(_("Only the actions of an approved plan are carried out."))
    if problems := plan_action_update_problems(status=status, outcome_note=outcome_note):
        raise ValidationError(problems)
    action.status = PlanAction.Status(status)
    action.outcome_note = outcome_note
    action.save(update_fields=["status", "outcome_note"])
    # Two people updating one action would otherwise overwrite each other's outcome.
    bump(case)
    timeline.record(
        actor=actor, kind="action_updated", case=case, action=action.action, status=status
    )
    return action
