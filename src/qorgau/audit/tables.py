"""The auditors' lists of the access log (django-tables2, django-filter): who opened a
record, what a user opened. Newest first, sortable by time, filtered by action and
period, paged by `qorgau.tables` without counting the log."""

import django_filters
import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from qorgau.audit.models import AccessLogEntry, Action
from qorgau.audit.page_names import page_name
from qorgau.tables import DateColumn


class AccessLogFilter(django_filters.FilterSet):
    action = django_filters.ChoiceFilter(
        label=_("Action"), choices=Action.choices, empty_label=_("Any")
    )

    class Meta:
        model = AccessLogEntry
        fields = ["action"]


class _LogTable(tables.Table):
    # By id, the order the entries were written in (the index the lists read by).
    at = DateColumn(verbose_name=_("Time"), format="SHORT_DATETIME_FORMAT", order_by=("id",))
    action = tables.Column(verbose_name=_("Action"), orderable=False)
    url_name = tables.Column(verbose_name=_("Page or endpoint"), orderable=False)
    channel = tables.Column(verbose_name=_("Channel"), orderable=False)
    ip = tables.Column(verbose_name=_("IP address"), orderable=False)
    result_count = tables.Column(verbose_name=_("Results"), orderable=False)
    reason = tables.Column(verbose_name=_("Reason"), orderable=False)

    class Meta:
        attrs = {"tabindex": "0", "class": "access-log"}
        empty_text = _("No accesses in this period.")

    def render_url_name(self, value: str) -> str:
        return page_name(value)

    def render_reason(self, record: AccessLogEntry) -> SafeString:
        # That there is a reason, never the reason: it may name a child.
        url = reverse("audit-entry-reason", args=[record.pk])
        return format_html('<a href="{}">{}</a>', url, _("Read the reason"))


class RecordLogTable(_LogTable):
    """Who opened one record."""

    actor_username = tables.Column(verbose_name=_("User"), orderable=False)

    class Meta(_LogTable.Meta):
        sequence = ("at", "actor_username", "...")

    def render_actor_username(self, value: str) -> SafeString:
        return format_html('<a href="{}">{}</a>', reverse("audit-user", args=[value]), value)


class UserLogTable(_LogTable):
    """What one user opened."""

    record = tables.Column(
        verbose_name=_("Record"), accessor="record_kind", orderable=False, empty_values=()
    )

    class Meta(_LogTable.Meta):
        sequence = ("at", "record", "...")

    def render_record(self, record: AccessLogEntry) -> SafeString:
        kind = record.get_record_kind_display()
        if not record.record_id:
            return format_html("{}", kind)
        url = reverse("audit-record", args=[record.record_kind, record.record_id])
        number = _("no. %(id)s") % {"id": record.record_id}
        return format_html('{} <a href="{}">{}</a>', kind, url, number)
