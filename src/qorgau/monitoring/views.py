"""Monitoring pages: the dashboard, its exports, the import of official statistics."""

from typing import cast

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from qorgau.access import may_import_statistics, statistics_scope
from qorgau.accounts.roles import Perm
from qorgau.audit import log as audit
from qorgau.audit.models import Action, RecordKind
from qorgau.monitoring import boards, casedata, casework, changes, exports
from qorgau.monitoring.disclosure import threshold
from qorgau.monitoring.forms import DashboardFilterForm, StatsImportForm
from qorgau.monitoring.offences import group_codes, group_label
from qorgau.monitoring.regions import region_name
from qorgau.monitoring.selectors import imports, offence_years
from qorgau.monitoring.services import stats_import
from qorgau.monitoring.tables import FileUnreadable
from qorgau.pages import AuthedRequest, requires
from qorgau.pdf import pdf_of
from qorgau.replicas import replica_reads
from qorgau.surveys.selectors import latest_headline

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",  # DHIS2 dataValueSets: the offences and case-work tables
}


def _scope(request: AuthedRequest) -> str:
    scope = statistics_scope(request.user)
    if scope is None:
        raise Http404
    return scope


def _filters(request: AuthedRequest, scope: str) -> tuple[DashboardFilterForm, boards.Filters]:
    years = offence_years()
    initial = {"group": "especially_grave", "year_from": years[0] if years else None,
               "year_to": years[-1] if years else None}  # fmt: skip
    form = DashboardFilterForm(
        request.GET or None, years=years, national=scope == "", scope=scope, initial=initial
    )
    data = form.cleaned_data if form.is_valid() else {}
    first, last = (years[0], years[-1]) if years else (0, 0)
    filters = boards.Filters(
        group=data.get("group") or "especially_grave",
        year_from=data.get("year_from") or first,
        year_to=data.get("year_to") or last,
        region=data.get("region") or "",
    )
    return form, filters


def _dashboard_context(request: AuthedRequest) -> dict[str, object]:
    """Everything the dashboard shows, suppressed: the page and its PDF alike."""
    scope = _scope(request)
    form, filters = _filters(request, scope)
    board = (
        boards.build(scope=scope, filters=filters) if form.is_valid() or not form.is_bound else None
    )
    casework_table = casework.table(actor=request.user)
    labels = casework.column_labels()
    return {
        "form": form,
        "filters": filters,
        "board": board,
        "overview": casedata.overview(actor=request.user, filters=form.case_filters()),
        "casework": casework.panel(actor=request.user, casework=casework_table),
        "casework_header": [labels[c] for c in casework.TABLE_COLUMNS],
        "casework_rows": [
            (region_name(str(row[0])), row[1:])
            for row in (casework_table.rows if casework_table and scope == "" else [])
        ],
        # Staffing is the workforce app's (posts reported by the departments): one
        # source of the numbers, linked from here rather than counted twice.
        "sees_workforce": request.user.has_perm_code(Perm.WORKFORCE_VIEW),
        "survey": latest_headline(region_prefix=scope),
        "threshold": threshold(),
        "largest_hidden": threshold() - 1,
        "may_import": may_import_statistics(request.user),
        "query": request.GET.urlencode(),
        "group_labels": [group_label(g) for g in board.table.groups]
        if board and board.table
        else [],
    }


@requires(Perm.STATS_VIEW)
@replica_reads  # aggregates over the scope: seconds of replica lag do not matter
def dashboard_page(request: AuthedRequest) -> HttpResponse:
    return render(request, "monitoring/dashboard.html", _dashboard_context(request))


PDF_STYLESHEET = "monitoring/dashboard_pdf.css"


def _applied_filters(form: DashboardFilterForm) -> list[tuple[str, str]]:
    """(label, chosen value as shown) of each filter set: the PDF says what it shows."""
    if not form.is_bound or not form.is_valid():
        return []
    applied = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value in (None, ""):
            continue
        shown = str(value)
        for option, label in getattr(field, "choices", []):
            options = label if isinstance(label, list | tuple) else [(option, label)]
            for inner, inner_label in options:
                if str(inner) == str(value):
                    shown = str(inner_label)
        applied.append((str(field.label), shown))
    return applied


@requires(Perm.STATS_VIEW)
@replica_reads
def dashboard_pdf(request: AuthedRequest) -> HttpResponse:
    """The dashboard with its filters as PDF: the same suppressed charts (server-side
    SVG) and tables, laid out by WeasyPrint; logged as an export."""
    context = _dashboard_context(request)
    form = context["form"]
    if isinstance(form, DashboardFilterForm) and form.is_bound and not form.is_valid():
        return render(request, "monitoring/dashboard.html", context, status=400)
    context |= {
        "pdf": True,
        "printed_by": request.user,
        "printed_at": timezone.localtime(),
        "applied": _applied_filters(cast(DashboardFilterForm, form)),
    }
    html = render_to_string("monitoring/dashboard_pdf.html", context, request=request)
    content = pdf_of(html, stylesheet=PDF_STYLESHEET)
    filters = cast(boards.Filters, context["filters"])
    audit.record(
        actor=request.user,
        action=Action.EXPORT,
        kind=RecordKind.STATISTICS,
        reason=f"dashboard.pdf {request.GET.urlencode()}"[:200],
        result_count=1,
    )
    name = f"qorgau-statistics-{filters.year_from}-{filters.year_to}.pdf"
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _casework_year(request: AuthedRequest) -> int | None:
    """?year=YYYY for a calendar year of the case-work table; absent: this month and
    the eleven before, as on the dashboard."""
    value = request.GET.get("year", "")
    if not value:
        return None
    if not value.isdigit() or not 2000 <= int(value) <= timezone.localdate().year:
        raise BadExportRequest(
            _("year: %(value)s is not a year from 2000 to this year.") % {"value": value[:10]}
        )
    return int(value)


class BadExportRequest(Exception):
    pass


def _casework_rows(
    request: AuthedRequest, year: int | None
) -> tuple[list[str], list[list[object]]]:
    table = casework.table(actor=request.user, year=year)
    if table is None:
        raise Http404
    return table.header, table.rows


def _export_rows(
    table: str, scope: str, filters: boards.Filters
) -> tuple[list[str], list[list[object]]]:
    """The same suppressed figures the dashboard shows, as rows for a file."""
    if table == "offences":
        board = boards.build(scope=scope, filters=filters)
        if board is None or board.table is None:
            raise Http404
        header = ["region", *board.table.groups, "total"]
        rows = [r for r in board.table.rows() if scope == "" or r[0] == scope]
        return header, rows
    if table == "change":
        rows_c = changes.changes(filters.group, filters.year_from, filters.year_to)
        return list(changes.CHANGE_COLUMNS), [
            r.values() for r in rows_c if scope == "" or r.region == scope
        ]
    if table == "trend":
        rows_t = changes.trends(filters.group, filters.year_from, filters.year_to)
        return list(changes.TREND_COLUMNS), [
            r.values() for r in rows_t if scope == "" or r.region == scope
        ]
    raise Http404


@requires(Perm.STATS_VIEW)
@replica_reads
def export(request: AuthedRequest, table: str, fmt: str) -> HttpResponse:
    scope = _scope(request)
    if fmt not in CONTENT_TYPES:
        raise Http404
    form, filters = _filters(request, scope)
    if table == "casework":
        return _casework_export(request, fmt)
    if (form.is_bound and not form.is_valid()) or not filters.year_from:
        raise Http404
    header, rows = _export_rows(table, scope, filters)
    if fmt == "json":
        if table != "offences":
            raise Http404
        content = exports.dhis2_data_value_set(
            filters.year_to, [str(r[0]) for r in rows if r[0] != "total"], header[1:-1],
            [r[1:-1] for r in rows if r[0] != "total"],  # type: ignore[misc]
        )  # fmt: skip
    elif fmt == "csv":
        content = exports.csv_bytes(header, rows)
    else:
        content = exports.xlsx_bytes(header, rows, title=table)
    audit.record(
        actor=request.user,
        action=Action.EXPORT,
        kind=RecordKind.STATISTICS,
        reason=f"{table}.{fmt} {filters.group} {filters.year_from}-{filters.year_to}",
        result_count=len(rows),
    )
    name = f"qorgau-{table}-{filters.group}-{filters.year_from}-{filters.year_to}.{fmt}"
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _casework_export(request: AuthedRequest, fmt: str) -> HttpResponse:
    """The case-work table by region: CSV, XLSX or DHIS2 (a DHIS2 period is a calendar
    year: this year's to date unless ?year= says which)."""
    try:
        year = _casework_year(request)
    except BadExportRequest as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    if fmt == "json":
        year = year or timezone.localdate().year
    header, rows = _casework_rows(request, year)
    if fmt == "json":
        content = exports.dhis2_casework(cast(int, year), header, rows)
    elif fmt == "csv":
        content = exports.csv_bytes(header, rows)
    else:
        content = exports.xlsx_bytes(header, rows, title="casework")
    period = str(year) if year else "365d"
    audit.record(
        actor=request.user,
        action=Action.EXPORT,
        kind=RecordKind.STATISTICS,
        reason=f"casework.{fmt} {period}",
        result_count=len(rows),
    )
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="qorgau-casework-{period}.{fmt}"'
    return response


@requires(Perm.STATS_VIEW)
def import_page(request: AuthedRequest) -> HttpResponse:
    if not may_import_statistics(request.user):
        raise Http404
    outcome = None
    form = StatsImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            outcome = stats_import(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                file_name=upload.name,
                content=upload.read(),
                good_rows=form.cleaned_data["mode"] == "good_rows",
                dry_run=form.cleaned_data["dry_run"],
            )
        except FileUnreadable as exc:
            form.add_error("file", str(exc))
    status = (
        400
        if request.method == "POST" and (not form.is_valid() or (outcome and outcome.refused))
        else 200
    )
    context = {
        "form": form,
        "outcome": outcome,
        "dry_run": form.is_valid() and form.cleaned_data.get("dry_run"),
        "good_rows": form.is_valid() and form.cleaned_data.get("mode") == "good_rows",
        "imports": imports()[:20],
        "groups": group_codes(),
    }
    return render(request, "monitoring/import.html", context, status=status)
