"""Transfer of a case to another organisation or region: effective only when accepted."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qorgau import limits
from qorgau.accounts.models import Organisation, User
from qorgau.accounts.roles import Perm
from qorgau.cases import timeline
from qorgau.cases.models import Case, Transfer
from qorgau.cases.services.locking import bump, lock_case
from qorgau.cases.workflow import Action
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
    *, actor: User, case: Case, version: int | None, to_organisation: Organisation, reason: str
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
    version: int | None,
    accept: bool,
    worker: User | None = None,
) -> Transfer:
    """The receiving organisation accepts (and names the new worker) or declines."""
    case = lock_case(actor=actor, case=case, action=Action.TRANSFER_DECIDE, version=version)
    transfer = case.transfers.select_for_update().get(status=Transfer.Status.PENDING)
    transfer.decided_by = actor
    transfer.decided_at = timezone.now()
    if accept:
        worker = worker or actor
        if worker.organisation_id != transfer.to_organisation_id or not worker.has_perm_code(
            Perm.CASE_WORK
        ):
            raise ValidationError({"worker": _("Assign a caseworker of your own organisation.")})
        transfer.status = Transfer.Status.ACCEPTED
        case.organisation = transfer.to_organisation
        case.region = region_of(transfer.to_organisation.place)
        case.worker = worker
        bump(case, "organisation", "region", "worker")
        # The case now belongs to the receiver alone: the sender's grants end with it.
        CaseAccessGrant.objects.live().filter(case=case).update(
            revoked_at=transfer.decided_at, revoked_by=actor
        )
    else:
        transfer.status = Transfer.Status.DECLINED
        bump(case)
    transfer.save(update_fields=["status", "decided_by", "decided_at"])
    timeline.record(
        actor=actor,
        kind="transfer_accepted" if accept else "transfer_declined",
        case=case,
        to=transfer.to_organisation.name,
    )
    return transfer
