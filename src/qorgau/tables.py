"""Lists as django-tables2 tables, filtered by django-filter, paged without counting.

Every list a page shows goes through `table_of`: its own prefix keeps it apart from the
other lists of the page (`?screen=2&screen-sort=received_at&screen-urgency=urgent`),
a filter that does not validate shows nothing rather than everything, the page size is
fixed (paging.PAGE_SIZE), and the paginator is django-tables2's LazyPaginator, which
reads the page and one row more (so it knows of a next page) and never runs a COUNT
over what the user may see.

Beside `pages.py`, below the page layers, so every app's views can use it.
"""

from collections.abc import Sequence
from typing import Any, TypeVar

import django_filters
import django_tables2 as tables
from django.core.paginator import EmptyPage
from django.db.models import QuerySet
from django.http import HttpRequest
from django_tables2 import RequestConfig
from django_tables2.paginators import LazyPaginator

from qorgau import paging

T = TypeVar("T", bound=tables.Table)


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
