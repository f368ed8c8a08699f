"""Writes to user accounts that security depends on."""

from django.db import transaction
from django.db.models import F

from qorgau.accounts.models import User


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
