"""Transfer of a case to another organisation or region (effective only when accepted),
and handing a case to another worker of its own office."""

import datetime as dt
from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qorgau import limits
from qorgau.accounts.models import Organisation, User
from qorgau.accounts.roles import Perm
from qorgau.cases import timeline
from qorgau.cases.models import Case, PlanAction, Transfer
from qorgau.cases.services.links import children_mark_beyond_region
from qorgau.cases.services.locking import bump, lock_case
from qorgau.cases.workflow import Action, has_other_approver, open_plan_actions
from qorgau.grants.models import CaseAccessGrant
from qorgau.limits import text_problems
from qorgau.places.selectors import region_of

_RECEIVING_KINDS = (
    Organisation.Kind.CHILD_RIGHTS_DEPARTMENT,
    Organisation.Kind.CHILD_RIGHTS_OFFICE,
    Organisation.Kind.GUARDIANSHIP,
)


@transaction.atomic
def case_transfer_request(
    *, actor: User, case: Case, version: int, to_organisation: Organisation, reason: str
) -> Transfer:
    case = lock_case(actor=actor, case=case, action=Action.TRANSFER, version=version)
    if to_organisation.pk == case.organisation_id:
        raise ValidationError({"to_organisation": _("The case already belongs there.")})
    if to_organisation.kind not in _RECEIVING_KINDS:
        raise ValidationError(
            {"to_organisation": _("Cases go to a child rights or guardianship body.")}
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the case is transferred.")})
    if problems := text_problems(reason=(reason, limits.NOTE)):
        raise ValidationError(problems)
    now = timezone.now()
    transfer = Transfer.objects.create(
        case=case,
        from_organisation=case.organisation,
        to_organisation=to_organisation,
        reason=reason,
        requested_by=actor,
        requested_at=now,
        due_at=now + dt.timedelta(hours=settings.QORGAU_DEADLINES["transfer_acceptance"]),
    )
    bump(case)
    timeline.record(actor=actor, kind="transfer_requested", case=case, to=to_organisation.name)
    return transfer


@transaction.atomic
def case_transfer_decide(
    *,
    actor: User,
    case: Case,
    version: int,
    accept: bool,
    worker: User | None = None,
    decline_reason: str = "",
) -> Transfer:
    """The receiving organisation accepts and names the new worker, or declines and says why.

    The worker is always named: a receiver who took the case by default could end up
    deciding their own requests, which four eyes forbid (the closure deadlock).
    """
    case = lock_case(actor=actor, case=case, action=Action.TRANSFER_DECIDE, version=version)
    transfer = case.transfers.select_for_update().get(status=Transfer.Status.PENDING)
    transfer.decided_by = actor
    transfer.decided_at = timezone.now()
    if accept:
        worker = _require_worker(worker, transfer.to_organisation)
        transfer.status = Transfer.Status.ACCEPTED
        case.organisation = transfer.to_organisation
        case.region = region_of(transfer.to_organisation.place)
        case.worker = worker
        bump(case, "organisation", "region", "worker")
        children_mark_beyond_region(case_ids=[case.pk])
        # The case now belongs to the receiver alone: the sender's grants end with it.
        CaseAccessGrant.objects.live().filter(case=case).update(
            revoked_at=transfer.decided_at, revoked_by=actor
        )
    else:
        if not decline_reason.strip():
            raise ValidationError(
                {"decline_reason": _("Say why the case is declined: the sender will read it.")}
            )
        transfer.status = Transfer.Status.DECLINED
        transfer.decline_reason = decline_reason.strip()
        bump(case)
    transfer.save(update_fields=["status", "decided_by", "decided_at", "decline_reason"])
    timeline.record(
        actor=actor,
        kind="transfer_accepted" if accept else "transfer_declined",
        case=case,
        to=transfer.to_organisation.name,
    )
    return transfer


def _require_worker(worker: User | None, organisation: Organisation) -> User:
    if worker is None:
        raise ValidationError({"worker": _("Choose the caseworker who will take the case.")})
    if worker.organisation_id != organisation.pk or not worker.has_perm_code(Perm.CASE_WORK):
        raise ValidationError({"worker": _("Assign a caseworker of your own organisation.")})
    if not has_other_approver(worker, organisation):
        raise ValidationError(
            {
                "worker": _(
                    "Nobody could approve this worker's plans and closures: there is no "
                    "other supervisor here or in the regional department. Choose a caseworker."
                )
            }
        )
    return worker


@transaction.atomic
def plan_actions_reassign(
    *,
    actor: User,
    case: Case,
    version: int,
    responsible: Mapping[PlanAction, Organisation],
) -> list[PlanAction]:
    """Hand the open actions of the plan to organisations of the case's (new) territory."""
    case = lock_case(actor=actor, case=case, action=Action.PLAN_REASSIGN, version=version)
    open_actions = {a.pk: a for a in open_plan_actions(case)}
    region_code = case.region.region_code
    changed = []
    for item, organisation in responsible.items():
        action = open_actions.get(item.pk)
        if action is None:
            raise ValidationError(_("Only the open actions of this case's plan can be handed on."))
        if organisation.pk == action.responsible_id:
            continue
        if not organisation.place.kato.startswith(region_code):
            raise ValidationError(
                {
                    f"responsible_{action.pk}": _(
                        "Choose an organisation of the region the case now belongs to."
                    )
                }
            )
        action.responsible = organisation
        action.save(update_fields=["responsible"])
        changed.append(action)
        timeline.record(
            actor=actor,
            kind="action_reassigned",
            case=case,
            action=action.action,
            organisation=organisation.name,
        )
    if changed:
        bump(case)
    return changed


@transaction.atomic
def case_reassign(*, actor: User, case: Case, version: int, worker: User, reason: str) -> Case:
    """A supervisor hands the case to another worker of its organisation, saying why."""
    case = lock_case(actor=actor, case=case, action=Action.REASSIGN, version=version)
    if worker.pk == case.worker_id:
        raise ValidationError({"worker": _("The case is already with this worker.")})
    if not worker.is_active:
        raise ValidationError({"worker": _("Assign a caseworker of your own organisation.")})
    worker = _require_worker(worker, case.organisation)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the case is reassigned.")})
    if problems := text_problems(reason=(reason, limits.NOTE)):
        raise ValidationError(problems)
    previous = case.worker
    case.worker = worker
    bump(case, "worker")
    timeline.record(
        actor=actor,
        kind="case_reassigned",
        case=case,
        worker=str(worker),
        previous=str(previous),
        note=reason.strip(),
    )
    return case
