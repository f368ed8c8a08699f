"""Reads for case work: queues, overdue items, approvals. All through the access gate."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models import Case as When_
from django.utils import timezone

from qorgau.access import cases_visible_to, reports_to_screen_visible_to, reports_visible_to
from qorgau.accounts.models import User
from qorgau.accounts.roles import Perm
from qorgau.cases.choices import RISK_ORDER
from qorgau.cases.models import (
    Assessment,
    Case,
    CasePlan,
    ContactNote,
    PlanAction,
    PoliceNotification,
    Report,
    ScreenOutReview,
    TimelineEntry,
    Transfer,
)
from qorgau.cases.workflow import case_assessments, delegators_of, referred_up_to
from qorgau.children.models import Child
from qorgau.protection.fields import encrypted_fields

_RISK_RANK = When_(
    *(When(risk_level=level, then=Value(rank)) for level, rank in RISK_ORDER.items()),
    default=Value(-1),
    output_field=IntegerField(),
)


def reports_to_screen(*, actor: User) -> QuerySet[Report]:
    if not actor.has_perm_code(Perm.REPORT_SCREEN):
        return Report.objects.none()
    return (
        reports_to_screen_visible_to(actor)
        .defer(*encrypted_fields(Report))  # a queue shows none of them
        .select_related("place")
        .prefetch_related("concerns")
        .order_by("screening_due_at")
    )


def screened_out_to_review(*, actor: User) -> QuerySet[Report]:
    """Screened-out reports drawn for review that the actor did not screen, oldest first."""
    if not actor.has_perm_code(Perm.CASE_APPROVE):
        return Report.objects.none()
    return (
        reports_visible_to(actor)
        .filter(review=ScreenOutReview.PENDING)
        .exclude(screened_by=actor)
        .select_related("place", "screened_by")
        .prefetch_related("concerns")
        .order_by("screened_at", "pk")
    )


def my_cases(*, actor: User) -> QuerySet[Case]:
    """The actor's open cases, highest risk first."""
    return (
        cases_visible_to(actor)
        .filter(worker=actor)
        .exclude(status=Case.Status.CLOSED)
        .annotate(risk_rank=_RISK_RANK)
        .defer(*encrypted_fields(Case))  # the list shows none of them
        .select_related("region")
        .prefetch_related(
            Prefetch("children", queryset=Child.objects.defer(*encrypted_fields(Child)))
        )
        .order_by("-risk_rank", "opened_at")
    )


def plan_to_revise(*, case: Case, plans: list[CasePlan] | None = None) -> CasePlan | None:
    """The plan a supervisor returned to the worker, while no newer one has been submitted.

    `plans`: every plan of the case, already read (the case page), to pick it from.
    """
    if plans is not None:
        latest = max(plans, key=lambda plan: (plan.submitted_at, plan.pk), default=None)
    else:
        latest = (
            case.plans.select_related("decided_by")
            .prefetch_related("actions__responsible")
            .order_by("-submitted_at", "-pk")
            .first()
        )
    return latest if latest is not None and latest.status == CasePlan.Status.RETURNED else None


def plans_returned_to(*, actor: User) -> QuerySet[CasePlan]:
    """Returned plans of the actor's open cases that wait for a new version, newest first."""
    # A plan that an approved one replaced is also "returned", but is never the latest.
    newer = CasePlan.objects.filter(
        case=OuterRef("case"), submitted_at__gt=OuterRef("submitted_at")
    )
    cases = cases_visible_to(actor).filter(worker=actor).exclude(status=Case.Status.CLOSED)
    return (
        CasePlan.objects.filter(case__in=cases.values("pk"), status=CasePlan.Status.RETURNED)
        .exclude(Exists(newer))
        .select_related("case", "decided_by")
        .order_by("-decided_at", "-pk")
    )


def approvals_waiting(*, actor: User) -> QuerySet[Case]:
    """Plans and closures the actor may decide, oldest first; never their own requests."""
    delegators = delegators_of(actor)
    if not actor.has_perm_code(Perm.CASE_APPROVE) and not delegators:
        return Case.objects.none()
    signoff = Exists(
        Assessment.objects.filter(case=OuterRef("pk"), signoff=Assessment.SignOff.PENDING).exclude(
            performed_by=actor
        )
    )
    waiting = (
        Q(status=Case.Status.PLAN_SUBMITTED) | Q(status=Case.Status.CLOSURE_REQUESTED) | signoff
    )
    mine = Q(pk__in=[])
    if actor.has_perm_code(Perm.CASE_APPROVE):
        mine = Q(organisation_id=actor.organisation_id) | Q(worker__supervisor=actor)
    # A deputy's queue: what the supervisors who delegated to them would decide.
    for delegator in delegators:
        mine |= Q(organisation_id=delegator.organisation_id) | Q(worker__supervisor=delegator)
    referred_up = referred_up_to(actor)
    return (
        cases_visible_to(actor)
        .filter((waiting & mine) | referred_up)
        .exclude(closure_requested_by=actor)
        .exclude(plans__status="submitted", plans__submitted_by=actor)
        .annotate(
            referred_up=ExpressionWrapper(referred_up, output_field=BooleanField()),
            signoff_waiting=signoff,
            risk_rank=_RISK_RANK,
        )
        .select_related("worker", "region", "organisation")
        .order_by("opened_at")
    )


def risk_overrides(*, actor: User) -> QuerySet[Assessment]:
    """Risk levels chosen below the instrument's suggestion in the cases the actor
    approves for: those awaiting sign-off first, then the newest."""
    if not actor.has_perm_code(Perm.CASE_APPROVE):
        return Assessment.objects.none()
    cases = cases_visible_to(actor).filter(
        Q(organisation_id=actor.organisation_id) | Q(worker__supervisor=actor)
    )
    waiting_first = When_(
        When(signoff=Assessment.SignOff.PENDING, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        Assessment.objects.filter(case__in=cases.values("pk"))
        .exclude(signoff=Assessment.SignOff.NOT_NEEDED)
        .select_related("case", "child", "performed_by", "signed_off_by")
        .order_by(waiting_first, "-performed_at", "-pk")
    )


@dataclass(frozen=True)
class Overdue:
    kind: str  # screening, assessment, plan, police, transfer, action
    due: dt.datetime | dt.date  # as shown: plan actions are due on a day
    # The case or report it is of: its number and address made only for the rows
    # shown, a page of up to 300 items read.
    record: Case | Report

    @property
    def url(self) -> str:
        return self.record.get_absolute_url()

    @property
    def reference(self) -> str:
        return self.record.reference

    @property
    def due_at(self) -> dt.datetime:
        """The moment it became overdue, for ordering (a day's end for a due date)."""
        if isinstance(self.due, dt.datetime):
            return self.due
        return timezone.make_aware(dt.datetime.combine(self.due, dt.time.max))


def overdue_items(*, actor: User, kinds: set[str] | None = None) -> list[Overdue]:
    """Work past its deadline that this actor answers for, oldest deadline first; of
    the given kinds only (None: every kind), each kind's query skipped when not asked."""
    now = timezone.now()
    today = timezone.localdate()
    items: list[Overdue] = []

    def wanted(kind: str) -> bool:
        return kinds is None or kind in kinds

    screening = reports_to_screen(actor=actor) if wanted("screening") else Report.objects.none()
    for report in screening.filter(screening_due_at__lt=now)[:50]:
        items.append(Overdue("screening", report.screening_due_at, report))
    # The actor's and their team's cases, by worker id: an OR across the join on users
    # made PostgreSQL read every case of the organisation (115,000 at 1M children).
    team = [actor.pk, *User.objects.filter(supervisor=actor).values_list("pk", flat=True)]
    cases = cases_visible_to(actor).filter(worker_id__in=team).defer(*encrypted_fields(Case))
    late = cases.none()
    if wanted("assessment"):
        late = cases.filter(status=Case.Status.ASSESSMENT, assessment_due_at__lt=now)
    for case in late[:50]:
        if case.assessment_due_at:  # always, by the filter; says so to the type checker
            items.append(Overdue("assessment", case.assessment_due_at, case))
    late = cases.filter(status=Case.Status.PLANNING, plan_due_at__lt=now)
    for case in (late if wanted("plan") else late.none())[:50]:
        if case.plan_due_at:
            items.append(Overdue("plan", case.plan_due_at, case))
    notices = (
        PoliceNotification.objects.filter(case__in=cases, sent_at__isnull=True, due_at__lt=now)
        .select_related("case")
        .defer(*encrypted_fields(Case, via="case__"))
    )
    for notice in (notices if wanted("police") else notices.none())[:50]:
        items.append(Overdue("police", notice.due_at, notice.case))
    transfers = Transfer.objects.filter(
        status=Transfer.Status.PENDING, due_at__lt=now, case__in=cases_visible_to(actor)
    ).filter(Q(to_organisation_id=actor.organisation_id) | Q(requested_by=actor))
    transfers = transfers if wanted("transfer") else transfers.none()
    transfers = transfers.select_related("case").defer(*encrypted_fields(Case, via="case__"))
    for transfer in transfers[:50]:
        items.append(Overdue("transfer", transfer.due_at, transfer.case))
    actions = PlanAction.objects.filter(
        plan__case__in=cases.exclude(status=Case.Status.CLOSED),
        plan__status="approved",
        status=PlanAction.Status.PLANNED,
        due_date__lt=today,
    ).select_related("plan__case")
    actions = actions.defer(
        *encrypted_fields(CasePlan, via="plan__"), *encrypted_fields(Case, via="plan__case__")
    )
    for action in (actions if wanted("action") else actions.none())[:50]:
        items.append(Overdue("action", action.due_date, action.plan.case))
    return sorted(items, key=lambda item: item.due_at)


def incoming_transfers(*, actor: User) -> QuerySet[Transfer]:
    return (
        Transfer.objects.filter(
            status=Transfer.Status.PENDING, to_organisation_id=actor.organisation_id
        )
        .select_related("case", "from_organisation", "requested_by")
        .order_by("due_at", "pk")
    )


def reports_made_by_my_organisation(*, actor: User) -> QuerySet[Report]:
    return (
        reports_visible_to(actor)
        .filter(created_by=actor)
        .select_related("place")
        .prefetch_related("concerns")
    )


def case_timeline(*, case: Case) -> QuerySet[TimelineEntry]:
    """Everything that happened: to the case, and to the reports that led to it.

    Two indexed branches joined by UNION (an OR across the join on reports would make
    PostgreSQL scan every timeline entry in the country).
    """
    of_case = TimelineEntry.objects.filter(case=case).order_by().values("pk")
    of_its_reports = TimelineEntry.objects.filter(report__case=case).order_by().values("pk")
    return (
        TimelineEntry.objects.filter(pk__in=of_case.union(of_its_reports))
        .select_related("actor")
        .order_by("at", "pk")
    )


def latest_assessments(*, case: Case) -> list[Assessment]:
    """The latest assessment of each child of the case, in the order they were made."""
    latest: dict[int | None, Assessment] = {}
    for assessment in case_assessments(case):
        latest.setdefault(assessment.child_id, assessment)
    return sorted(latest.values(), key=lambda a: (a.performed_at, a.pk))


def contact_notes(*, case: Case, child_id: int | None = None) -> QuerySet[ContactNote]:
    """The case's contact log, newest first; only the contacts about one child if asked."""
    notes = case.contact_notes.select_related("recorded_by", "child")
    return notes.filter(child_id=child_id) if child_id is not None else notes


def open_cases_of_report_children(*, actor: User, report: Report) -> QuerySet[Case]:
    """Open cases of the children in a report: a new report may join one of them."""
    child_ids = [link.child_id for link in report.children.all() if link.child_id]
    return (
        cases_visible_to(actor)
        .filter(children__in=child_ids)
        .exclude(status=Case.Status.CLOSED)
        .distinct()
    )
