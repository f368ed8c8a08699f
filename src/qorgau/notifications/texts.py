"""What a notification says, in the reader's language (the row stores codes only)."""

from django.utils.translation import gettext_lazy as _

from qorgau.notifications.models import Kind, Notification

_STEPS = {
    "assessment": _("risk assessment"),
    "plan": _("case plan"),
    "police": _("police notification"),
    "transfer": _("transfer acceptance"),
    "screening": _("report screening"),
    "action": _("plan action"),
}
_TEXTS = {
    Kind.DEADLINE_SOON: _("%(reference)s: the %(step)s is due soon."),
    Kind.DEADLINE_PASSED: _("%(reference)s: the %(step)s is overdue."),
    Kind.PLAN_RETURNED: _("%(reference)s: the supervisor returned the case plan for changes."),
    Kind.TRANSFER_WAITING: _("%(reference)s: a case transferred to your organisation waits."),
    Kind.EMERGENCY_REVIEW: _("%(reference)s: an emergency access waits for your review."),
    Kind.MERGE_REQUEST_WAITING: _(
        "%(reference)s: another office asks your office to approve merging two records of "
        "one child."
    ),
    Kind.ACCESS_REQUEST_WAITING: _(
        "%(reference)s: another office asks for access to a child registered by your office."
    ),
}


def text_of(notification: Notification) -> str:
    step = _STEPS.get(notification.step, notification.step)
    return str(_TEXTS[Kind(notification.kind)]) % {
        "reference": notification.reference,
        "step": step,
    }
