"""The reminder sweep: find what is due, passed or waiting, notify each person once,
then e-mail what was not yet e-mailed.

It runs as a background task (`tasks.send_reminders`, django-tasks), started by
`qorgau reminders` from cron or a systemd timer (docs/operations.md). It is a system
job over the whole country, reading only open work through indexed columns (status,
due dates, reviewed_at); what it writes is references and links, no personal data.

Idempotent: each event has a key, and (user, kind, key) is unique, so a second run
adds nothing, and an e-mail goes once per notification (`emailed_at`, taken row by
row with SKIP LOCKED so that two workers never send the same one).
"""

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from qorgau.accounts.models import User
from qorgau.accounts.roles import Role
from qorgau.cases.models import (
    Case,
    CasePlan,
    PlanAction,
    PoliceNotification,
    Report,
    Transfer,
)
from qorgau.grants.models import EmergencyAccess
from qorgau.linkage.models import AccessRequest, MergeRequest
from qorgau.notifications.models import Kind, Notification
from qorgau.notifications.texts import text_of

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reminder:
    user_id: int
    kind: str
    key: str
    reference: str
    url: str
    step: str = ""
    due_at: dt.datetime | None = None


def _deadline(
    case: Case, step: str, due: dt.datetime, now: dt.datetime, extra_key: str = ""
) -> Iterator[Reminder]:
    """A deadline of a case: to its worker while it comes, to the supervisor too once passed."""
    key = f"case:{case.pk}:{step}{extra_key}:{due.isoformat()}"
    url = case.get_absolute_url()
    if due >= now:
        yield Reminder(case.worker_id, Kind.DEADLINE_SOON, key, case.reference, url, step, due)
        return
    for user_id in {case.worker_id, case.worker.supervisor_id} - {None}:
        yield Reminder(user_id, Kind.DEADLINE_PASSED, key, case.reference, url, step, due)  # type: ignore[arg-type]


def reminders_due(*, now: dt.datetime) -> Iterator[Reminder]:
    """Every reminder that should exist now (the ones already sent included)."""
    soon = now + dt.timedelta(hours=settings.QORGAU_REMINDER_AHEAD_HOURS)
    cases = Case.objects.select_related("worker").only(
        "pk", "opened_at", "worker_id", "worker__supervisor_id", "assessment_due_at", "plan_due_at"
    )
    for case in cases.filter(status=Case.Status.ASSESSMENT, assessment_due_at__lt=soon):
        if case.assessment_due_at is not None:
            yield from _deadline(case, "assessment", case.assessment_due_at, now)
    for case in cases.filter(status=Case.Status.PLANNING, plan_due_at__lt=soon):
        if case.plan_due_at is not None:
            yield from _deadline(case, "plan", case.plan_due_at, now)
    notices = PoliceNotification.objects.filter(sent_at__isnull=True, due_at__lt=soon)
    for notice in notices.select_related("case__worker"):
        yield from _deadline(notice.case, "police", notice.due_at, now, extra_key=f":{notice.pk}")

    yield from _screening_deadlines(now=now, soon=soon)
    yield from _plan_action_deadlines(now=now, soon=soon)

    # The latest plan of an open case, returned to its worker (no newer one submitted).
    newer = CasePlan.objects.filter(
        case=OuterRef("case"), submitted_at__gt=OuterRef("submitted_at")
    )
    returned = (
        CasePlan.objects.filter(status=CasePlan.Status.RETURNED)
        .exclude(case__status=Case.Status.CLOSED)
        .exclude(Exists(newer))
        .select_related("case")
    )
    for plan in returned:
        case = plan.case
        yield Reminder(
            case.worker_id,
            Kind.PLAN_RETURNED,
            f"plan:{plan.pk}",
            case.reference,
            case.get_absolute_url(),
        )

    supervisors: dict[int, list[int]] = {}

    def supervisors_of(organisation_id: int) -> list[int]:
        if organisation_id not in supervisors:
            supervisors[organisation_id] = list(
                User.objects.filter(
                    organisation_id=organisation_id, role=Role.SUPERVISOR, is_active=True
                ).values_list("pk", flat=True)
            )
        return supervisors[organisation_id]

    for transfer in Transfer.objects.filter(status=Transfer.Status.PENDING).select_related("case"):
        for user_id in supervisors_of(transfer.to_organisation_id):
            yield Reminder(
                user_id,
                Kind.TRANSFER_WAITING,
                f"transfer:{transfer.pk}",
                transfer.case.reference,
                transfer.case.get_absolute_url(),
            )

    # Requests of other offices: the asked office's supervisors answer them. The
    # reference names the request, never the child (no personal data in a notification).
    # A merge request has a page of its own; access requests are answered in a list.
    def merge_page(pk: int) -> str:
        return reverse("merge-request", args=[pk])

    def access_list(pk: int) -> str:
        return reverse("access-requests")

    Asked = tuple[type[MergeRequest | AccessRequest], Kind, str, str, Callable[[int], str]]
    asked: list[Asked] = [
        (MergeRequest, Kind.MERGE_REQUEST_WAITING, "merge-request", "M", merge_page),
        (AccessRequest, Kind.ACCESS_REQUEST_WAITING, "access-request", "A", access_list),
    ]
    for model, kind, key, letter, url_of in asked:
        waiting = model.objects.filter(status=model.Status.PENDING).only("pk", "organisation_id")
        for request in waiting:
            url = url_of(request.pk)
            for user_id in supervisors_of(request.organisation_id):
                yield Reminder(user_id, kind, f"{key}:{request.pk}", f"{letter}-{request.pk}", url)

    unreviewed = EmergencyAccess.objects.filter(reviewed_at__isnull=True).select_related(
        "case", "user"
    )
    for access in unreviewed:
        reviewers = set(supervisors_of(access.user.organisation_id or 0))
        if access.user.supervisor_id:
            reviewers.add(access.user.supervisor_id)
        for user_id in reviewers - {access.user_id}:
            yield Reminder(
                user_id,
                Kind.EMERGENCY_REVIEW,
                f"emergency:{access.pk}",
                access.case.reference,
                reverse("my-work"),
            )


def _screening_deadlines(*, now: dt.datetime, soon: dt.datetime) -> Iterator[Reminder]:
    """A report waiting for screening (from 111, a school), to the supervisors of the
    office nearest to where it happened: the district office, else the region's."""
    reports = Report.objects.filter(
        status=Report.Status.NEW, screening_due_at__lt=soon
    ).select_related("place")  # the queue index (status, screening_due_at)
    screeners: list[tuple[str, int]] | None = None
    for report in reports.only("pk", "received_at", "screening_due_at", "place__kato"):
        if screeners is None:  # read once, and only when a report waits
            screeners = [
                (user.organisation.place.territory_prefix, user.pk)
                for user in User.objects.filter(role=Role.SUPERVISOR, is_active=True)
                .exclude(organisation=None)
                .select_related("organisation__place")
                .order_by("pk")
                if user.organisation is not None  # by the filter; for the type checker
            ]
        over = [
            (len(prefix), pk) for prefix, pk in screeners if report.place.kato.startswith(prefix)
        ]
        nearest = max((length for length, _pk in over), default=0)
        due = report.screening_due_at
        kind = Kind.DEADLINE_SOON if due >= now else Kind.DEADLINE_PASSED
        for length, user_id in over:
            if length == nearest:
                yield Reminder(
                    user_id,
                    kind,
                    f"report:{report.pk}:screening:{due.isoformat()}",
                    report.reference,
                    report.get_absolute_url(),
                    "screening",
                    due,
                )


def _plan_action_deadlines(*, now: dt.datetime, soon: dt.datetime) -> Iterator[Reminder]:
    """A plan action of an approved plan, due soon or overdue, to the case's worker.

    The action belongs to an organisation (a school, a clinic), but the worker answers
    for following it up. It is due on a day, so the reminder comes once a day (the key
    names the day) until the action is done or cancelled, or the case closes; an
    overdue one tells the worker's supervisor too.
    """
    today = timezone.localdate(now)
    last_day = timezone.localdate(soon)
    actions = (
        PlanAction.objects.filter(
            status=PlanAction.Status.PLANNED,
            plan__status=CasePlan.Status.APPROVED,
            due_date__lte=last_day,
        )
        .exclude(plan__case__status=Case.Status.CLOSED)
        .select_related("plan__case__worker")
        .only(
            "pk",
            "due_date",
            "plan__case__id",
            "plan__case__opened_at",
            "plan__case__worker_id",
            "plan__case__worker__supervisor_id",
        )
    )
    for action in actions:
        case = action.plan.case
        due = timezone.make_aware(dt.datetime.combine(action.due_date, dt.time.max))
        key = f"action:{action.pk}:{today.isoformat()}"
        url = case.get_absolute_url()
        if action.due_date >= today:
            yield Reminder(
                case.worker_id, Kind.DEADLINE_SOON, key, case.reference, url, "action", due
            )
            continue
        for user_id in {case.worker_id, case.worker.supervisor_id} - {None}:
            yield Reminder(user_id, Kind.DEADLINE_PASSED, key, case.reference, url, "action", due)  # type: ignore[arg-type]


def reminders_record(*, now: dt.datetime) -> int:
    """Store the reminders not stored yet; returns how many are new."""
    batch: list[Notification] = []
    for reminder in reminders_due(now=now):
        batch.append(
            Notification(
                user_id=reminder.user_id,
                kind=reminder.kind,
                key=reminder.key,
                reference=reminder.reference,
                step=reminder.step,
                url=reminder.url,
                due_at=reminder.due_at,
                created_at=now,
            )
        )
        if len(batch) == 500:
            Notification.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    Notification.objects.bulk_create(batch, ignore_conflicts=True)
    # New rows carry this run's time and are not yet e-mailed (a partial index).
    return Notification.objects.filter(created_at=now, emailed_at__isnull=True).count()


def notifications_email(*, now: dt.datetime, limit: int = 500) -> int:
    """E-mail the notifications not e-mailed yet, each once; returns how many were sent.

    Those whose user has no address are marked as handled without a message.
    """
    sent = 0
    with transaction.atomic():
        pending = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(emailed_at__isnull=True)
            .select_related("user")
            .order_by("created_at", "pk")[:limit]
        )
        for notification in pending:
            if notification.user.email and notification.user.is_active:
                _send(notification)
                sent += 1
            notification.emailed_at = now
            notification.save(update_fields=["emailed_at"])
    return sent


def _send(notification: Notification) -> None:
    # The language the reader chose for the interface; the site's until they choose.
    with translation.override(notification.user.language or settings.LANGUAGE_CODE):
        text = text_of(notification)
        body = _("%(text)s\n\nOpen it in Qorgau: %(url)s") % {
            "text": text,
            "url": settings.QORGAU_SITE_URL.rstrip("/") + notification.url,
        }
        send_mail(
            subject=f"Qorgau: {text}",
            message=body,
            from_email=None,
            recipient_list=[notification.user.email],
        )


def reminders_send(*, now: dt.datetime | None = None) -> dict[str, int]:
    """The whole sweep: record new reminders, then e-mail them."""
    now = now or timezone.now()
    recorded = reminders_record(now=now)
    emailed = notifications_email(now=now)
    logger.info("reminders: %s new, %s e-mailed", recorded, emailed)
    return {"recorded": recorded, "emailed": emailed}


def notification_read(*, actor: User, notification: Notification) -> None:
    if notification.user_id != actor.pk:
        raise PermissionError("one reads only one's own notifications")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def notifications_read_all(*, actor: User) -> int:
    return Notification.objects.filter(user=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
