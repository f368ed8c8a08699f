"""The referral lists (django-tables2, django-filter): a provider's inbox, on their home
page too, and a supervisor's office list. Paged by `qorgau.tables`."""

import django_filters
import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from qorgau.referrals.models import Referral
from qorgau.tables import DateColumn


class ReferralsFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Referral.Status.choices, empty_label=_("Any")
    )

    class Meta:
        model = Referral
        fields = ["status"]


class ReferralsTable(tables.Table):
    """What a provider's staff see of a referral: never the case."""

    reference = tables.Column(verbose_name=_("Referral"), order_by=("sent_at", "pk"))
    service = tables.Column(verbose_name=_("Service"), order_by=("service__code",))
    sent_at = DateColumn(verbose_name=_("Sent"), format="SHORT_DATE_FORMAT")
    accept_due_at = DateColumn(verbose_name=_("Answer due"), format="SHORT_DATETIME_FORMAT")
    status = tables.TemplateColumn(
        template_name="referrals/_status_cell.html", verbose_name=_("Status")
    )

    class Meta:
        attrs = {"tabindex": "0", "class": "referrals"}
        empty_text = _("No referrals.")
        row_attrs = {"class": lambda record: "overdue" if record.is_overdue else ""}

    def render_reference(self, record: Referral) -> SafeString:
        url = reverse("referral-detail", args=[record.pk])
        return format_html('<a href="{}">{}</a>', url, record.reference)


class OfficeReferralsTable(ReferralsTable):
    """A supervisor's list: the provider and the case too."""

    provider = tables.Column(verbose_name=_("Provider"), order_by=("provider__name",))
    case = tables.Column(verbose_name=_("Case"), order_by=("case__opened_at", "case__pk"))

    class Meta(ReferralsTable.Meta):
        empty_text = _("Nothing is waiting.")
        sequence = ("reference", "service", "provider", "case", "...")

    def render_case(self, record: Referral) -> SafeString:
        return format_html(
            '<a href="{}">{}</a>', record.case.get_absolute_url(), record.case.reference
        )
