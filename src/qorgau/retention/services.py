"""Retention: what is past its period (the plan) and anonymising it (the apply).

A case is past retention QORGAU_RETENTION_YEARS after it closed; a report screened out
without a case QORGAU_RETENTION_SCREENED_OUT_YEARS after screening. A report that
became a case follows its case. A child goes only when every case and report about
them is past retention and none is held. A legal hold on a case keeps the case, its
reports and its children; a hold on a child keeps the child and everything about them.

Anonymising blanks names, IIN, addresses, contacts and free text, or puts PLACEHOLDER
where a value is required; it keeps the codes and dates statistics are built on
(region and place, concerns, status, risk level, dates, sex, year of birth). Values
are assigned through the ORM, never raw SQL, so encrypted field classes keep working.
The field history (simple-history) of an anonymised record is blanked the same way.
"""

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from qorgau.accounts.models import User
from qorgau.accounts.roles import Role
from qorgau.attachments.models import Attachment
from qorgau.cases import rollups, timeline
from qorgau.cases.models import (
    Assessment,
    Case,
    CasePlan,
    ContactNote,
    PlanAction,
    PoliceNotification,
    Report,
    ReportChild,
    TimelineEntry,
    Transfer,
    Visit,
)
from qorgau.children.models import Child, FamilyMember
from qorgau.referrals.models import HousingNeed, Referral, ReferralSession
from qorgau.retention.models import Anonymisation, LegalHold, RecordKind, RetentionRun
from qorgau.safety.models import SafetyPlan, Screening

logger = logging.getLogger(__name__)

# Language-neutral: it stands where a value is required, whatever the reader's language.
PLACEHOLDER = "—"
SYSTEM_USERNAME = "qorgau-retention"
DEFAULT_BATCH_SIZE = 200

# Free text written into timeline details by the services (a child's name, notes,
# a plan action's text).
_PERSONAL_DETAILS = ("child", "note", "police_reference", "action", "reason_given", "name")

# model -> {field: value}: what anonymising writes. Fields not named here stay.
_BLANKS: dict[type[models.Model], dict[str, Any]] = {
    Report: {
        "reporter_name": "",
        "reporter_contact": "",
        "incident_address": "",
        "narrative": PLACEHOLDER,
        "screening_note": "",
    },
    Case: {"closure_note": ""},
    # A level chosen below the suggestion must keep a reason: the placeholder.
    Assessment: {"reasoning": PLACEHOLDER, "override_reason": PLACEHOLDER, "signoff_note": ""},
    CasePlan: {"summary": PLACEHOLDER, "decision_note": ""},
    PlanAction: {"goal": PLACEHOLDER, "action": PLACEHOLDER, "outcome_note": ""},
    Visit: {"participants": "", "findings": PLACEHOLDER},
    ContactNote: {"with_whom": PLACEHOLDER, "summary": PLACEHOLDER},
    PoliceNotification: {"police_reference": ""},
    Transfer: {"reason": PLACEHOLDER, "decline_reason": ""},
    Child: {
        "last_name": "",
        "first_name": PLACEHOLDER,
        "middle_name": "",
        "other_spelling": "",
        "search_key": "",
        "iin": None,
        "address": "",
        "languages": "",
        "disability_note": "",
        "description": "",
        "school": None,
    },
    FamilyMember: {"full_name": PLACEHOLDER, "phone": "", "birth_date": None},
}


# Referrals and suicide-risk screening keep no field history: only their rows are blanked.
# A screening keeps its result (statistics), not the answers.
_UNTRACKED_BLANKS: dict[type[models.Model], dict[str, Any]] = {
    Referral: {
        "reason": PLACEHOLDER,
        "shared_name": "",
        "shared_contact": "",
        "shared_note": "",
        "legal_ground": "",
        "decline_reason": "",
        "outcome": "",
    },
    ReferralSession: {"note": ""},
    # The kind, dates and status stay (the open-needs indicator); the text goes.
    HousingNeed: {"note": "", "outcome": ""},
    Screening: {"answers": {}},
    SafetyPlan: dict.fromkeys(
        ("warning_signs", "coping", "distraction", "people", "professionals", "environment"),
        PLACEHOLDER,
    ),
}


def _blank_untracked(objects: Iterable[models.Model]) -> int:
    n = 0
    for obj in objects:
        values = _UNTRACKED_BLANKS[type(obj)]
        for name, value in values.items():
            setattr(obj, name, value)
        obj.save(update_fields=list(values))
        n += 1
    return n


# The plan ------------------------------------------------------------------------------


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


def _end_of(day: dt.date) -> dt.datetime:
    """The first instant after `day`, local time: `< _end_of(d)` means "on or before d"."""
    following = day + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(following, dt.time.min))


def _held_children() -> QuerySet[Any]:
    return LegalHold.objects.active().filter(child__isnull=False).values("child_id")


def _held_cases() -> QuerySet[Any]:
    return LegalHold.objects.active().filter(case__isnull=False).values("case_id")


def expired_cases(today: dt.date) -> QuerySet[Case]:
    """Closed cases past their period and not held: their data goes (or has gone)."""
    cutoff = years_before(today, settings.QORGAU_RETENTION_YEARS)
    return (
        Case.objects.filter(status=Case.Status.CLOSED, closed_at__lt=_end_of(cutoff))
        .exclude(pk__in=_held_cases())
        .exclude(children__in=_held_children())
    )


def expired_screened_out_reports(today: dt.date) -> QuerySet[Report]:
    cutoff = years_before(today, settings.QORGAU_RETENTION_SCREENED_OUT_YEARS)
    return Report.objects.filter(
        status=Report.Status.SCREENED_OUT,
        case__isnull=True,
        screened_at__lt=_end_of(cutoff),
    ).exclude(children__child__in=_held_children())


def expired_reports(today: dt.date) -> QuerySet[Report]:
    """Screened-out reports past their period, and the reports of expired cases."""
    return Report.objects.filter(
        models.Q(pk__in=expired_screened_out_reports(today).values("pk"))
        | models.Q(case__in=expired_cases(today).values("pk"))
    )


def expired_children(today: dt.date) -> QuerySet[Child]:
    """Children about whom every case and every report is past retention, none held."""
    cases = expired_cases(today).values("pk")
    reports = expired_reports(today).values("pk")
    return (
        Child.objects.filter(models.Q(cases__in=cases) | models.Q(report_links__report__in=reports))
        .exclude(pk__in=_held_children())
        .exclude(cases__in=Case.objects.exclude(pk__in=cases).values("pk"))
        .exclude(report_links__report__in=Report.objects.exclude(pk__in=reports).values("pk"))
        .distinct()
    )


def _done(kind: RecordKind) -> QuerySet[Any]:
    return Anonymisation.objects.filter(kind=kind).values("record_id")


@dataclass(frozen=True)
class RetentionPlan:
    """What the next apply would anonymise, by id (the dry run)."""

    today: dt.date
    cases: list[int]
    reports: list[int]
    children: list[int]

    def counts(self) -> dict[str, int]:
        return {
            "cases": len(self.cases),
            "reports": len(self.reports),
            "children": len(self.children),
        }

    @property
    def empty(self) -> bool:
        return not (self.cases or self.reports or self.children)


def retention_plan(*, today: dt.date) -> RetentionPlan:
    def ids(queryset: QuerySet[Any], kind: RecordKind) -> list[int]:
        pending = queryset.exclude(pk__in=_done(kind)).order_by("pk").values_list("pk", flat=True)
        return list(pending.distinct())

    return RetentionPlan(
        today=today,
        cases=ids(expired_cases(today), RecordKind.CASE),
        reports=ids(expired_reports(today), RecordKind.REPORT),
        children=ids(expired_children(today), RecordKind.CHILD),
    )


# The apply -----------------------------------------------------------------------------


def retention_system_user() -> User:
    """The actor of scheduled runs: an inactive account nobody can log in with."""
    user, _created = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={
            "role": Role.ADMINISTRATOR,
            "is_active": False,
            "password": make_password(None),
            "first_name": "Qorgau",
            "last_name": "retention",
        },
    )
    return user


def _history(model: type[models.Model]) -> Any:
    return model.history  # type: ignore[attr-defined]


def _with_derived(model: type[models.Model], values: dict[str, Any]) -> list[str]:
    """The fields to save: the blanked ones and any computed from them on save (a keyed
    hash of the IIN has a `source`), so that nothing derived from the old value stays."""
    derived = [f.name for f in model._meta.concrete_fields if getattr(f, "source", None) in values]
    return [*values, *derived]


def _blank(
    objects: Iterable[models.Model], *, actor: User, extra: dict[str, Any] | None = None
) -> int:
    """Assign the blanks to each object, save it, and blank its field history."""
    n = 0
    for obj in objects:
        values = {**_BLANKS[type(obj)], **(extra or {})}
        for name, value in values.items():
            setattr(obj, name, value)
        obj._history_user = actor  # type: ignore[attr-defined]
        obj.save(update_fields=_with_derived(type(obj), values))
        _blank_history(type(obj), obj.pk, values)
        n += 1
    return n


def _blank_history(model: type[models.Model], pk: int, values: dict[str, Any]) -> None:
    if not hasattr(model, "history"):  # an append-only record (a contact note) has none
        return
    historical = _history(model).model
    tracked = {f.name for f in historical._meta.fields}
    kept = {name: value for name, value in values.items() if name in tracked}
    if not kept:
        return
    fields = [name for name in _with_derived(historical, kept) if name in tracked]
    for rec in _history(model).filter(id=pk):
        for name, value in kept.items():
            setattr(rec, name, value)
        rec.save(update_fields=fields)


def _mark(run: RetentionRun, kind: RecordKind, pk: int) -> None:
    Anonymisation.objects.create(run=run, kind=kind, record_id=pk, at=timezone.now())


def _scrub_timeline(entries: QuerySet[TimelineEntry]) -> None:
    for entry in entries:
        personal = [key for key in _PERSONAL_DETAILS if entry.details.get(key)]
        if personal:
            entry.details = {**entry.details, **dict.fromkeys(personal, PLACEHOLDER)}
            entry.save(update_fields=["details"])


def _delete_attachments(attachments: QuerySet[Attachment]) -> int:
    """Files are deleted, not blanked: nothing of them is kept for statistics."""
    return attachments.delete()[1].get(Attachment._meta.label, 0)


def _anonymise_report(
    report: Report, *, actor: User, run: RetentionRun, counts: dict[str, int]
) -> None:
    _blank([report], actor=actor)
    for link in ReportChild.objects.filter(report=report):
        # A child only described must stay described: the placeholder, not blank.
        link.description = "" if link.child_id else PLACEHOLDER
        link.save(update_fields=["description"])
    _scrub_timeline(TimelineEntry.objects.filter(report=report))
    counts["attachments"] += _delete_attachments(Attachment.objects.filter(report=report))
    if report.case_id is None:
        timeline.record(actor=actor, kind="anonymised", report=report, run=run.pk)
    _mark(run, RecordKind.REPORT, report.pk)
    counts["reports"] += 1


def _anonymise_case(case: Case, *, actor: User, run: RetentionRun, counts: dict[str, int]) -> None:
    _blank([case], actor=actor, extra={"version": case.version + 1})
    counts["assessments"] += _blank(Assessment.objects.filter(case=case), actor=actor)
    counts["plans"] += _blank(CasePlan.objects.filter(case=case), actor=actor)
    counts["plan_actions"] += _blank(PlanAction.objects.filter(plan__case=case), actor=actor)
    counts["visits"] += _blank(Visit.objects.filter(case=case), actor=actor)
    counts["contact_notes"] += _blank(ContactNote.objects.filter(case=case), actor=actor)
    _blank(PoliceNotification.objects.filter(case=case), actor=actor)
    counts["transfers"] += _blank(Transfer.objects.filter(case=case), actor=actor)
    counts["referrals"] += _blank_untracked(Referral.objects.filter(case=case))
    _blank_untracked(ReferralSession.objects.filter(referral__case=case))
    counts["housing_needs"] += _blank_untracked(HousingNeed.objects.filter(case=case))
    counts["screenings"] += _blank_untracked(Screening.objects.filter(case=case))
    counts["safety_plans"] += _blank_untracked(SafetyPlan.objects.filter(case=case))
    _scrub_timeline(TimelineEntry.objects.filter(case=case))
    counts["attachments"] += _delete_attachments(Attachment.objects.filter(case=case))
    timeline.record(actor=actor, kind="anonymised", case=case, run=run.pk)
    _mark(run, RecordKind.CASE, case.pk)
    counts["cases"] += 1


def _anonymise_child(
    child: Child, *, actor: User, run: RetentionRun, counts: dict[str, int]
) -> None:
    extra: dict[str, Any] = {"version": child.version + 1}
    if child.birth_date is not None:
        # The year stays for statistics; mid-year keeps an age computed from it closest.
        extra["birth_date"] = dt.date(child.birth_date.year, 7, 1)
        extra["birth_date_estimated"] = True
    _blank([child], actor=actor, extra=extra)
    rollups.retally_children([child.pk])  # the age group may move with the mid-year date
    counts["family_members"] += _blank(FamilyMember.objects.filter(child=child), actor=actor)
    counts["attachments"] += _delete_attachments(Attachment.objects.filter(child=child))
    _mark(run, RecordKind.CHILD, child.pk)
    counts["children"] += 1


def _batches(ids: Sequence[int], size: int) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def retention_apply(
    *, today: dt.date, actor: User | None = None, batch_size: int = DEFAULT_BATCH_SIZE
) -> RetentionRun:
    """Anonymise what `retention_plan(today)` lists, batch by batch, one transaction each.

    Each batch locks its rows and checks them again, so a hold placed meanwhile keeps
    its record, and a record done by a concurrent run is skipped. Running it again
    changes nothing: anonymised records are marked (Anonymisation) and left alone.
    """
    actor = actor or retention_system_user()
    plan = retention_plan(today=today)
    run = RetentionRun.objects.create(started_at=timezone.now(), today=today, actor=actor)
    counts = dict.fromkeys(
        (
            "cases",
            "reports",
            "children",
            "assessments",
            "plans",
            "plan_actions",
            "visits",
            "contact_notes",
            "transfers",
            "referrals",
            "housing_needs",
            "screenings",
            "safety_plans",
            "family_members",
            "attachments",
        ),
        0,
    )
    steps: list[tuple[list[int], QuerySet[Any], RecordKind, Any]] = [
        (plan.cases, expired_cases(today), RecordKind.CASE, _anonymise_case),
        (plan.reports, expired_reports(today), RecordKind.REPORT, _anonymise_report),
        (plan.children, expired_children(today), RecordKind.CHILD, _anonymise_child),
    ]
    for ids, eligible, kind, anonymise in steps:
        model = eligible.model
        for batch in _batches(ids, batch_size):
            with transaction.atomic():
                locked = list(model.objects.select_for_update().filter(pk__in=batch).order_by("pk"))
                still = set(
                    eligible.filter(pk__in=batch)
                    .exclude(pk__in=_done(kind))
                    .values_list("pk", flat=True)
                )
                for obj in locked:
                    if obj.pk in still:
                        anonymise(obj, actor=actor, run=run, counts=counts)
    run.finished_at = timezone.now()
    run.counts = counts
    run.save(update_fields=["finished_at", "counts"])
    logger.info("retention run %s for %s: %s", run.pk, today.isoformat(), counts)
    return run


def anonymised_at(*, kind: RecordKind, record_id: int) -> dt.datetime | None:
    row = Anonymisation.objects.filter(kind=kind, record_id=record_id).only("at").first()
    return row.at if row is not None else None
