"""Auditor pages (who opened a record, what a user opened) and record history pages.

Auditors see the log and which fields changed, by whom and when; never the file:
record kinds and numbers, staff user names, no child names and no values. A written
reason (emergency access, export) may name a child: the lists and the CSV say only
that there is one; reading it is a page of its own, after the password, and logged.
"""

import csv
from collections.abc import Callable, Iterator
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from qorgau.access import access_case, access_child
from qorgau.accounts.roles import Perm
from qorgau.accounts.views import recent_authentication_required
from qorgau.audit import log as audit
from qorgau.audit import selectors
from qorgau.audit.forms import ChildLookupForm, PeriodForm, RecordLookupForm, UserLookupForm
from qorgau.audit.history import Version, case_history, child_history
from qorgau.audit.lookup import children_lookup
from qorgau.audit.models import AccessLogEntry, Action, RecordKind
from qorgau.audit.tables import AccessLogFilter, RecordLogTable, UserLogTable
from qorgau.cases.models import Case
from qorgau.children.models import Child
from qorgau.pages import AuthedRequest, requires
from qorgau.paging import page_of
from qorgau.tables import table_of

PAGE_SIZE = 50
_LOOKABLE = {k.value for k in RecordKind if k != RecordKind.ACCESS_LOG}
Entries = Callable[..., QuerySet[AccessLogEntry]]
View = Callable[..., HttpResponseBase]


def _requires_any(*perms: Perm) -> Callable[[View], View]:
    """Log in first, then any one of `perms`; otherwise the same 404 as everywhere."""

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: AuthedRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not any(request.user.has_perm_code(p) for p in perms):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


@requires(Perm.AUDIT_VIEW)
def audit_search(request: AuthedRequest) -> HttpResponse:
    """Find the log of a child (name, IIN, case number), a record (kind, number), a user."""
    child_form = ChildLookupForm(request.GET if "child" in request.GET else None)
    record_form = RecordLookupForm(request.GET if "record_id" in request.GET else None)
    user_form = UserLookupForm(request.GET if "username" in request.GET else None)
    if record_form.is_valid():
        data = record_form.cleaned_data
        return redirect("audit-record", kind=data["kind"], pk=data["record_id"])
    if user_form.is_valid():
        return redirect("audit-user", username=user_form.cleaned_data["username"])
    children = None
    if child_form.is_valid():
        text = child_form.cleaned_data["child"]
        children = children_lookup(actor=request.user, text=text, request=request)
    context = {
        "child_form": child_form,
        "children": children,
        "record_form": record_form,
        "user_form": user_form,
    }
    return render(request, "audit/search.html", context)


def _period(request: AuthedRequest) -> tuple[PeriodForm, dict[str, Any]]:
    form = PeriodForm(request.GET or None)
    if form.is_valid():
        return form, {"since": form.cleaned_data["since"], "until": form.cleaned_data["until"]}
    return form, {}


def _log_page(
    request: AuthedRequest, entries: Entries, title: str, export_url: str, by_user: bool
) -> HttpResponse:
    form, period = _period(request)
    chosen, log = table_of(
        request,
        UserLogTable if by_user else RecordLogTable,
        entries(**period),
        prefix="page",
        filterset=AccessLogFilter,
        per_page=PAGE_SIZE,
    )
    # Reading the log is itself logged: the path says whose log it was.
    audit.record(actor=request.user, action=Action.VIEW, kind=RecordKind.ACCESS_LOG)
    period_only = {k: v for k, v in request.GET.items() if k in ("since", "until") and v}
    context = {
        "title": title,
        "form": form,
        "log_filter": chosen,
        "log": log,
        "export_url": f"{export_url}?{urlencode(period_only)}" if period_only else export_url,
    }
    return render(request, "audit/log.html", context)


def _csv_safe(value: object) -> str:
    """Spreadsheets run a cell that starts like a formula: make it text."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Echo:
    def write(self, value: str) -> str:
        return value


CSV_COLUMNS = (
    "seq",
    "at",
    "actor_id",
    "actor_username",
    "channel",
    "action",
    "record_kind",
    "record_id",
    "ip",
    "url_name",
    "path",
    "method",
    "reason_given",
    "query_hash",
    "result_count",
    "hash",
)


def _export(request: AuthedRequest, entries: Entries, filename: str) -> StreamingHttpResponse:
    _form, period = _period(request)
    rows = entries(**period)
    audit.record(
        actor=request.user,
        action=Action.EXPORT,
        kind=RecordKind.ACCESS_LOG,
        result_count=rows.count(),
    )
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield writer.writerow(CSV_COLUMNS)
        for entry in rows.iterator(chunk_size=2000):
            values = [getattr(entry, c, None) for c in CSV_COLUMNS]
            values[1] = entry.at.isoformat()
            values[CSV_COLUMNS.index("reason_given")] = "yes" if entry.reason else "no"
            yield writer.writerow([_csv_safe(v) for v in values])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _record_entries(kind: str, pk: int) -> Entries:
    if kind not in _LOOKABLE:
        raise Http404
    return lambda **period: selectors.accesses_to_record(kind=kind, record_id=pk, **period)


def _record_title(kind: str, pk: int) -> str:
    return _("Who opened %(kind)s no. %(id)s") % {"kind": RecordKind(kind).label, "id": pk}


@requires(Perm.AUDIT_VIEW)
def record_log(request: AuthedRequest, kind: str, pk: int) -> HttpResponse:
    entries = _record_entries(kind, pk)
    export_url = reverse("audit-record-export", kwargs={"kind": kind, "pk": pk})
    return _log_page(request, entries, _record_title(kind, pk), export_url, by_user=False)


@requires(Perm.AUDIT_VIEW)
def child_log(request: AuthedRequest, pk: int) -> HttpResponse:
    return record_log(request, RecordKind.CHILD.value, pk)


@_requires_any(Perm.AUDIT_VIEW)
def record_log_export(request: AuthedRequest, kind: str, pk: int) -> StreamingHttpResponse:
    return _export(request, _record_entries(kind, pk), f"access-{kind}-{pk}.csv")


def _user_entries(username: str) -> Entries:
    return lambda **period: selectors.accesses_by_user(username=username, **period)


@requires(Perm.AUDIT_VIEW)
def user_log(request: AuthedRequest, username: str) -> HttpResponse:
    title = _("What %(user)s opened") % {"user": username}
    export_url = reverse("audit-user-export", kwargs={"username": username})
    return _log_page(request, _user_entries(username), title, export_url, by_user=True)


@_requires_any(Perm.AUDIT_VIEW)
def user_log_export(request: AuthedRequest, username: str) -> StreamingHttpResponse:
    safe_name = "".join(c for c in username if c.isalnum() or c in "-_.") or "user"
    return _export(request, _user_entries(username), f"access-by-{safe_name}.csv")


@requires(Perm.AUDIT_VIEW)
@recent_authentication_required
def entry_reason(request: AuthedRequest, pk: int) -> HttpResponse:
    """The written reason of one entry, for the auditor who investigates that access."""
    entry = get_object_or_404(AccessLogEntry.objects.exclude(reason=""), pk=pk)
    audit.record(
        actor=request.user, action=Action.VIEW, kind=RecordKind.ACCESS_LOG, record_id=entry.pk
    )
    return render(request, "audit/entry_reason.html", {"entry": entry})


# Record history ------------------------------------------------------------------------


def _history_page(
    request: AuthedRequest, title: str, back: str | None, versions: list[Version], values: bool
) -> HttpResponse:
    page = page_of(versions, request, size=PAGE_SIZE)
    context = {"title": title, "back": back, "page": page, "show_values": values}
    return render(request, "audit/history.html", context)


def _auditor_opens(request: AuthedRequest, kind: RecordKind, pk: int, exists: bool) -> None:
    """An auditor reads any record's history, without values, and it is logged."""
    if not exists:
        raise Http404
    audit.record(actor=request.user, action=Action.VIEW, kind=kind, record_id=pk)


@_requires_any(Perm.CHILD_VIEW, Perm.AUDIT_VIEW)
def child_history_page(request: AuthedRequest, pk: int) -> HttpResponse:
    if request.user.has_perm_code(Perm.AUDIT_VIEW):
        exists = Child.history.filter(id=pk).exists()  # type: ignore[attr-defined]
        _auditor_opens(request, RecordKind.CHILD, pk, exists)
        title = _("History of child no. %(id)s") % {"id": pk}
        versions = child_history(child_id=pk, show_values=False)
        return _history_page(request, title, None, versions, values=False)
    child = access_child(request.user, pk)
    title = _("History of %(child)s") % {"child": child.full_name}
    versions = child_history(child_id=child.pk, show_values=True)
    return _history_page(request, title, child.get_absolute_url(), versions, values=True)


@_requires_any(Perm.CASE_VIEW, Perm.AUDIT_VIEW)
def case_history_page(request: AuthedRequest, pk: int) -> HttpResponse:
    if request.user.has_perm_code(Perm.AUDIT_VIEW):
        exists = Case.history.filter(id=pk).exists()  # type: ignore[attr-defined]
        _auditor_opens(request, RecordKind.CASE, pk, exists)
        title = _("History of case no. %(id)s") % {"id": pk}
        versions = case_history(case_id=pk, show_values=False)
        return _history_page(request, title, None, versions, values=False)
    case = access_case(request.user, pk)
    title = _("History of %(case)s") % {"case": case.reference}
    versions = case_history(case_id=case.pk, show_values=True)
    return _history_page(request, title, case.get_absolute_url(), versions, values=True)
