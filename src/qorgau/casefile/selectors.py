"""What the printed case file holds: everything on the case page, read once, in order."""

from dataclasses import dataclass
from typing import Any

from qorgau.attachments.selectors import attachments_of
from qorgau.cases.models import Case
from qorgau.cases.selectors import case_timeline
from qorgau.cases.timeline import describe


@dataclass(frozen=True)
class CaseFile:
    case: Case
    children: list[Any]
    reports: list[Any]
    assessments: list[Any]
    plans: list[Any]
    visits: list[Any]
    notifications: list[Any]
    transfers: list[Any]
    attachments: list[Any]
    timeline: list[tuple[Any, str]]


def case_file(*, case: Case) -> CaseFile:
    """The case as printed. The case came through the access gate."""
    return CaseFile(
        case=case,
        children=list(case.children.select_related("place", "school")),
        reports=list(case.reports.select_related("place").prefetch_related("concerns")),
        assessments=list(case.assessments.select_related("performed_by")),
        plans=list(case.plans.select_related("decided_by").prefetch_related("actions")),
        visits=list(case.visits.select_related("performed_by")),
        notifications=list(case.police_notifications.select_related("police")),
        transfers=list(case.transfers.select_related("from_organisation", "to_organisation")),
        attachments=list(attachments_of(case=case)),
        timeline=[(entry, describe(entry)) for entry in case_timeline(case=case)],
    )
