"""Screening and safety plan entries in the case timeline."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from qorgau.safety.models import Screening

KINDS: dict[str, Any] = {
    "screening_recorded": _("Suicide-risk screening: %(result)s"),
    "screening_emergency": _(
        "Immediate danger: emergency notification to police and medical services due; "
        "supervisor alerted"
    ),
    "safety_plan_written": _("Safety plan written; next review %(review_on)s"),
    "safety_plan_reviewed": _("Safety plan reviewed; next review %(review_on)s"),
}

LABELS: dict[str, Callable[[str], str]] = {
    "result": lambda code: str(Screening.Result(code).label),
    "review_on": lambda iso: date_format(dt.date.fromisoformat(iso), "SHORT_DATE_FORMAT"),
}
