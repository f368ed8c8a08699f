from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from qorgau.access import (
    access_child,
    access_report,
    cases_visible_to,
    record_by_reference,
    reports_visible_to,
)
from qorgau.accounts.roles import Perm
from qorgau.cases.models import Case, Report, ReportChild
from qorgau.cases.references import parse_reference
from qorgau.cases.services.reports import report_link_child
from qorgau.children.models import Child
from qorgau.children.services import (
    EDITABLE_FIELDS,
    child_update,
    family_member_add,
    family_member_update,
)
from qorgau.linkage.selectors import active_merge_of, merges_into
from qorgau.linkage.services import LikelyDuplicates, child_register_checked, request_token
from qorgau.pages import AuthedRequest, add_service_errors, parse_id, requires
from qorgau.paging import page_number
from qorgau.search import SearchBy, child_search, open_cases_by_child
from qorgau.web.forms import (
    ChildEditForm,
    ChildRegisterForm,
    ChildSearchForm,
    FamilyMemberForm,
)


def _report_link(request: AuthedRequest) -> tuple[Report, ReportChild] | None:
    """The report child to link once found or registered (?report=..&link=..), if any."""
    report_id, link_id = parse_id(request.GET.get("report")), parse_id(request.GET.get("link"))
    if report_id is None or link_id is None:
        return None
    report = access_report(request.user, report_id)
    link = report.children.filter(pk=link_id, child__isnull=True).first()
    return (report, link) if link is not None else None


SEARCH_FORM_ID = "child-search-form"


def _numbered_record(request: AuthedRequest, form: ChildSearchForm) -> Case | Report | None:
    """The case or report whose number was typed, if the user may see it: the search
    lands on it. Not while a report's child is being looked for, which lists children."""
    if not form.is_valid() or form.cleaned_data["by"] != SearchBy.NAME:
        return None
    if "report" in request.GET:
        return None
    reference = parse_reference(form.cleaned_data["q"])
    return record_by_reference(request.user, reference) if reference is not None else None


@requires(Perm.CHILD_VIEW)
def child_search_page(request: AuthedRequest) -> HttpResponse:
    form = ChildSearchForm(request.GET or None)
    results = None
    # Sent (not being typed, when each keystroke searches): a number lands on its record.
    sent = not request.htmx or request.htmx.trigger == SEARCH_FORM_ID
    record = _numbered_record(request, form) if sent else None
    if record is not None and request.htmx:
        return HttpResponseClientRedirect(record.get_absolute_url())
    if record is not None:
        return redirect(record)
    if form.is_valid() and (form.cleaned_data["q"] or form.cleaned_data["birth_date"]):
        results = child_search(
            actor=request.user,
            text=form.cleaned_data["q"],
            birth_date=form.cleaned_data["birth_date"],
            by=form.cleaned_data["by"],
            page=page_number(request.GET.get("page")),
        ).linked_to(request)
    rows = []
    if results:
        open_cases = open_cases_by_child(actor=request.user, children=list(results))
        rows = [(child, open_cases[child.pk]) for child in results]
    context = {
        "form": form,
        "results": results,
        "rows": rows,
        "report_link": _report_link(request),
        "search_form_id": SEARCH_FORM_ID,
        "perms_register": request.user.has_perm_code(Perm.CHILD_REGISTER),
    }
    template = "web/_child_results.html" if request.htmx else "web/child_search.html"
    return render(request, template, context)


@requires(Perm.CHILD_REGISTER)
def child_new(request: AuthedRequest) -> HttpResponse:
    report_link = _report_link(request)
    initial = {}
    if report_link is not None:
        initial = {"place": report_link[0].place_id}
    form = ChildRegisterForm(request.POST or None, initial=initial)
    context: dict[str, object] = {"form": form, "report_link": report_link}
    if request.method == "POST" and form.is_valid():
        try:
            # One step: a child registered but not linked would be registered twice.
            with transaction.atomic():
                child = child_register_checked(
                    actor=request.user,
                    confirmed_new=request.POST.get("confirmed_new") == "1",
                    **form.cleaned_data,
                )
                if report_link is not None:
                    report_link_child(
                        actor=request.user, report=report_link[0], link=report_link[1], child=child
                    )
        except LikelyDuplicates as found:
            # The likely records first; those the user may not see only as "elsewhere".
            context["candidates"] = found.candidates
            context["same_iin"] = found.code == "same_iin"
            for candidate in found.candidates:
                if not candidate.visible:
                    candidate.token = request_token(actor=request.user, child=candidate.child)
            form.add_error(None, found.messages)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(child)s registered.") % {"child": child})
            return redirect(report_link[0] if report_link else child)
    return render(request, "web/child_form.html", context)


@requires(Perm.CHILD_REGISTER)
def child_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    child = access_child(request.user, pk)
    initial = {field: getattr(child, field) for field in EDITABLE_FIELDS}
    initial.update(place=child.place_id, school=child.school_id, version=child.version)
    form = ChildEditForm(request.POST or None, initial=initial, child_pk=child.pk)
    if request.method == "POST" and form.is_valid():
        changes = dict(form.cleaned_data)
        version = changes.pop("version")
        try:
            child = child_update(actor=request.user, child=child, version=version, **changes)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Record of %(child)s corrected.") % {"child": child})
            return redirect(child)
    return render(request, "web/child_form.html", {"form": form, "child": child})


@requires(Perm.CHILD_VIEW)
def child_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    child = access_child(request.user, pk)
    return _child_page(request, child, FamilyMemberForm())


def _child_page(
    request: AuthedRequest, child: Child, family_form: FamilyMemberForm, status: int = 200
) -> HttpResponse:
    """The child's page; with a family form that has errors, after a failed addition."""
    context = {
        "child": child,
        "family": child.family.all(),
        "cases": cases_visible_to(request.user).filter(children=child).select_related("worker"),
        "reports": reports_visible_to(request.user)
        .filter(children__child=child)
        .prefetch_related("concerns")
        .distinct(),
        "family_form": family_form,
        "merged_into": active_merge_of(child),
        "perms_merge": request.user.has_perm_code(Perm.CHILD_MERGE),
        "merges": merges_into(child) if request.user.has_perm_code(Perm.CHILD_MERGE) else [],
    }
    return render(request, "web/child_detail.html", context, status=status)


@requires(Perm.CHILD_REGISTER)
def family_member_edit(request: AuthedRequest, pk: int, member_pk: int) -> HttpResponse:
    child = access_child(request.user, pk)
    member = get_object_or_404(child.family, pk=member_pk)
    fields = FamilyMemberForm.base_fields
    form = FamilyMemberForm(
        request.POST or None, initial={name: getattr(member, name) for name in fields}
    )
    if request.method == "POST" and form.is_valid():
        try:
            family_member_update(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Family member corrected."))
            return redirect(child)
    return render(request, "web/family_member_form.html", {"form": form, "child": child})


@require_POST
@requires(Perm.CHILD_REGISTER)
def family_member_new(request: AuthedRequest, pk: int) -> HttpResponse:
    child = access_child(request.user, pk)
    form = FamilyMemberForm(request.POST)
    if form.is_valid():
        try:
            family_member_add(actor=request.user, child=child, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Family member added."))
            return redirect(child)
    return _child_page(request, child, form, status=400)
