"""A supervisor's team: open cases per worker by risk, and what is overdue, by worker.

Everything through the access gate (`cases_visible_to`), narrowed to the team: the
caseworkers the supervisor supervises and those of the supervisor's organisation.
The caseload is one grouped query; the overdue lists are each capped (OVERDUE_CAP).
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from qorgau.access import cases_visible_to
from qorgau.accounts.models import User
from qorgau.accounts.roles import Perm, Role
from qorgau.cases.choices import RiskLevel
from qorgau.cases.models import Case, PlanAction, PoliceNotification

OVERDUE_CAP = 200  # per kind: a team with more has a problem the list will not solve


def team_of(*, actor: User) -> QuerySet[User]:
    if not actor.has_perm_code(Perm.CASE_APPROVE):
        return User.objects.none()
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(supervisor=actor)
            | Q(organisation_id=actor.organisation_id, role=Role.CASEWORKER)
            | Q(pk=actor.pk)
        )
        .order_by("last_name", "first_name", "username")
    )


def team_cases(*, actor: User) -> QuerySet[Case]:
    """The team's open cases the actor may see."""
    return (
        cases_visible_to(actor)
        .filter(worker__in=team_of(actor=actor))
        .exclude(status=Case.Status.CLOSED)
    )


def caseload(*, cases: QuerySet[Case]) -> list[dict[str, object]]:
    """Per worker: open cases by risk level, and in all. One grouped query."""
    counts = {level: Count("pk", filter=Q(risk_level=level)) for level in RiskLevel.values}
    rows = (
        cases.order_by()
        .values("worker_id", "worker__first_name", "worker__last_name", "worker__username")
        .annotate(unassessed=Count("pk", filter=Q(risk_level="")), total=Count("pk"), **counts)
    )
    return [
        {
            **row,
            "worker": " ".join(filter(None, (row["worker__first_name"], row["worker__last_name"])))
            or row["worker__username"],
        }
        for row in rows
    ]


@dataclass(frozen=True)
class OverdueRow:
    worker: str
    case: Case
    children: str
    kind: str
    due: dt.datetime

    @property
    def late(self) -> dt.timedelta:
        return timezone.now() - self.due

    @property
    def reference(self) -> str:
        return self.case.reference


def _end_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.max))


def team_overdue(*, cases: QuerySet[Case]) -> list[OverdueRow]:
    """The team's work past its deadline, with the children and how late, latest first."""
    now = timezone.now()
    today = timezone.localdate()
    with_people = cases.select_related("worker").prefetch_related("children")
    rows: list[OverdueRow] = []

    def row(case: Case, kind: str, due: dt.datetime) -> OverdueRow:
        children = ", ".join(child.full_name for child in case.children.all())
        return OverdueRow(str(case.worker), case, children, kind, due)

    late_assessments = with_people.filter(
        status=Case.Status.ASSESSMENT, assessment_due_at__lt=now
    ).order_by("assessment_due_at")
    for case in late_assessments[:OVERDUE_CAP]:
        rows.append(row(case, "assessment", case.assessment_due_at or now))
    late_plans = with_people.filter(status=Case.Status.PLANNING, plan_due_at__lt=now).order_by(
        "plan_due_at"
    )
    for case in late_plans[:OVERDUE_CAP]:
        rows.append(row(case, "plan", case.plan_due_at or now))
    notices = (
        PoliceNotification.objects.filter(case__in=cases, sent_at__isnull=True, due_at__lt=now)
        .select_related("case__worker")
        .prefetch_related("case__children")
        .order_by("due_at")
    )
    for notice in notices[:OVERDUE_CAP]:
        rows.append(row(notice.case, "police", notice.due_at))
    actions = (
        PlanAction.objects.filter(
            plan__case__in=cases,
            plan__status="approved",
            status=PlanAction.Status.PLANNED,
            due_date__lt=today,
        )
        .select_related("plan__case__worker")
        .prefetch_related("plan__case__children")
        .order_by("due_date")
    )
    for action in actions[:OVERDUE_CAP]:
        rows.append(row(action.plan.case, "action", _end_of(action.due_date)))
    return sorted(rows, key=lambda r: r.due)
