"""What the access log's `url_name` (a route name, e.g. "child-detail") is called on
the audit pages: the page's title in the reader's language.

Every route has one (tests/audit/test_page_names.py fails on a route without it).
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

PAGE_NAMES: dict[str, Promise] = {
    "login": _("Log in"),
    "logout": _("Log out"),
    "set_language": _("Language"),
    "two-factor-setup": _("Second factor set-up"),
    "two-factor-verify": _("Enter your code"),
    "recovery-codes-new": _("New recovery codes"),
    "reauthenticate": _("Password confirmation"),
    "my-work": _("My work"),
    "approvals": _("Approvals"),
    "statistics": _("Statistics"),
    "survey-list": _("Surveys"),
    "survey-detail": _("Survey indicators"),
    "report-new": _("New report"),
    "report-detail": _("Report page"),
    "report-link": _("Report: link a child"),
    "report-screen": _("Report: screening"),
    "child-search": _("Child search"),
    "child-new": _("New child record"),
    "child-detail": _("Child's record"),
    "child-edit": _("Child's record: correction"),
    "child-history": _("Child's record: history"),
    "child-hold": _("Child's record: legal hold"),
    "child-hold-lift": _("Child's record: legal hold lifted"),
    "family-member-new": _("Family member: new"),
    "family-member-edit": _("Family member: correction"),
    "case-detail": _("Case page"),
    "case-action": _("Case: action"),
    "case-history": _("Case: history"),
    "case-hold": _("Case: legal hold"),
    "case-hold-lift": _("Case: legal hold lifted"),
    "plan-action": _("Case: plan action"),
    "police-notification": _("Case: police notification"),
    "grant-new": _("Case: access granted"),
    "grant-revoke": _("Access grant revoked"),
    "emergency-access": _("Emergency access"),
    "emergency-review": _("Emergency access review"),
    "export-new": _("Export"),
    "export-download": _("Export download"),
    "audit-search": _("Audit"),
    "audit-child": _("Audit: who opened a child's record"),
    "audit-record": _("Audit: who opened a record"),
    "audit-record-export": _("Audit: export of who opened a record"),
    "audit-user": _("Audit: what a user opened"),
    "audit-user-export": _("Audit: export of what a user opened"),
    "audit-entry-reason": _("Audit: the reason given for an access"),
    "api-case-list": _("API: case list"),
    "api-case-detail": _("API: case"),
    "api-report-create": _("API: new report"),
    "api-report-status": _("API: report status"),
    "api-statistics": _("API: statistics"),
    "api-schema": _("API: schema"),
    "child-duplicates": _("Child's record: possible duplicates"),
    "child-merge": _("Child's record: compare and merge"),
    "merge-undo": _("Child's record: merge undone"),
    "access-requests": _("Requests about our children"),
    "access-request-new": _("Request to another office"),
    "access-request-answer": _("Request: answer"),
    "review-queue": _("Possible duplicates to review"),
    "review-pair": _("Possible duplicate"),
    "link-model": _("Linkage model"),
}
ADMIN_PREFIX = "admin:"


def page_name(url_name: str) -> str:
    """The page's title; a name the table does not know yet is shown as it was logged."""
    if not url_name:
        return "—"
    if url_name.startswith(ADMIN_PREFIX):
        return str(_("Administration"))
    name = PAGE_NAMES.get(url_name)
    return str(name) if name is not None else url_name
