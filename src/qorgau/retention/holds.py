"""Placing and lifting legal holds. A hold keeps its case or child from anonymisation."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qorgau import limits
from qorgau.accounts.models import User
from qorgau.accounts.roles import Perm
from qorgau.cases import timeline
from qorgau.cases.models import Case
from qorgau.children.models import Child
from qorgau.limits import text_problems
from qorgau.retention.models import LegalHold


def _require_holder(actor: User, *, case: Case | None, child: Child | None) -> None:
    """A supervisor of the organisation that owns the record: access gained through a
    grant or an emergency must not be a way to remove a court's hold."""
    if not actor.has_perm_code(Perm.LEGAL_HOLD):
        raise ValidationError(_("Your role cannot place or lift legal holds."), code="forbidden")
    if case is not None:
        owns = case.organisation_id == actor.organisation_id
    else:
        territory = actor.organisation.place.territory_prefix if actor.organisation else ""
        owns = bool(territory) and child is not None and child.place.kato.startswith(territory)
    if not owns:
        raise ValidationError(
            _("Only a supervisor of the organisation that owns the record can do this."),
            code="forbidden",
        )


@transaction.atomic
def legal_hold_place(
    *, actor: User, reason: str, case: Case | None = None, child: Child | None = None
) -> LegalHold:
    """Hold a case or a child. The caller got the record through the access gate."""
    if (case is None) == (child is None):
        raise ValueError("a legal hold is on a case or on a child")
    _require_holder(actor, case=case, child=child)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the hold.")})
    if problems := text_problems(reason=(reason, limits.NOTE)):
        raise ValidationError(problems)
    # The same row lock as a retention batch: a run in progress sees the hold or
    # finishes first.
    if case is not None:
        case = Case.objects.select_for_update().get(pk=case.pk)
    if child is not None:
        child = Child.objects.select_for_update().get(pk=child.pk)
    hold = LegalHold.objects.create(
        case=case, child=child, reason=reason.strip(), placed_by=actor, placed_at=timezone.now()
    )
    if case is not None:
        timeline.record(actor=actor, kind="legal_hold_placed", case=case, hold=hold.pk)
    return hold


@transaction.atomic
def legal_hold_lift(*, actor: User, hold: LegalHold) -> LegalHold:
    # Lock the hold row alone: PostgreSQL cannot lock across the outer joins to its
    # optional case and child, which load afterwards.
    hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
    _require_holder(actor, case=hold.case, child=hold.child)
    if not hold.is_active:
        raise ValidationError(_("This legal hold was already lifted."), code="lifted")
    hold.lifted_by = actor
    hold.lifted_at = timezone.now()
    hold.save(update_fields=["lifted_by", "lifted_at"])
    if hold.case_id is not None:
        timeline.record(actor=actor, kind="legal_hold_lifted", case=hold.case, hold=hold.pk)
    return hold
