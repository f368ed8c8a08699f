"""Closing a case (with a supervisor's approval), and reopening it."""

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qorgau import limits
from qorgau.accounts.models import User
from qorgau.cases import timeline
from qorgau.cases.choices import ClosureReason, Outcome
from qorgau.cases.models import Case, CasePlan
from qorgau.cases.services.locking import bump, lock_case
from qorgau.cases.workflow import Action, TransitionError
from qorgau.limits import text_problems


def _require_police_notified(case: Case) -> None:
    if case.police_notifications.filter(sent_at__isnull=True).exists():
        raise TransitionError(
            _("The police must be notified before the case can be closed."), code="police_due"
        )


# Conditions the apps above `cases` set on closing (safety: a positive suicide-risk
# screen needs its safety plan and referral to care). Each returns why the case may
# not close, or None; registered from the app's `ready()`, so `cases` imports none.
_CLOSURE_CHECKS: list[tuple[str, Callable[[Case], str | None]]] = []


def register_closure_check(code: str, check: Callable[[Case], str | None]) -> None:
    if all(existing != code for existing, _check in _CLOSURE_CHECKS):
        _CLOSURE_CHECKS.append((code, check))


def _require_closable(case: Case) -> None:
    _require_police_notified(case)
    for code, check in _CLOSURE_CHECKS:
        if (problem := check(case)) is not None:
            raise TransitionError(problem, code=code)


@transaction.atomic
def case_closure_request(
    *, actor: User, case: Case, version: int, reason: str, outcome: str, note: str
) -> Case:
    case = lock_case(actor=actor, case=case, action=Action.CLOSURE_REQUEST, version=version)
    _require_closable(case)
    if problems := text_problems(note=(note, limits.NOTE)):
        raise ValidationError(problems)
    if not note.strip():
        raise ValidationError({"note": _("Summarise the case for the closure decision.")})
    case.status = Case.Status.CLOSURE_REQUESTED
    case.closure_reason = ClosureReason(reason)
    case.outcome = Outcome(outcome)
    case.closure_note = note
    case.closure_requested_by = actor
    bump(case, "status", "closure_reason", "outcome", "closure_note", "closure_requested_by")
    timeline.record(actor=actor, kind="closure_requested", case=case, reason=reason)
    return case


@transaction.atomic
def case_closure_decide(
    *, actor: User, case: Case, version: int, approve: bool, note: str = ""
) -> Case:
    case = lock_case(actor=actor, case=case, action=Action.CLOSURE_APPROVE, version=version)
    if problems := text_problems(note=(note, limits.NOTE)):
        raise ValidationError(problems)
    if approve:
        # Checked again here: a notifiable report may have joined since the request, a
        # referral to care may have been withdrawn or declined.
        _require_closable(case)
        case.status = Case.Status.CLOSED
        case.closed_at = timezone.now()
        bump(case, "status", "closed_at")
        timeline.record(actor=actor, kind="closure_approved", case=case, outcome=case.outcome)
    else:
        if not note.strip():
            raise ValidationError({"note": _("Say why the case stays open.")})
        _back_to_work(case)
        timeline.record(actor=actor, kind="closure_rejected", case=case, note=note)
    return case


def _back_to_work(case: Case) -> None:
    """The case stays open: back to its plan, or to planning when none is approved."""
    case.status = (
        Case.Status.ACTIVE
        if case.plans.filter(status=CasePlan.Status.APPROVED).exists()
        else Case.Status.PLANNING
    )
    case.closure_requested_by = None
    bump(case, "status", "closure_requested_by")


@transaction.atomic
def case_closure_withdraw(*, actor: User, case: Case, version: int, note: str = "") -> Case:
    """The requester takes a closure request back, before anyone has decided it."""
    case = lock_case(actor=actor, case=case, action=Action.CLOSURE_WITHDRAW, version=version)
    _back_to_work(case)
    timeline.record(actor=actor, kind="closure_withdrawn", case=case, note=note)
    return case


@transaction.atomic
def case_reopen(*, actor: User, case: Case, version: int, reason: str) -> Case:
    """Reopen a closed case: it needs a fresh assessment of the new situation."""
    case = lock_case(actor=actor, case=case, action=Action.REOPEN, version=version)
    if problems := text_problems(reason=(reason, limits.NOTE)):
        raise ValidationError(problems)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the case is reopened.")})
    case.status = Case.Status.ASSESSMENT
    # The first deadlines are long past: the new ones run from reopening.
    now = timezone.now()
    case.assessment_due_at = now + dt.timedelta(hours=settings.QORGAU_DEADLINES["assessment"])
    case.plan_due_at = now + dt.timedelta(hours=settings.QORGAU_DEADLINES["plan"])
    case.closed_at = None
    case.closure_requested_by = None
    case.closure_reason = ""
    case.outcome = ""
    bump(
        case,
        "status",
        "assessment_due_at",
        "plan_due_at",
        "closed_at",
        "closure_requested_by",
        "closure_reason",
        "outcome",
    )
    timeline.record(actor=actor, kind="reopened", case=case, note=reason)
    return case
