"""Visits and the police notifications the law requires."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qorgau import limits
from qorgau.accounts.models import Organisation, User
from qorgau.cases import rollups, timeline
from qorgau.cases.models import Case, PoliceNotification, Visit, VisitChild
from qorgau.cases.services.locking import lock_case_to_add
from qorgau.cases.workflow import Action, TransitionError
from qorgau.children.models import Child
from qorgau.limits import text_problems


def visit_date_problems(
    *, case: Case, visited_on: dt.date, field: str = "visited_on"
) -> dict[str, str]:
    """A visit (or a contact) happens while the case is open: not before it opened, not
    in the future."""
    if visited_on > timezone.localdate():
        return {field: _("A visit cannot be recorded in the future.")}
    opened_on = timezone.localdate(case.opened_at)
    if visited_on < opened_on:
        return {
            field: _("The case was opened on %(date)s: a visit cannot be earlier.")
            % {"date": opened_on.strftime("%d.%m.%Y")}
        }
    return {}


@transaction.atomic
def visit_record(
    *,
    actor: User,
    case: Case,
    kind: str,
    visited_on: dt.date,
    findings: str,
    participants: str = "",
    children_seen: Sequence[Child] = (),
    seen_alone: Sequence[Child] = (),
) -> Visit:
    """Record a visit and, per child of the case, whether the worker saw them and alone."""
    case = lock_case_to_add(actor=actor, case=case, action=Action.VISIT)
    errors: dict[str, Any] = text_problems(
        participants=(participants, limits.LINE), findings=(findings, limits.NARRATIVE)
    )
    case_children = set(case.children.values_list("pk", flat=True))
    if any(child.pk not in case_children for child in (*children_seen, *seen_alone)):
        errors["children_seen"] = _("That child is not in this case.")
    elif any(child not in children_seen for child in seen_alone):
        errors["seen_alone"] = _("A child seen alone is also a child seen: tick both.")
    errors.update(visit_date_problems(case=case, visited_on=visited_on))
    if not findings.strip():
        errors["findings"] = _("Record what was found.")
    if errors:
        raise ValidationError(errors)
    visit = Visit.objects.create(
        case=case,
        kind=Visit.Kind(kind),
        visited_on=visited_on,
        performed_by=actor,
        participants=participants,
        findings=findings,
    )
    alone = {child.pk for child in seen_alone}
    VisitChild.objects.bulk_create(
        VisitChild(visit=visit, child=child, seen_alone=child.pk in alone)
        for child in children_seen
    )
    timeline.record(
        actor=actor, kind="visit_recorded", case=case, visited_on=visited_on.isoformat()
    )
    rollups.retally_cases([case.pk])  # the hours to the first visit
    return visit


def _lock_notification(
    actor: User, case: Case, notification: PoliceNotification
) -> PoliceNotification:
    lock_case_to_add(actor=actor, case=case, action=Action.POLICE)
    locked = PoliceNotification.objects.select_for_update().get(pk=notification.pk)
    if locked.case_id != case.pk:
        raise TransitionError(_("That notification belongs to another case."), code="wrong_case")
    return locked


@transaction.atomic
def police_notification_send(
    *, actor: User, case: Case, notification: PoliceNotification, police: Organisation
) -> PoliceNotification:
    notification = _lock_notification(actor, case, notification)
    if notification.sent_at is not None:
        raise TransitionError(_("The police have already been notified."), code="sent")
    if police.kind != Organisation.Kind.POLICE:
        raise ValidationError({"police": _("Choose a police unit.")})
    notification.sent_at = timezone.now()
    notification.sent_by = actor
    notification.police = police
    notification.save(update_fields=["sent_at", "sent_by", "police"])
    timeline.record(actor=actor, kind="police_sent", case=case)
    rollups.retally_cases([case.pk])  # sent, in time or late
    return notification


@transaction.atomic
def police_notification_acknowledge(
    *, actor: User, case: Case, notification: PoliceNotification, police_reference: str
) -> PoliceNotification:
    notification = _lock_notification(actor, case, notification)
    if notification.sent_at is None:
        raise TransitionError(_("Send the notification before recording its acknowledgement."))
    if notification.acknowledged_at is not None:
        raise TransitionError(_("The acknowledgement is already recorded."), code="acknowledged")
    if not police_reference.strip():
        raise ValidationError(
            {"police_reference": _("Enter the registration number the police gave.")}
        )
    if problems := text_problems(police_reference=(police_reference.strip(), limits.NAME)):
        raise ValidationError(problems)
    notification.acknowledged_at = timezone.now()
    notification.police_reference = police_reference.strip()
    notification.save(update_fields=["acknowledged_at", "police_reference"])
    timeline.record(
        actor=actor,
        kind="police_acknowledged",
        case=case,
        police_reference=notification.police_reference,
    )
    return notification
