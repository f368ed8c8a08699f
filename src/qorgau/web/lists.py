"""The home page's case list as a django-tables2 table with a django-filter filter:
sortable by its columns, filtered by risk level and status, paged lazily (no COUNT)."""

from typing import Any

import django_filters
import django_tables2 as tables
from django.db.models import QuerySet
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django_tables2 import RequestConfig
from django_tables2.paginators import LazyPaginator

from qorgau import paging
from qorgau.cases.choices import RiskLevel
from qorgau.cases.models import Case
from qorgau.pages import AuthedRequest

# Its parameters beside the other lists of the page:
# ?cases=2 &cases-sort=opened_at &cases-risk_level=high
PAGE_PARAM = "cases"


class MyCasesFilter(django_filters.FilterSet):
    risk_level = django_filters.ChoiceFilter(
        label=_("Risk level"), choices=RiskLevel.choices, empty_label=_("Any")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[c for c in Case.Status.choices if c[0] != Case.Status.CLOSED],
        empty_label=_("Any"),
    )

    class Meta:
        model = Case
        fields = ["risk_level", "status"]


class MyCasesTable(tables.Table):
    reference = tables.Column(verbose_name=_("Case"), order_by=("opened_at", "pk"))
    children = tables.Column(verbose_name=_("Children"), orderable=False, empty_values=())
    risk_level = tables.Column(verbose_name=_("Risk level"), order_by=("risk_rank",))
    status = tables.Column(verbose_name=_("Status"))
    opened_at = tables.DateColumn(verbose_name=_("Opened"), format="SHORT_DATE_FORMAT")

    class Meta:
        attrs = {"tabindex": "0"}
        empty_text = _("You have no open cases.")
        page_field = PAGE_PARAM
        order_by_field = f"{PAGE_PARAM}-sort"

    def render_reference(self, record: Case) -> SafeString:
        link = format_html('<a href="{}">{}</a>', record.get_absolute_url(), record.reference)
        if record.restricted:
            return format_html('{} <span class="tag">{}</span>', link, _("restricted"))
        return link

    def render_children(self, record: Case) -> SafeString:
        return format_html_join("; ", "{}", ((c.full_name,) for c in record.children.all()))

    def render_risk_level(self, record: Case) -> SafeString:
        return format_html(
            '<span class="risk risk-{}">{}</span>',
            record.risk_level,
            record.get_risk_level_display(),
        )


def my_cases_list(
    request: AuthedRequest, cases: QuerySet[Case]
) -> tuple[MyCasesFilter, MyCasesTable]:
    chosen = MyCasesFilter(request.GET, queryset=cases, prefix=PAGE_PARAM)
    table = MyCasesTable(chosen.qs if chosen.is_valid() else cases.none())
    paginate: dict[str, Any] = {"per_page": paging.PAGE_SIZE, "paginator_class": LazyPaginator}
    RequestConfig(request, paginate=paginate).configure(table)
    return chosen, table
