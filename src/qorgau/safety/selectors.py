"""Reads of screenings and safety plans, for a case already opened through the gate."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from qorgau.access import cases_visible_to
from qorgau.accounts.models import User
from qorgau.accounts.roles import Perm
from qorgau.cases.models import Case
from qorgau.memo import memo
from qorgau.referrals.models import Referral
from qorgau.safety.models import SafetyPlan, Screening

# The screenings a case page lists, newest first.
SCREENINGS_SHOWN = 10

# The services a positive screen must be referred to.
CARE_SERVICES = ("psychological_counselling", "psychiatric_care")


@dataclass(frozen=True)
class Outstanding:
    """What a positive screen still lacks: a safety plan and a referral to care."""

    screening: Screening
    needs_plan: bool
    needs_referral: bool

    def __bool__(self) -> bool:
        return self.needs_plan or self.needs_referral


def latest_screenings(*, case: Case) -> list[Screening]:
    """The case's newest screenings (SCREENINGS_SHOWN), newest first: read once per GET
    (qorgau.memo), for the case page's list and its outstanding safety work."""
    return memo(
        ("latest screenings", case.pk), lambda: list(case.screenings.all()[:SCREENINGS_SHOWN])
    )


def _latest_positive(case: Case) -> Screening | None:
    """The newest screen that was not negative: among the newest ones already read,
    or (when all of those were negative and there may be older ones) read for itself."""
    latest = latest_screenings(case=case)
    positive = next((s for s in latest if s.result != Screening.Result.NEGATIVE), None)
    if positive is not None or len(latest) < SCREENINGS_SHOWN:
        return positive
    return case.screenings.exclude(result=Screening.Result.NEGATIVE).first()


def outstanding(*, case: Case) -> Outstanding | None:
    screening = _latest_positive(case)
    if screening is None:
        return None
    since = screening.performed_at
    needs_plan = not case.safety_plans.filter(written_at__gte=since).exists()
    needs_referral = (
        not Referral.objects.filter(case=case, service__code__in=CARE_SERVICES, sent_at__gte=since)
        .exclude(status__in=(Referral.Status.DECLINED, Referral.Status.WITHDRAWN))
        .exists()
    )
    return Outstanding(screening, needs_plan, needs_referral)


def closure_problem(case: Case) -> str | None:
    """Why the case may not close yet: a positive screen still lacks its safety plan or
    its referral to care (registered as a closure check in SafetyConfig.ready)."""
    state = outstanding(case=case)
    if not state:
        return None
    if state.needs_plan and state.needs_referral:
        return _(
            "A positive suicide-risk screen still needs a safety plan and a referral to "
            "psychological or psychiatric care before the case can be closed."
        )
    if state.needs_plan:
        return _(
            "A positive suicide-risk screen still needs a safety plan before the case can "
            "be closed."
        )
    return _(
        "A positive suicide-risk screen still needs a referral to psychological or "
        "psychiatric care before the case can be closed."
    )


def latest_plan(*, case: Case) -> SafetyPlan | None:
    return case.safety_plans.select_related("child", "written_by").first()


def positive_screens_without_plan(*, actor: User) -> QuerySet[Screening]:
    """For a supervisor: positive screens of the cases they see still without a safety
    plan, the acute and the most overdue first."""
    if not actor.has_perm_code(Perm.CASE_APPROVE):
        return Screening.objects.none()
    planned = SafetyPlan.objects.filter(
        case_id=OuterRef("case_id"), written_at__gte=OuterRef("performed_at")
    )
    return (
        Screening.objects.filter(case__in=cases_visible_to(actor))
        .exclude(result=Screening.Result.NEGATIVE)
        .filter(~Exists(planned))
        .select_related("case")
        .order_by("safety_plan_due_at")
    )
