"""Lists as django-tables2 tables, filtered by django-filter, paged without counting.

Every list a page shows goes through `table_of`: its own prefix keeps it apart from the
other lists of the page (`?screen=2&screen-sort=received_at&screen-urgency=urgent`),
a filter that does not validate shows nothing rather than everything, the page size is
fixed (paging.PAGE_SIZE), and the paginator is django-tables2's LazyPaginator, which
reads the page and one row more (so it knows of a next page) and never runs a COUNT
over what the user may see.

Beside `pages.py`, below the page layers, so every app's views can use it.
"""

import datetime as dt
from collections.abc import Sequence
from typing import Any, TypeVar

import django_filters
import django_tables2 as tables
from django.core.paginator import EmptyPage
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template import Context
from django.template.base import render_value_in_context
from django.utils import formats, timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django_tables2 import RequestConfig
from django_tables2.columns import BoundColumn
from django_tables2.paginators import LazyPaginator

from qorgau import paging

T = TypeVar("T", bound=tables.Table)


class DateColumn(tables.Column):
    """A date or a moment (in the local time) in one of Django's formats, as the `date`
    filter writes it. Formatted here: django-tables2's DateColumn and DateTimeColumn
    compile a template for every cell, a tenth of the home page's time (issue 7)."""

    def __init__(self, *, format: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.format = format

    def render(self, value: Any) -> str:
        if isinstance(value, dt.datetime) and timezone.is_aware(value):
            value = timezone.localtime(value)  # as the filter shows a moment
        return date_format(value, self.format)


def table_of(
    request: HttpRequest,
    table_class: type[T],
    rows: QuerySet[Any] | Sequence[Any],
    *,
    prefix: str,
    filterset: type[django_filters.FilterSet] | None = None,
    per_page: int | None = None,
    **filter_kwargs: Any,
) -> tuple[django_filters.FilterSet | None, T]:
    """The list's filter (or None) and its table, sorted and paged from the request."""
    per_page = per_page or paging.PAGE_SIZE
    chosen = None
    if filterset is not None:
        if not isinstance(rows, QuerySet):
            raise TypeError("django-filter filters querysets, not lists")
        chosen = filterset(request.GET, queryset=rows, prefix=prefix, **filter_kwargs)
        rows = chosen.qs if chosen.is_valid() else rows.none()
    table = table_class(rows, page_field=prefix, order_by_field=f"{prefix}-sort")
    # The sort from the request; the page size is ours: RequestConfig would take any
    # ?per_page=100000 it is sent.
    RequestConfig(request, paginate=False).configure(table)
    number = paging.page_number(request.GET.get(prefix))
    try:
        table.paginate(paginator_class=LazyPaginator, per_page=per_page, page=number)
    except EmptyPage:  # past the last page: the first
        table.paginate(paginator_class=LazyPaginator, per_page=per_page, page=1)
    return chosen, table


def shown(table: tables.Table) -> list[Any]:
    """The records on the table's page (for the access log's count): no query of its own."""
    return [row.record for row in table.page.object_list]


def _cell_attrs_vary(column: BoundColumn) -> bool:
    """Whether a column's cell attributes are computed per record (a callable value)."""
    parts = [column.column.attrs.get(k, {}) for k in ("td", "cell")]
    parts += [column._table.attrs.get(k, {}) for k in ("td", "cell")]
    return any(callable(value) for part in parts for value in part.values())


def body_rows(table: tables.Table, context: Context) -> SafeString:
    """The rows of the table's page, as django-tables2's table.html writes them.

    Each cell is rendered by django-tables2 (its accessors, render_* methods, defaults);
    what is skipped is the template's work around it, once per cell: the column's
    attributes computed anew for every cell (a third of a list's time), the template's
    own loop and tests. Here the attributes are computed once per column, unless a
    column makes them from the record.
    """
    fixed = {c.name: c.attrs["td"].as_html() for c in table.columns if not _cell_attrs_vary(c)}
    rows = []
    for row in table.paginated_rows:
        cells = []
        for column, cell in row.items():
            attrs = fixed[column.name] if column.name in fixed else column.attrs["td"].as_html()
            if column.localize is not None:
                cell = formats.localize(cell, use_l10n=column.localize)
            shown = render_value_in_context(cell, context)
            cells.append(format_html("<td {}>{}</td>", attrs, shown))
        rows.append(format_html("<tr {}>{}</tr>", row.attrs.as_html(), SafeString("".join(cells))))
    if not rows and table.empty_text:
        rows.append(
            format_html('<tr><td colspan="{}">{}</td></tr>', len(table.columns), table.empty_text)
        )
    return SafeString("\n".join(rows))
