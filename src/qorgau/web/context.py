"""The navigation, from the permission enum rather than role names in templates."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.roles import Perm

_NAV = [
    (None, "my-work", _("My work")),
    (Perm.REPORT_CREATE, "report-new", _("New report")),
    (Perm.CHILD_VIEW, "child-search", _("Children")),
    (Perm.CASE_APPROVE, "approvals", _("Approvals")),
    (Perm.STATS_VIEW, "statistics", _("Statistics")),
    (Perm.AUDIT_VIEW, "audit-search", _("Audit")),
    (Perm.EXPORT_PERSONAL_DATA, "export-new", _("Export")),
    (Perm.STATS_VIEW, "survey-list", _("Surveys")),
]


def navigation(request: HttpRequest) -> dict[str, object]:
    user = request.user
    if not user.is_authenticated:
        return {"nav": []}
    items = [
        (reverse(name), label)
        for perm, name, label in _NAV
        if perm is None or user.has_perm_code(perm)
    ]
    return {"nav": items}
