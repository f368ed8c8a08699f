"""Writes to user accounts that security depends on."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from qorgau import limits
from qorgau.accounts.models import ApprovalDelegation, User
from qorgau.accounts.roles import Perm


@transaction.atomic
def user_end_sessions(*, user: User) -> None:
    """End every session of the user at its next request (all devices)."""
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])


@transaction.atomic
def user_deactivate(*, user: User) -> None:
    """Deactivate the account and end its sessions at once."""
    User.objects.filter(pk=user.pk).update(is_active=False, session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["is_active", "session_epoch"])


def user_language_set(*, user: User, language: str) -> None:
    """Remember the interface language the user chose: their e-mails are written in it."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Qorgau has no such language.")})
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


# A delegation covers a leave or a trip, not a standing arrangement.
DELEGATION_LONGEST = dt.timedelta(days=92)


def delegation_problems(
    *, actor: User, deputy: User | None, starts_on: dt.date, ends_on: dt.date, reason: str
) -> dict[str, str]:
    problems: dict[str, str] = {}
    if deputy is None or deputy.pk == actor.pk:
        problems["deputy"] = _("Choose a colleague as deputy.")
    elif (
        not deputy.is_active
        or deputy.organisation_id != actor.organisation_id
        or not deputy.has_perm_code(Perm.CASE_WORK)
    ):
        problems["deputy"] = _("The deputy must be a caseworker or supervisor of your office.")
    if starts_on < timezone.localdate():
        problems["starts_on"] = _("A delegation cannot start in the past.")
    if ends_on < starts_on:
        problems["ends_on"] = _("The delegation ends before it starts.")
    elif ends_on - starts_on > DELEGATION_LONGEST:
        problems["ends_on"] = _("A delegation lasts at most three months.")
    if not reason.strip():
        problems["reason"] = _("Say why: leave, a business trip, sickness.")
    elif len(reason) > limits.LINE:
        problems["reason"] = _("At most %(n)s characters.") % {"n": limits.LINE}
    return problems


@transaction.atomic
def delegation_create(
    *, actor: User, deputy: User, starts_on: dt.date, ends_on: dt.date, reason: str
) -> ApprovalDelegation:
    """A supervisor hands their approvals to a deputy of the office for a period.

    It ends by itself on `ends_on`; the field history keeps who set it up and when.
    """
    if not actor.has_perm_code(Perm.CASE_APPROVE):
        raise PermissionDenied
    problems = delegation_problems(
        actor=actor, deputy=deputy, starts_on=starts_on, ends_on=ends_on, reason=reason
    )
    if problems:
        raise ValidationError(problems)
    delegation = ApprovalDelegation(
        delegator=actor, deputy=deputy, starts_on=starts_on, ends_on=ends_on, reason=reason.strip()
    )
    delegation._history_user = actor  # type: ignore[attr-defined]
    delegation.save()
    return delegation


@transaction.atomic
def delegation_revoke(*, actor: User, delegation: ApprovalDelegation) -> ApprovalDelegation:
    """End a delegation early (only its delegator)."""
    delegation = ApprovalDelegation.objects.select_for_update().get(pk=delegation.pk)
    if delegation.delegator_id != actor.pk:
        raise PermissionDenied
    if delegation.revoked_at is not None or delegation.ends_on < timezone.localdate():
        raise ValidationError(_("This delegation has already ended."))
    delegation.revoked_at = timezone.now()
    delegation._history_user = actor  # type: ignore[attr-defined]
    delegation.save(update_fields=["revoked_at"])
    return delegation
