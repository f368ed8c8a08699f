"""The team page's tables (django-tables2): sortable by any column, paged."""

import datetime as dt
from typing import Any

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from qorgau.caseload.selectors import OverdueRow
from qorgau.tables import DateColumn

KINDS = {
    "assessment": _("Risk assessment"),
    "plan": _("Case plan"),
    "police": _("Police notification"),
    "action": _("Plan action"),
}


def how_late(late: dt.timedelta) -> str:
    if late.days >= 1:
        return ngettext("%(n)d day", "%(n)d days", late.days) % {"n": late.days}
    hours = max(int(late.total_seconds() // 3600), 1)
    return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}


class CaseloadTable(tables.Table):
    worker = tables.Column(verbose_name=_("Caseworker"))
    critical = tables.Column(verbose_name=_("Critical"))
    high = tables.Column(verbose_name=_("High"))
    medium = tables.Column(verbose_name=_("Medium"))
    low = tables.Column(verbose_name=_("Low"))
    unassessed = tables.Column(verbose_name=_("Not yet assessed"))
    total = tables.Column(verbose_name=_("Open cases"))

    class Meta:
        attrs = {"class": "caseload", "tabindex": "0"}
        order_by = ("-total",)
        empty_text = _("No open cases in the team.")


class OverdueTable(tables.Table):
    worker = tables.Column(verbose_name=_("Caseworker"))
    reference = tables.Column(verbose_name=_("Case"), order_by=("case__pk",))
    children = tables.Column(verbose_name=_("Children"))
    kind = tables.Column(verbose_name=_("What"))
    due = DateColumn(verbose_name=_("Was due"), format="SHORT_DATETIME_FORMAT")
    # Less late is a later due time: sorting by lateness is sorting by due time, reversed.
    late = tables.Column(verbose_name=_("How late"), order_by=("-due",))

    class Meta:
        attrs = {"class": "overdue-team", "tabindex": "0"}
        order_by = ("due",)
        empty_text = _("Nothing of the team is overdue.")

    def render_reference(self, record: OverdueRow) -> Any:
        return format_html('<a href="{}">{}</a>', record.case.get_absolute_url(), record.reference)

    def render_kind(self, value: str) -> str:
        return str(KINDS.get(value, value))

    def render_late(self, value: dt.timedelta) -> str:
        return how_late(value)
