"""Intake and screening of reports."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qorgau.accounts.models import Organisation, User
from qorgau.accounts.roles import Perm
from qorgau.cases import timeline
from qorgau.cases.choices import POLICE_NOTIFIABLE, SENSITIVE, Concern, Urgency
from qorgau.cases.models import (
    Case,
    PoliceNotification,
    Report,
    ReportChild,
    ReportConcern,
)
from qorgau.cases.screening import Step, require_step
from qorgau.cases.workflow import TransitionError
from qorgau.children.models import Child
from qorgau.places.models import Place
from qorgau.places.selectors import region_of


def _hours(name: str) -> dt.timedelta:
    return dt.timedelta(hours=settings.QORGAU_DEADLINES[name])


@dataclass(frozen=True)
class DescribedChild:
    """A child as the reporter described them, linked to a record when known."""

    description: str = ""
    child: Child | None = None


@transaction.atomic
def report_create(
    *,
    actor: User,
    reporter_type: str,
    place: Place,
    narrative: str,
    urgency: str,
    concerns: Sequence[str],
    children: Sequence[DescribedChild],
    received_at: dt.datetime | None = None,
    reporter_name: str = "",
    reporter_contact: str = "",
    incident_date: dt.date | None = None,
    incident_address: str = "",
) -> Report:
    if not actor.has_perm_code(Perm.REPORT_CREATE):
        raise ValidationError(_("Your role cannot record reports."), code="forbidden")
    if not concerns:
        raise ValidationError({"concerns": _("Choose at least one concern.")})
    if not children or not any(c.child or c.description.strip() for c in children):
        raise ValidationError(
            {"children": _("Describe at least one child: a name, an age or a school is enough.")}
        )
    received_at = received_at or timezone.now()
    if received_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"received_at": _("A report cannot be received in the future.")})
    if incident_date is not None and incident_date > timezone.localdate():
        raise ValidationError({"incident_date": _("The incident date is in the future.")})
    deadline = "screening_immediate" if urgency == Urgency.IMMEDIATE else "screening"
    report = Report(
        received_at=received_at,
        reporter_type=reporter_type,
        reporter_name=reporter_name,
        reporter_contact=reporter_contact,
        incident_date=incident_date,
        place=place,
        incident_address=incident_address,
        narrative=narrative,
        urgency=urgency,
        screening_due_at=received_at + _hours(deadline),
        created_by=actor,
    )
    report.full_clean(exclude=["created_by", "case", "screened_by"])
    report.save()
    ReportConcern.objects.bulk_create(
        ReportConcern(report=report, concern=Concern(code)) for code in dict.fromkeys(concerns)
    )
    ReportChild.objects.bulk_create(
        ReportChild(report=report, child=c.child, description=c.description.strip())
        for c in children
        if c.child or c.description.strip()
    )
    timeline.record(actor=actor, kind="report_received", report=report)
    return report


def _lock_report(*, actor: User, report: Report, step: Step) -> Report:
    """Lock the report row, then check the step against it (screening.py's rules).

    Call inside a transaction: two screeners at once are serialised, and the second
    sees that the first has screened it.
    """
    locked = Report.objects.select_for_update().get(pk=report.pk)
    require_step(actor, locked, step)
    return locked


@transaction.atomic
def report_link_child(*, actor: User, report: Report, link: ReportChild, child: Child) -> None:
    """Attach a registered child to a child the report described."""
    _lock_report(actor=actor, report=report, step=Step.LINK_CHILD)
    if link.report_id != report.pk:
        raise TransitionError(_("That child is not part of this report."), code="wrong_report")
    if link.child_id is not None:
        # Replacing an identified child would silently move the report to another child.
        raise TransitionError(
            _("This child of the report is already identified."), code="identified"
        )
    if report.children.filter(child=child).exclude(pk=link.pk).exists():
        raise TransitionError(_("This child is already linked to the report."), code="linked")
    link.child = child
    link.save(update_fields=["child"])
    timeline.record(actor=actor, kind="child_linked", report=report, child=child.full_name)


@transaction.atomic
def report_screen_out(*, actor: User, report: Report, reason: str, note: str = "") -> Report:
    report = _lock_report(actor=actor, report=report, step=Step.SCREEN_OUT)
    if not reason:
        raise ValidationError({"reason": _("Give the reason for screening out.")})
    report.status = Report.Status.SCREENED_OUT
    report.screen_out_reason = reason
    report.screening_note = note
    report.screened_at = timezone.now()
    report.screened_by = actor
    report.save(
        update_fields=[
            "status",
            "screen_out_reason",
            "screening_note",
            "screened_at",
            "screened_by",
        ]
    )
    timeline.record(actor=actor, kind="report_screened_out", report=report, reason=reason)
    return report


@transaction.atomic
def report_screen_in(
    *,
    actor: User,
    report: Report,
    worker: User,
    join_case: Case | None = None,
    note: str = "",
) -> Case:
    """Screen a report in: it opens a new case, or joins an open case of the same child.

    Every child the report describes must first be found or registered.
    """
    report = _lock_report(actor=actor, report=report, step=Step.SCREEN_IN)
    links = list(report.children.select_related("child"))
    if worker.organisation_id != actor.organisation_id or not worker.has_perm_code(Perm.CASE_WORK):
        raise ValidationError({"worker": _("Assign a caseworker of your own organisation.")})
    concerns = set(report.concern_codes)
    now = timezone.now()
    if join_case is None:
        case = Case.objects.create(
            # screening.py refuses screening in to anyone without an organisation.
            organisation=cast(Organisation, actor.organisation),
            region=region_of(report.place),
            worker=worker,
            opened_at=now,
            restricted=bool(concerns & SENSITIVE),
            assessment_due_at=now + _hours("assessment"),
            plan_due_at=now + _hours("plan"),
        )
        timeline.record(actor=actor, kind="case_opened", case=case)
    else:
        case = Case.objects.select_for_update().get(pk=join_case.pk)
        if not case.is_open:
            raise ValidationError({"join_case": _("A closed case cannot take new reports.")})
        # A report joins only a case of the screener's organisation about one of its
        # children: the service holds this even when a caller skips the page's choices.
        if (
            case.organisation_id != actor.organisation_id
            or not case.children.filter(pk__in=[link.child_id for link in links]).exists()
        ):
            raise ValidationError(
                {
                    "join_case": _(
                        "A report can join only an open case of your organisation "
                        "about one of its children."
                    )
                }
            )
        if concerns & SENSITIVE and not case.restricted:
            case.restricted = True
            case.version += 1
            case.save(update_fields=["restricted", "version"])
        timeline.record(actor=actor, kind="report_joined", case=case, reference=report.reference)
    case.children.add(*(link.child for link in links if link.child))
    report.status = Report.Status.SCREENED_IN
    report.case = case
    report.screening_note = note
    report.screened_at = now
    report.screened_by = actor
    report.save(update_fields=["status", "case", "screening_note", "screened_at", "screened_by"])
    timeline.record(actor=actor, kind="report_screened_in", report=report, case=case)
    notifiable = sorted(concerns & POLICE_NOTIFIABLE)
    if notifiable:
        codes = ",".join(notifiable)
        PoliceNotification.objects.create(
            case=case, concerns=codes, due_at=now + _hours("police_notification")
        )
        timeline.record(actor=actor, kind="police_due", case=case, concerns=codes)
    return case
