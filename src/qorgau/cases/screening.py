"""Screening a report: which step is allowed for whom, in which state of the report.

One rule table, as `workflow.py` is for cases: the report page asks `allowed_steps`
what to offer, and every screening service calls `require_step` with the same rules,
so the page never offers what the service would refuse and the service refuses what a
crafted request asks for. What the user types (the worker, the case to join, the
reason) is checked by the services, on its field.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.models import User
from qorgau.accounts.roles import Perm
from qorgau.cases.models import Report
from qorgau.cases.workflow import TransitionError


class Step(StrEnum):
    LINK_CHILD = "link_child"
    SCREEN_IN = "screen_in"
    SCREEN_OUT = "screen_out"


@dataclass(frozen=True)
class Rule:
    """A step is allowed only while every rule that names it holds."""

    steps: frozenset[Step]
    holds: Callable[[User, Report], bool]
    code: str
    message: Promise


def _every_child_identified(user: User, report: Report) -> bool:
    return not report.children.filter(child__isnull=True).exists()


EVERY_STEP = frozenset(Step)
# In order: the first rule that fails gives the reason.
RULES: tuple[Rule, ...] = (
    Rule(
        EVERY_STEP,
        lambda user, report: user.has_perm_code(Perm.REPORT_SCREEN),
        "forbidden",
        _("Your role cannot screen reports."),
    ),
    Rule(
        EVERY_STEP,
        lambda user, report: report.status == Report.Status.NEW,
        "screened",
        _("This report has already been screened."),
    ),
    Rule(
        frozenset({Step.LINK_CHILD}),
        lambda user, report: not _every_child_identified(user, report),
        "all_identified",
        _("Every child in this report is already identified."),
    ),
    Rule(
        frozenset({Step.SCREEN_IN}),
        lambda user, report: user.organisation_id is not None,
        "no_org",
        _("Only staff of an organisation can open cases."),
    ),
    Rule(
        frozenset({Step.SCREEN_IN}),
        _every_child_identified,
        "unlinked_children",
        _("Find or register every child in the report before screening it in."),
    ),
)


def refusal(user: User, report: Report, step: Step) -> TransitionError | None:
    """Why `user` may not take `step` on `report` now, or None when they may."""
    for rule in RULES:
        if step in rule.steps and not rule.holds(user, report):
            return TransitionError(str(rule.message), code=rule.code)
    return None


def allowed_steps(user: User, report: Report) -> set[Step]:
    return {step for step in Step if refusal(user, report, step) is None}


def require_step(user: User, report: Report, step: Step) -> None:
    error = refusal(user, report, step)
    if error is not None:
        raise error
