"""Intake and screening of reports."""

import datetime as dt
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qorgau import limits
from qorgau.accounts.models import Organisation, User
from qorgau.accounts.roles import Perm
from qorgau.cases import rollups, timeline
from qorgau.cases.choices import POLICE_NOTIFIABLE, SENSITIVE, Concern, Urgency
from qorgau.cases.models import (
    Case,
    PoliceNotification,
    Report,
    ReportChild,
    ReportConcern,
    ScreenOutReview,
)
from qorgau.cases.screening import Step, require_step
from qorgau.cases.services.links import children_mark_beyond_region
from qorgau.cases.workflow import TransitionError
from qorgau.children.models import ADULT_AGE, Child
from qorgau.limits import text_problems
from qorgau.places.models import Place
from qorgau.places.selectors import region_of


def incident_date_problems(*, incident_date: dt.date, received_on: dt.date) -> dict[str, str]:
    """What is wrong with the date an incident happened, for a report received then."""
    if incident_date > received_on:
        if received_on == timezone.localdate():
            return {"incident_date": _("The incident date is in the future.")}
        return {
            "incident_date": _("The report was received on %(date)s: the incident cannot be later.")
            % {"date": received_on.strftime("%d.%m.%Y")}
        }
    # Whoever it happened to was a child then; anything earlier is a mistyped year.
    if incident_date.year < received_on.year - ADULT_AGE:
        return {
            "incident_date": _(
                "This is more than %(years)s years before the report: check the year."
            )
            % {"years": ADULT_AGE}
        }
    return {}


def children_problems(descriptions: Iterable[str]) -> dict[str, str]:
    """Too many children, or a description too long, for one report."""
    described = [d for d in descriptions if d.strip()]
    if len(described) > limits.CHILDREN_PER_REPORT:
        return {
            "children": _(
                "A report can name at most %(max)s children: record the others in another report."
            )
            % {"max": limits.CHILDREN_PER_REPORT}
        }
    if any(len(d) > limits.LINE for d in described):
        return {
            "children": _("Describe each child in at most %(max)s characters.")
            % {"max": limits.LINE}
        }
    return {}


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
    received_at = received_at or timezone.now()
    # Every problem at once: the person fixes them in one go.
    errors: dict[str, Any] = text_problems(
        reporter_name=(reporter_name, limits.FULL_NAME),
        reporter_contact=(reporter_contact, limits.FULL_NAME),
        incident_address=(incident_address, limits.LINE),
        narrative=(narrative, limits.NARRATIVE),
    )
    if not narrative.strip():
        errors["narrative"] = _("Write down what was reported.")
    if not concerns:
        errors["concerns"] = _("Choose at least one concern.")
    errors.update(children_problems(c.description for c in children if not c.child))
    if not children or not any(c.child or c.description.strip() for c in children):
        errors["children"] = _("Describe at least one child: a name, an age or a school is enough.")
    if received_at > timezone.now() + dt.timedelta(minutes=5):
        errors["received_at"] = _("A report cannot be received in the future.")
    if incident_date is not None:
        errors.update(
            incident_date_problems(
                incident_date=incident_date, received_on=timezone.localdate(received_at)
            )
        )
    if errors:
        raise ValidationError(errors)
    deadline = "screening_immediate" if urgency == Urgency.IMMEDIATE else "screening"
    report = Report(
        received_at=received_at,
        reporter_type=reporter_type,
        reporter_name=reporter_name,
        reporter_contact=reporter_contact,
        incident_date=incident_date,
        place=place,
        region_code=place.region_code,
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
    rollups.retally_reports([report.pk])
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
    born = child.birth_date
    if (
        report.incident_date
        and born
        and not child.birth_date_estimated
        and born > report.incident_date
    ):
        # More likely the wrong child (a younger sibling of the same name) than a wrong date.
        raise ValidationError(
            _(
                "The report says it happened on %(incident)s, before %(child)s was born "
                "(%(born)s): check that this is the right child."
            )
            % {
                "incident": report.incident_date.strftime("%d.%m.%Y"),
                "child": child.full_name,
                "born": born.strftime("%d.%m.%Y"),
            },
            code="born_after_incident",
        )
    link.child = child
    link.save(update_fields=["child"])
    timeline.record(actor=actor, kind="child_linked", report=report, child=child.full_name)
    rollups.retally_reports([report.pk])  # the child's sex and age group are known now


@transaction.atomic
def report_screen_out(*, actor: User, report: Report, reason: str, note: str = "") -> Report:
    """Close a report without a case: a reason and a note, and perhaps a review.

    QORGAU_SCREEN_OUT_REVIEW says which share of screened-out reports a supervisor
    reviews (all of them by default).
    """
    report = _lock_report(actor=actor, report=report, step=Step.SCREEN_OUT)
    errors: dict[str, Any] = text_problems(note=(note, limits.NOTE))
    if not reason:
        errors["reason"] = _("Give the reason for screening out.")
    if not note.strip() and "note" not in errors:
        errors["note"] = _("Say what was checked and why no case is needed.")
    if errors:
        raise ValidationError(errors)
    report.status = Report.Status.SCREENED_OUT
    report.screen_out_reason = reason
    report.screening_note = note
    report.screened_at = timezone.now()
    report.screened_by = actor
    drawn = _REVIEW_DRAW.random() < settings.QORGAU_SCREEN_OUT_REVIEW
    report.review = ScreenOutReview.PENDING if drawn else ScreenOutReview.NOT_DRAWN
    report.save(
        update_fields=[
            "status",
            "screen_out_reason",
            "screening_note",
            "screened_at",
            "screened_by",
            "review",
        ]
    )
    timeline.record(actor=actor, kind="report_screened_out", report=report, reason=reason)
    rollups.retally_reports([report.pk])
    return report


# Not predictable by the screener: which reports are reviewed must not be gamed.
_REVIEW_DRAW = secrets.SystemRandom()


@transaction.atomic
def report_screen_out_review(*, actor: User, report: Report, uphold: bool, note: str) -> Report:
    """A supervisor upholds a screening out, or reopens the report for screening."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if not actor.has_perm_code(Perm.CASE_APPROVE):
        raise TransitionError(_("Only a supervisor reviews screened-out reports."))
    if report.review != ScreenOutReview.PENDING:
        raise TransitionError(_("This report is not waiting for a review."))
    if report.screened_by_id == actor.pk:
        raise TransitionError(_("You cannot review a screening out you made yourself."))
    if problems := text_problems(note=(note, limits.NOTE)):
        raise ValidationError(problems)
    if not uphold and not note.strip():
        raise ValidationError({"note": _("Say what the screening must look at again.")})
    report.review = ScreenOutReview.UPHELD if uphold else ScreenOutReview.REOPENED
    report.reviewed_by = actor
    report.reviewed_at = timezone.now()
    report.review_note = note.strip()
    fields = ["review", "reviewed_by", "reviewed_at", "review_note"]
    if not uphold:
        # Back in the screening queue; the timeline keeps the first screening.
        report.status = Report.Status.NEW
        report.screen_out_reason = ""
        fields += ["status", "screen_out_reason"]
    report.save(update_fields=fields)
    timeline.record(
        actor=actor,
        kind="screen_out_upheld" if uphold else "screen_out_reopened",
        report=report,
        note=report.review_note,
    )
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
    if problems := text_problems(note=(note, limits.NOTE)):
        raise ValidationError(problems)
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
    children_mark_beyond_region(case_ids=[case.pk])
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
    rollups.retally_reports([report.pk])
    rollups.retally_cases([case.pk])
    return case
