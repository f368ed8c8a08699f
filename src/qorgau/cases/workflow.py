"""The case workflow: which action is allowed for whom in which state.

The case page asks `allowed_actions` what to offer; every service calls
`require_action` with the same rules, so the page never offers what the service
would refuse and the service refuses what a crafted request asks for.
"""

from enum import StrEnum

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.models import ApprovalDelegation, Organisation, User
from qorgau.accounts.roles import ROLE_PERMS, Perm, Role
from qorgau.cases.models import Assessment, Case, CasePlan, PlanAction, Transfer
from qorgau.memo import memo


class Action(StrEnum):
    ASSESS = "assess"
    PLAN_SUBMIT = "plan_submit"
    PLAN_APPROVE = "plan_approve"
    VISIT = "visit"
    POLICE = "police"
    CLOSURE_REQUEST = "closure_request"
    CLOSURE_APPROVE = "closure_approve"
    CLOSURE_WITHDRAW = "closure_withdraw"
    REOPEN = "reopen"
    TRANSFER = "transfer"
    TRANSFER_DECIDE = "transfer_decide"
    PLAN_REASSIGN = "plan_reassign"
    RISK_SIGNOFF = "risk_signoff"
    REASSIGN = "reassign"


class TransitionError(ValidationError):
    """An action refused by the workflow, with a message for the user."""


class StaleVersion(TransitionError):
    """Someone else changed the case since this user loaded it."""


S = Case.Status
# The one state table: in which states each action may be taken (tests read it too).
STATES: dict[Action, tuple[str, ...]] = {
    Action.ASSESS: (S.ASSESSMENT, S.PLANNING, S.ACTIVE),
    Action.PLAN_SUBMIT: (S.PLANNING, S.ACTIVE),
    Action.PLAN_APPROVE: (S.PLAN_SUBMITTED,),
    Action.VISIT: (S.ASSESSMENT, S.PLANNING, S.PLAN_SUBMITTED, S.ACTIVE, S.CLOSURE_REQUESTED),
    Action.POLICE: (S.ASSESSMENT, S.PLANNING, S.PLAN_SUBMITTED, S.ACTIVE, S.CLOSURE_REQUESTED),
    Action.CLOSURE_REQUEST: (S.PLANNING, S.ACTIVE),
    Action.CLOSURE_APPROVE: (S.CLOSURE_REQUESTED,),
    Action.CLOSURE_WITHDRAW: (S.CLOSURE_REQUESTED,),
    Action.REOPEN: (S.CLOSED,),
    Action.TRANSFER: (S.ASSESSMENT, S.PLANNING, S.ACTIVE),
    Action.TRANSFER_DECIDE: (S.ASSESSMENT, S.PLANNING, S.ACTIVE),
    Action.PLAN_REASSIGN: (S.PLANNING, S.PLAN_SUBMITTED, S.ACTIVE),
    Action.RISK_SIGNOFF: (S.PLANNING, S.PLAN_SUBMITTED, S.ACTIVE, S.CLOSURE_REQUESTED),
    Action.REASSIGN: (S.ASSESSMENT, S.PLANNING, S.PLAN_SUBMITTED, S.ACTIVE, S.CLOSURE_REQUESTED),
}

_STATE_MESSAGES: dict[Action, Promise] = {
    Action.ASSESS: _("A closed case or one awaiting a decision cannot be assessed."),
    Action.PLAN_SUBMIT: _("A case plan can be submitted only after the risk assessment."),
    Action.PLAN_APPROVE: _("There is no case plan awaiting approval."),
    Action.VISIT: _("Visits cannot be recorded on a closed case."),
    Action.POLICE: _("Police notifications cannot be changed on a closed case."),
    Action.CLOSURE_REQUEST: _(
        "A case can be closed only after its risk assessment, and not while a plan or a "
        "closure awaits approval."
    ),
    Action.CLOSURE_APPROVE: _("No closure of this case awaits approval."),
    Action.CLOSURE_WITHDRAW: _("No closure of this case awaits approval."),
    Action.REOPEN: _("Only a closed case can be reopened."),
    Action.TRANSFER: _("This case cannot be transferred in its current state."),
    Action.TRANSFER_DECIDE: _("This case cannot be transferred in its current state."),
    Action.PLAN_REASSIGN: _("Plan actions are handed on only while the case is open."),
    Action.RISK_SIGNOFF: _("No risk level of this case awaits sign-off."),
    Action.REASSIGN: _("A closed case cannot be reassigned."),
}


def _works_on(user: User, case: Case) -> bool:
    """The assigned worker, their supervisor, or a supervisor of the owning organisation."""
    if not user.has_perm_code(Perm.CASE_WORK):
        return False
    if case.worker_id == user.pk:
        return True
    if user.role != Role.SUPERVISOR:
        return False
    return case.worker.supervisor_id == user.pk or case.organisation_id == user.organisation_id


_APPROVER_ROLES = [role for role, perms in ROLE_PERMS.items() if Perm.CASE_APPROVE in perms]


def referred_up_to(user: User) -> Q:
    """Cases whose plan, closure or risk sign-off waits on the supervisors of the user's
    organisation because the district office that owns the case has no other supervisor
    to decide it.

    Four eyes: nobody approves their own request. An office whose only supervisor made
    the request (often as the worker, after a transfer) or chose the risk level below
    the suggestion cannot decide it, so the decision goes up to the regional department
    the office belongs to (its parent).
    """
    if not user.has_perm_code(Perm.CASE_APPROVE) or user.organisation_id is None:
        return Q(pk__in=[])
    approvers = User.objects.filter(role__in=_APPROVER_ROLES, is_active=True)
    closure_stuck = Q(status=Case.Status.CLOSURE_REQUESTED) & ~Exists(
        approvers.filter(organisation_id=OuterRef("organisation_id")).exclude(
            pk=OuterRef("closure_requested_by_id")
        )
    )
    plan_stuck = Q(status=Case.Status.PLAN_SUBMITTED) & Exists(
        CasePlan.objects.filter(case=OuterRef("pk"), status=CasePlan.Status.SUBMITTED).filter(
            ~Exists(
                approvers.filter(organisation_id=OuterRef("case__organisation_id")).exclude(
                    pk=OuterRef("submitted_by_id")
                )
            )
        )
    )
    signoff_stuck = Q(status__in=STATES[Action.RISK_SIGNOFF]) & Exists(
        Assessment.objects.filter(case=OuterRef("pk"), signoff=Assessment.SignOff.PENDING).filter(
            ~Exists(
                approvers.filter(organisation_id=OuterRef("case__organisation_id")).exclude(
                    pk=OuterRef("performed_by_id")
                )
            )
        )
    )
    stuck: Q = closure_stuck | plan_stuck | signoff_stuck  # type: ignore[assignment]
    return Q(organisation__parent_id=user.organisation_id) & stuck


def has_other_approver(worker: User, organisation: Organisation) -> bool:
    """Someone but `worker` could decide the plans and closures `worker` asks for there."""
    approvers = User.objects.filter(role__in=_APPROVER_ROLES, is_active=True).exclude(pk=worker.pk)
    where = Q(organisation_id=organisation.pk)
    if organisation.parent_id is not None:
        where |= Q(organisation_id=organisation.parent_id)
    return approvers.filter(where).exists()


def open_plan_actions(case: Case) -> QuerySet[PlanAction]:
    """The actions of the approved plan that are still to be done."""
    return PlanAction.objects.filter(
        plan__case=case, plan__status=CasePlan.Status.APPROVED, status=PlanAction.Status.PLANNED
    ).select_related("responsible__place")


def delegators_of(user: User) -> list[User]:
    """The supervisors whose approvals `user` holds today as their deputy."""
    if not user.has_perm_code(Perm.CASE_WORK):
        return []

    def read() -> list[User]:
        delegations = (
            ApprovalDelegation.objects.live()
            .filter(deputy=user, delegator__is_active=True, delegator__role__in=_APPROVER_ROLES)
            .select_related("delegator")
        )
        return [delegation.delegator for delegation in delegations]

    # Asked by the menu and by each approval list of a page: once (qorgau.memo).
    return memo(("delegators of", user.pk), read)


def may_approve(user: User) -> bool:
    """A supervisor, or a deputy holding a supervisor's approvals today."""
    return user.has_perm_code(Perm.CASE_APPROVE) or bool(delegators_of(user))


def _approves_directly(approver: User, case: Case) -> bool:
    """The case is of the approver's organisation or of their team."""
    return (
        case.organisation_id == approver.organisation_id or case.worker.supervisor_id == approver.pk
    )


def _approves(user: User, case: Case) -> bool:
    if user.has_perm_code(Perm.CASE_APPROVE):
        if _approves_directly(user, case):
            return True
        if Case.objects.filter(referred_up_to(user), pk=case.pk).exists():
            return True
    # A deputy decides what the supervisor who delegated could, while it lasts.
    return any(_approves_directly(delegator, case) for delegator in delegators_of(user))


def case_assessments(case: Case) -> list[Assessment]:
    """Every assessment of the case, newest first, with who made it and the child: read
    once per GET (qorgau.memo) for the case page's list and for every action it offers
    that asks for a pending sign-off. A case has a handful."""
    return memo(
        ("case assessments", case.pk),
        lambda: list(
            case.assessments.select_related("performed_by", "child").order_by(
                "-performed_at", "-pk"
            )
        ),
    )


def pending_signoff(case: Case) -> Assessment | None:
    """The oldest assessment whose level below the suggestion waits for a supervisor."""
    waiting = [a for a in case_assessments(case) if a.signoff == Assessment.SignOff.PENDING]
    return min(waiting, key=lambda a: (a.performed_at, a.pk), default=None)


def case_transfers(case: Case) -> list[Transfer]:
    """Every transfer of the case, newest first, with its organisations and people: read
    once per GET (qorgau.memo) for the case page's list and the actions it offers."""
    return memo(
        ("case transfers", case.pk),
        lambda: list(
            case.transfers.select_related(
                "from_organisation", "to_organisation", "requested_by", "decided_by"
            ).order_by("-requested_at", "-pk")
        ),
    )


def _pending_transfer(case: Case) -> Transfer | None:
    return next((t for t in case_transfers(case) if t.status == Transfer.Status.PENDING), None)


def refusal(user: User, case: Case, action: Action) -> str | None:
    """Why `user` may not take `action` on `case` now, or None when they may."""
    if case.status not in STATES[action]:
        return str(_STATE_MESSAGES[action])
    if action == Action.TRANSFER_DECIDE:
        transfer = _pending_transfer(case)
        if transfer is None:
            return str(_("No transfer of this case is waiting for a decision."))
        if transfer.to_organisation_id != user.organisation_id or not user.has_perm_code(
            Perm.CASE_WORK
        ):
            return str(_("Only the receiving organisation can accept or decline a transfer."))
        return None
    if action == Action.RISK_SIGNOFF:
        signoff = pending_signoff(case)
        if signoff is None:
            return str(_STATE_MESSAGES[action])
        if not _approves(user, case):
            return str(_("Only a supervisor of this case's organisation can sign off."))
        if signoff.performed_by_id == user.pk:
            return str(_("You cannot sign off a risk level you chose yourself."))
        return None
    if action == Action.REASSIGN:
        # A supervisor's own decision: not one of the approvals a deputy holds.
        if not user.has_perm_code(Perm.CASE_APPROVE) or not _approves_directly(user, case):
            return str(_("Only a supervisor of this case's organisation can reassign it."))
        if _pending_transfer(case) is not None:
            return str(_("A transfer of this case is already waiting for a decision."))
        return None
    if action in (Action.PLAN_APPROVE, Action.CLOSURE_APPROVE):
        if not _approves(user, case):
            return str(_("Only a supervisor of this case's organisation can approve."))
        if action == Action.PLAN_APPROVE:
            plan = case.plans.filter(status=CasePlan.Status.SUBMITTED).first()
            if plan is not None and plan.submitted_by_id == user.pk:
                return str(_("You cannot approve a plan you submitted yourself."))
        elif case.closure_requested_by_id == user.pk:
            return str(_("You cannot approve a closure you requested yourself."))
        return None
    if action == Action.CLOSURE_WITHDRAW:
        if case.closure_requested_by_id != user.pk or not user.has_perm_code(Perm.CASE_WORK):
            return str(_("Only the person who requested the closure can withdraw it."))
        return None
    if not _works_on(user, case):
        return str(_("Only the case's worker or their supervisor can do this."))
    if action == Action.PLAN_REASSIGN and not open_plan_actions(case).exists():
        return str(_("The plan has no open action to hand on."))
    # A case closed with a transfer pending would stay open to the receiver, undecidable.
    if action in (Action.TRANSFER, Action.CLOSURE_REQUEST) and _pending_transfer(case) is not None:
        return str(_("A transfer of this case is already waiting for a decision."))
    # A case is not closed on a risk level nobody has signed off.
    if action == Action.CLOSURE_REQUEST and pending_signoff(case) is not None:
        return str(_("A risk level below the suggested one awaits a supervisor's sign-off."))
    return None


def allowed_actions(user: User, case: Case) -> set[Action]:
    return {action for action in Action if refusal(user, case, action) is None}


def require_action(user: User, case: Case, action: Action) -> None:
    reason = refusal(user, case, action)
    if reason is not None:
        raise TransitionError(reason, code=f"refused_{action}")


def check_version(case: Case, version: int) -> None:
    """Refuse a change made on an older copy of the case (optimistic locking)."""
    if version != case.version:
        raise StaleVersion(
            _(
                "Someone else changed this case while you were working on it. "
                "Your changes were not saved: reload the page to see theirs, then try again."
            ),
            code="stale_version",
        )
