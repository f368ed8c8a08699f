"""Writes: a department's posts for a quarter and its specialists. Who may write for
which department is decided by the caller through qorgau.access; these functions check
what the data itself must satisfy. Earlier versions are kept by the history tables
(django-simple-history), written in the same transaction.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qorgau.accounts.models import Organisation, User
from qorgau.programmes.periods import Quarter
from qorgau.workforce.models import Specialist, StaffingReport


@dataclass(frozen=True)
class Posts:
    organisation: Organisation
    approved: int
    filled: int


def check_posts(approved: int, filled: int) -> None:
    if approved < 0 or filled < 0:
        raise ValidationError(_("Posts cannot be negative."))
    if filled > approved:
        raise ValidationError(
            _("%(filled)s filled posts is more than the %(approved)s approved.")
            % {"filled": filled, "approved": approved}
        )


@transaction.atomic
def report_posts(*, actor: User, quarter: Quarter, rows: list[Posts]) -> list[StaffingReport]:
    """Each department's posts at the end of `quarter`; a second report corrects the first.
    All rows or none: a bad row stores nothing."""
    if quarter.starts_on > timezone.localdate():
        raise ValidationError({"quarter": _("A quarter that has not begun cannot be reported.")})
    for row in rows:
        check_posts(row.approved, row.filled)
    return [
        StaffingReport.objects.update_or_create(
            organisation=row.organisation,
            year=quarter.year,
            quarter=quarter.quarter,
            defaults={
                "approved": row.approved,
                "filled": row.filled,
                "reported_by": actor,
                "reported_at": timezone.now(),
            },
        )[0]
        for row in rows
    ]


def _check_user(specialist: Specialist) -> None:
    user = specialist.user
    if user is None:
        return
    if user.organisation_id != specialist.organisation_id:
        raise ValidationError({"user": _("The account belongs to another organisation.")})
    if Specialist.objects.filter(user=user).exclude(pk=specialist.pk).exists():
        raise ValidationError({"user": _("This account is already linked to another specialist.")})


def _check_dates(specialist: Specialist) -> None:
    if specialist.left_on and specialist.left_on < specialist.started_on:
        raise ValidationError({"left_on": _("A specialist cannot leave before starting.")})


@transaction.atomic
def specialist_add(
    *,
    actor: User,
    organisation: Organisation,
    full_name: str,
    position: str,
    started_on: dt.date,
    user: User | None = None,
) -> Specialist:
    specialist = Specialist(
        organisation=organisation,
        full_name=full_name,
        position=position,
        started_on=started_on,
        user=user,
    )
    specialist._history_user = actor  # type: ignore[attr-defined]
    _check_user(specialist)
    specialist.save()
    return specialist


@transaction.atomic
def specialist_change(
    *,
    actor: User,
    specialist: Specialist,
    position: str,
    user: User | None,
    left_on: dt.date | None,
) -> Specialist:
    """Links the specialist to a Qorgau account (or unlinks), records a new position or
    the day they left; the history table keeps what it said before."""
    specialist = Specialist.objects.select_for_update().get(pk=specialist.pk)
    specialist.position, specialist.user, specialist.left_on = position, user, left_on
    _check_user(specialist)
    _check_dates(specialist)
    specialist._history_user = actor  # type: ignore[attr-defined]
    specialist.save()
    return specialist
