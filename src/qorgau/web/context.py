"""The navigation, from the permission enum rather than role names in templates."""

from collections.abc import Callable

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qorgau.access import referral_indicator_scope
from qorgau.accounts.models import User
from qorgau.accounts.roles import Perm
from qorgau.accounts.twofactor import requires_second_factor
from qorgau.cases.workflow import may_approve
from qorgau.memo import memo
from qorgau.notifications.selectors import unread_count

# Who sees an item: everyone (None), holders of a permission, or those a rule admits.
Shown = Perm | Callable[[User], bool] | None


def _sees_referral_indicators(user: User) -> bool:
    return referral_indicator_scope(user) is not None


_NAV: list[tuple[Shown, str, object]] = [
    (None, "my-work", _("My work")),
    (Perm.REPORT_CREATE, "report-new", _("New report")),
    (Perm.CHILD_VIEW, "child-search", _("Children")),
    # The approvals view's own check: a supervisor, or a deputy while a delegation lasts.
    (may_approve, "approvals", _("Approvals")),
    (Perm.CASE_WORK, "provider-directory", _("Services")),
    (Perm.CASE_APPROVE, "referral-office", _("Referrals waiting")),
    (Perm.REFERRAL_RESPOND, "referral-inbox", _("Referrals")),
    (Perm.CASE_APPROVE, "team", _("Team")),
    (Perm.CHILD_MERGE, "access-requests", _("Requests")),
    (Perm.CHILD_MERGE, "review-queue", _("Duplicates")),
    (Perm.LINKAGE_MODEL, "link-model", _("Linkage model")),
    (Perm.STATS_VIEW, "statistics", _("Statistics")),
    (_sees_referral_indicators, "referral-indicators", _("Referral indicators")),
    (Perm.AUDIT_VIEW, "audit-search", _("Audit")),
    (Perm.EXPORT_PERSONAL_DATA, "export-new", _("Export")),
    (Perm.STATS_VIEW, "survey-list", _("Surveys")),
    (Perm.PROGRAMME_VIEW, "programme-list", _("Programmes")),
    (Perm.ACTIVITY_REPORT, "activity-report", _("Adal Azamat")),
    (Perm.WORKFORCE_VIEW, "workforce-overview", _("Workforce")),
]


def _shown(user: User, shown: Shown) -> bool:
    if shown is None:
        return True
    if isinstance(shown, Perm):
        return user.has_perm_code(shown)
    return shown(user)


def navigation(request: HttpRequest) -> dict[str, object]:
    # A 400 can come before the authentication middleware ran: no user at all.
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    # A page's tables render with the context processors again (django-tables2):
    # the menu and its unread count are read once (qorgau.memo).
    return memo(("navigation", user.pk), lambda: _navigation(user))


def _navigation(user: User) -> dict[str, object]:
    # Half logged in (password given, second factor not yet): nothing but the second
    # factor, the language and logging out is open, so no menu leads elsewhere.
    # is_verified() is attached to the user by django_otp's OTPMiddleware.
    if requires_second_factor(user) and not user.is_verified():  # type: ignore[attr-defined]
        return {"nav": []}
    items = [(reverse(name), label) for perm, name, label in _NAV if _shown(user, perm)]
    if user.has_perm_code(Perm.CASE_WORK):
        url = reverse("notifications")
        items.insert(1, (url, _("Notifications")))
        return {
            "nav": items,
            "notifications_url": url,
            "unread_notifications": unread_count(actor=user),
        }
    return {"nav": items}
