"""Timeline entries: written by services, rendered in the reader's language."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.models import User
from qorgau.cases.choices import ClosureReason, Concern, Outcome, RiskLevel, ScreenOutReason
from qorgau.cases.models import Case, ContactNote, PlanAction, Report, TimelineEntry

# kind -> sentence; %(name)s placeholders come from the entry's details.
KINDS: dict[str, Any] = {
    "report_received": _("Report received"),
    "report_screened_in": _("Report screened in"),
    "report_screened_out": _("Report screened out: %(reason)s"),
    "screen_out_upheld": _("Screening out reviewed and upheld: %(note)s"),
    "screen_out_reopened": _("Screening out reviewed: reopened for screening (%(note)s)"),
    "child_linked": _("Child linked to the report: %(child)s"),
    "case_opened": _("Case opened"),
    "report_joined": _("Report %(reference)s joined this case"),
    "assessed": _("Risk assessed: %(risk_level)s"),
    "risk_override": _(
        "Risk level %(risk_level)s chosen below the suggested %(suggested)s: awaiting sign-off"
    ),
    "risk_signed_off": _("Lower risk level signed off: %(risk_level)s"),
    "risk_overruled": _("Lower risk level overruled: %(risk_level)s applies"),
    "plan_submitted": _("Case plan submitted for approval"),
    "plan_approved": _("Case plan approved"),
    "plan_returned": _("Case plan returned for changes"),
    "visit_recorded": _("Visit recorded (%(visited_on)s)"),
    "contact_recorded": _("Contact recorded: %(contact)s (%(visited_on)s)"),
    "action_updated": _("Plan action “%(action)s”: %(status)s"),
    "police_due": _("Police notification required: %(concerns)s"),
    "police_sent": _("Police notified"),
    "police_acknowledged": _("Police acknowledged: %(police_reference)s"),
    "closure_requested": _("Closure requested: %(reason)s"),
    "closure_approved": _("Case closed: %(outcome)s"),
    "closure_rejected": _("Closure not approved"),
    "closure_withdrawn": _("Closure request withdrawn"),
    "reopened": _("Case reopened"),
    "transfer_requested": _("Transfer requested to %(to)s"),
    "transfer_accepted": _("Transfer accepted by %(to)s"),
    "transfer_declined": _("Transfer declined by %(to)s"),
    "case_reassigned": _("Case reassigned from %(previous)s to %(worker)s: %(note)s"),
    "action_reassigned": _("Plan action “%(action)s” handed to %(organisation)s"),
    "legal_hold_placed": _("Legal hold placed"),
    "legal_hold_lifted": _("Legal hold lifted"),
    "anonymised": _("Personal data anonymised under the retention policy"),
    "access_granted": _("Access granted to %(user)s"),
    "access_revoked": _("Access of %(user)s revoked"),
    "emergency_access": _("Emergency access for %(minutes)s minutes"),
    "attachment_added": _("File attached: %(name)s"),
    "attachment_removed": _("File removed: %(name)s. Why: %(note)s"),
    "child_merged": _("Record of %(merged)s merged into the record of %(kept)s"),
    "child_unmerged": _("Merge of %(merged)s into %(kept)s undone"),
    "child_merge_requested": _(
        "Merge of %(merged)s into %(kept)s asked of %(office)s, which must approve it"
    ),
    "access_request_declined": _(
        "%(office)s declined to link its record of the child to this report"
    ),
    "child_merge_declined": _("Merge of %(merged)s into %(kept)s declined by %(office)s"),
}


# Details stored as codes are shown as their label in the reader's language.
def _reason(code: str) -> str:
    choices = ClosureReason if code in ClosureReason.values else ScreenOutReason
    return str(choices(code).label)


_LABELS: dict[str, Callable[[str], str]] = {
    "risk_level": lambda code: str(RiskLevel(code).label),
    "suggested": lambda code: str(RiskLevel(code).label),
    "reason": _reason,
    "outcome": lambda code: str(Outcome(code).label),
    "status": lambda code: str(PlanAction.Status(code).label),
    "contact": lambda code: str(ContactNote.Kind(code).label),
    "concerns": lambda codes: ", ".join(str(Concern(c).label) for c in codes.split(",")),
    "visited_on": lambda iso: date_format(dt.date.fromisoformat(iso), "SHORT_DATE_FORMAT"),
}


def register(kinds: dict[str, Any], labels: dict[str, Callable[[str], str]]) -> None:
    """Kinds of entry an app above `cases` writes (referrals), with their labels.

    Called from the app's `ready()`, so `cases` need not know the apps that build on it.
    """
    KINDS.update(kinds)
    _LABELS.update(labels)


def record(
    *,
    actor: User,
    kind: str,
    case: Case | None = None,
    report: Report | None = None,
    **details: Any,
) -> TimelineEntry:
    if kind not in KINDS:
        raise ValueError(f"unknown timeline kind {kind!r}")
    return TimelineEntry.objects.create(
        case=case, report=report, actor=actor, kind=kind, at=timezone.now(), details=details
    )


def describe(entry: TimelineEntry) -> str:
    values = {
        key: _LABELS[key](value) if key in _LABELS and value else value
        for key, value in entry.details.items()
    }
    try:
        return str(KINDS[entry.kind]) % values
    except (KeyError, TypeError, ValueError):
        return entry.kind
