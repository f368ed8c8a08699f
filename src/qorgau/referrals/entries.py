"""The referral steps' entries in the case timeline, in the reader's language."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from qorgau.referrals.models import HousingNeed, ServiceType

KINDS: dict[str, Any] = {
    "referral_sent": _("Referred to %(provider)s: %(service)s"),
    "referral_accepted": _("Referral accepted by %(provider)s"),
    "referral_declined": _("Referral declined by %(provider)s: %(reason_given)s"),
    "referral_session": _("Session at %(provider)s attended (%(held_on)s)"),
    "referral_session_missed": _("Session at %(provider)s missed (%(held_on)s)"),
    "referral_completed": _("Referral to %(provider)s completed"),
    "referral_not_completed": _("Referral to %(provider)s not completed"),
    "referral_withdrawn": _("Referral to %(provider)s withdrawn: %(reason_given)s"),
    "housing_need_recorded": _("Housing need recorded: %(need)s"),
    "housing_need_resolved": _("Housing need resolved: %(need)s"),
}


def _service(code: str) -> str:
    service = ServiceType.objects.filter(code=code).first()
    return service.name if service is not None else code


LABELS: dict[str, Callable[[str], str]] = {
    "service": _service,
    "need": lambda code: str(HousingNeed.Kind(code).label),
    "held_on": lambda iso: date_format(dt.date.fromisoformat(iso), "SHORT_DATE_FORMAT"),
}
