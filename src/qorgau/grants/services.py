"""Granting, revoking and breaking the glass. Each writes its trace in one transaction."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qorgau import limits
from qorgau.accounts.models import User
from qorgau.accounts.roles import Perm
from qorgau.audit import log as audit
from qorgau.audit.models import AccessLogEntry, Action, RecordKind
from qorgau.cases import timeline
from qorgau.cases.models import Case
from qorgau.cases.references import parse_reference
from qorgau.grants.models import CaseAccessGrant, EmergencyAccess
from qorgau.limits import text_problems

# Refused emergency lookups a person may make per hour: a few typos, not a search.
EMERGENCY_REFUSALS_PER_HOUR = 5


def _require_grantor(actor: User, case: Case) -> None:
    if not (
        actor.has_perm_code(Perm.CASE_APPROVE) and actor.organisation_id == case.organisation_id
    ):
        raise ValidationError(
            _("Only a supervisor of the case's organisation can grant or revoke access."),
            code="forbidden",
        )


@transaction.atomic
def case_access_grant(
    *, actor: User, case: Case, user: User, reason: str, expires_at: dt.datetime | None = None
) -> CaseAccessGrant:
    _require_grantor(actor, case)
    if problems := text_problems(reason=(reason, limits.NOTE)):
        raise ValidationError(problems)
    if not user.has_perm_code(Perm.CASE_VIEW) or not user.is_active:
        raise ValidationError({"user": _("Access can be granted only to case staff.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why this colleague needs the case.")})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The end of the access must be in the future.")})
    if CaseAccessGrant.objects.live().filter(case=case, user=user).exists():
        raise ValidationError({"user": _("This colleague already has access to the case.")})
    grant = CaseAccessGrant.objects.create(
        case=case,
        user=user,
        reason=reason,
        granted_by=actor,
        granted_at=timezone.now(),
        expires_at=expires_at,
    )
    timeline.record(actor=actor, kind="access_granted", case=case, user=user.get_full_name())
    return grant


@transaction.atomic
def case_access_revoke(*, actor: User, grant: CaseAccessGrant) -> CaseAccessGrant:
    grant = CaseAccessGrant.objects.select_for_update().get(pk=grant.pk)
    _require_grantor(actor, grant.case)
    if grant.revoked_at is None:
        grant.revoked_at = timezone.now()
        grant.revoked_by = actor
        grant.save(update_fields=["revoked_at", "revoked_by"])
        timeline.record(
            actor=actor, kind="access_revoked", case=grant.case, user=grant.user.get_full_name()
        )
    return grant


def case_by_reference(reference: str) -> Case | None:
    """C-2026-001234 -> the case, checking the year too (a typo must not open another)."""
    parsed = parse_reference(reference)
    if parsed is None or parsed.kind != "C":
        return None
    return Case.objects.filter(pk=parsed.number, opened_at__year=parsed.year).first()


def _not_openable() -> ValidationError:
    # One answer for a number that does not exist and a case that may not be opened this
    # way: the form must not tell which case numbers exist in the country.
    message = _(
        "No case with this number can be opened by emergency access. Check the "
        "number. A restricted case (sexual violence, suicide risk) is opened only "
        "by a grant from a supervisor of its organisation."
    )
    return ValidationError({"reference": ValidationError(message, code="not_openable")})


def _require_emergency_reason(actor: User, reason: str) -> None:
    if not actor.has_perm_code(Perm.CASE_WORK):
        raise ValidationError(_("Your role cannot use emergency access."), code="forbidden")
    if problems := text_problems(reason=(reason, limits.NOTE)):
        raise ValidationError(problems)
    if len(reason.strip()) < 20:
        raise ValidationError(
            {"reason": _("Describe the emergency (at least 20 characters): it will be reviewed.")}
        )


def emergency_access_open(*, actor: User, reference: str, reason: str) -> EmergencyAccess:
    """Break the glass by case number, as the emergency form does.

    The reason is checked before the number, and a number that does not exist gets
    the same answer as a restricted case: the form tells nobody which cases exist. A
    refused attempt is logged without a record (outside any transaction that the
    refusal rolls back), so that probing for case numbers shows in the access log; after
    EMERGENCY_REFUSALS_PER_HOUR of them the form stops answering for an hour.
    """
    _require_emergency_reason(actor, reason)
    since = timezone.now() - dt.timedelta(hours=1)
    refused = AccessLogEntry.objects.filter(
        actor_id=actor.pk, action=Action.EMERGENCY, record_id__isnull=True, at__gte=since
    )
    if refused.count() >= EMERGENCY_REFUSALS_PER_HOUR:
        too_many = _(
            "Too many case numbers that could not be opened in the last hour. "
            "Ask your supervisor or the case's office for help."
        )
        raise ValidationError({"reference": ValidationError(too_many, code="too_many")})
    case = case_by_reference(reference)
    if case is None or case.restricted:
        audit.record(
            actor=actor,
            action=Action.EMERGENCY,
            kind=RecordKind.CASE,
            query=(reference.strip().upper(),),
            result_count=0,
        )
        raise _not_openable()
    return emergency_access_start(actor=actor, case=case, reason=reason)


@transaction.atomic
def emergency_access_start(*, actor: User, case: Case, reason: str) -> EmergencyAccess:
    """Open one case for QORGAU_EMERGENCY_ACCESS_MINUTES; never a restricted one.

    Restricted cases stay with the people the standing rule names; anyone else gets
    one by a grant from a supervisor of its organisation (ADR 0008).
    """
    _require_emergency_reason(actor, reason)
    if case.restricted:
        raise _not_openable()
    now = timezone.now()
    minutes = settings.QORGAU_EMERGENCY_ACCESS_MINUTES
    access = EmergencyAccess.objects.create(
        case=case,
        user=actor,
        reason=reason,
        started_at=now,
        expires_at=now + dt.timedelta(minutes=minutes),
    )
    audit.record(
        actor=actor,
        action=Action.EMERGENCY,
        kind=RecordKind.CASE,
        record_id=case.pk,
        reason=reason,
    )
    timeline.record(actor=actor, kind="emergency_access", case=case, minutes=minutes)
    return access


@transaction.atomic
def emergency_access_review(*, actor: User, access: EmergencyAccess, note: str) -> EmergencyAccess:
    access = EmergencyAccess.objects.select_for_update().select_related("user").get(pk=access.pk)
    if access.user_id == actor.pk:
        raise ValidationError(_("Someone else must review your own emergency access."))
    if not (
        actor.has_perm_code(Perm.CASE_APPROVE)
        and (
            access.user.supervisor_id == actor.pk
            or access.user.organisation_id == actor.organisation_id
        )
    ):
        raise ValidationError(_("Only the person's supervisor can review this."), code="forbidden")
    if access.reviewed_at is not None:
        raise ValidationError(_("This emergency access has already been reviewed."))
    if not note.strip():
        raise ValidationError({"note": _("Record your conclusion.")})
    if problems := text_problems(note=(note, limits.NOTE)):
        raise ValidationError(problems)
    access.reviewed_by = actor
    access.reviewed_at = timezone.now()
    access.review_note = note
    access.save(update_fields=["reviewed_by", "reviewed_at", "review_note"])
    return access
