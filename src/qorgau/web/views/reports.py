from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qorgau import limits
from qorgau.access import access_child, access_report
from qorgau.accounts.roles import Perm
from qorgau.audit import log as audit
from qorgau.audit.models import RecordKind
from qorgau.cases.models import Report, ScreenOutReview
from qorgau.cases.screening import Step, allowed_steps, refusal
from qorgau.cases.selectors import open_cases_of_report_children, screened_out_to_review
from qorgau.cases.services.reports import (
    DescribedChild,
    report_create,
    report_link_child,
    report_screen_in,
    report_screen_out,
    report_screen_out_review,
)
from qorgau.cases.workflow import TransitionError
from qorgau.pages import AuthedRequest, add_service_errors, parse_id, requires
from qorgau.tables import shown, table_of
from qorgau.web.forms import (
    BaseReportChildFormSet,
    ChildSearchForm,
    ReportChildFormSet,
    ReportForm,
    ScreenInForm,
    ScreenOutForm,
    ScreenOutReviewForm,
)
from qorgau.web.lists import ScreenOutReviewsFilter, ScreenOutReviewsTable

CHILDREN_PREFIX = "children"


def _typed(form_class: type[forms.Form], data: QueryDict) -> dict[str, Any]:
    """What was typed into a form, as the initial values of an unchecked copy of it."""
    return {
        name: data.getlist(name) if isinstance(field, forms.MultipleChoiceField) else data.get(name)
        for name, field in form_class.base_fields.items()
        if name in data
    }


def _report_page(
    request: AuthedRequest, form: ReportForm, children: BaseReportChildFormSet
) -> HttpResponse:
    context = {"form": form, "children": children, "max_children": limits.CHILDREN_PER_REPORT}
    if request.htmx and request.htmx.target == "report-children":
        return render(request, "web/_report_children.html", context)
    return render(request, "web/report_form.html", context)


def _children_changed(request: AuthedRequest) -> HttpResponse:
    """Add a child box or remove one, keeping everything typed and checking nothing yet.

    The buttons are plain submit buttons, so this works without JavaScript too; with
    HTMX only the children's part of the page is replaced.
    """
    bound = ReportChildFormSet(request.POST, prefix=CHILDREN_PREFIX)
    typed = [str(child["description"].value() or "") for child in bound.forms]
    removed = parse_id(request.POST.get("remove_child"), minimum=0)
    if removed is not None and removed < len(typed):
        typed.pop(removed)
    elif "add_child" in request.POST and len(typed) < limits.CHILDREN_PER_REPORT:
        typed.append("")
    children = ReportChildFormSet(
        prefix=CHILDREN_PREFIX, initial=[{"description": d} for d in typed]
    )
    return _report_page(request, ReportForm(initial=_typed(ReportForm, request.POST)), children)


@requires(Perm.REPORT_CREATE)
def report_new(request: AuthedRequest) -> HttpResponse:
    if request.method != "POST":
        return _report_page(request, ReportForm(), ReportChildFormSet(prefix=CHILDREN_PREFIX))
    if "add_child" in request.POST or "remove_child" in request.POST:
        return _children_changed(request)
    form = ReportForm(request.POST)
    children = ReportChildFormSet(request.POST, prefix=CHILDREN_PREFIX)
    # Both checked, so that every mistake shows at once.
    form_valid, children_valid = form.is_valid(), children.is_valid()
    if form_valid and children_valid:
        data = form.cleaned_data
        try:
            report = report_create(
                actor=request.user,
                reporter_type=data["reporter_type"],
                reporter_name=data["reporter_name"],
                reporter_contact=data["reporter_contact"],
                place=data["place"],
                incident_address=data["incident_address"],
                incident_date=data["incident_date"],
                narrative=data["narrative"],
                urgency=data["urgency"],
                concerns=data["concerns"],
                children=[DescribedChild(description=d) for d in children.descriptions()],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Report %(ref)s recorded.") % {"ref": report.reference})
            return redirect(report)
    return _report_page(request, form, children)


@login_required
def report_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    report = access_report(request.user, pk)
    if not request.user.has_perm_code(Perm.REPORT_SCREEN):
        # Reporters follow the status of what they reported; they do not read the case.
        return render(request, "web/report_status.html", {"report": report})
    return _screening_page(request, report)


def _screening_page(
    request: AuthedRequest,
    report: Report,
    *,
    screen_in_form: ScreenInForm | None = None,
    screen_out_form: ScreenOutForm | None = None,
    refused: TransitionError | None = None,
    status: int = 200,
) -> HttpResponse:
    """The report page offers exactly the screening steps screening.py allows now."""
    allowed = allowed_steps(request.user, report)
    context: dict[str, object] = {
        "report": report,
        "search_form": ChildSearchForm(),
        "can_link": Step.LINK_CHILD in allowed,
    }
    if Step.SCREEN_IN in allowed:
        open_cases = list(open_cases_of_report_children(actor=request.user, report=report))
        context["screen_in_form"] = (
            screen_in_form
            if screen_in_form is not None
            else ScreenInForm(actor=request.user, open_cases=open_cases)
        )
    elif Step.SCREEN_OUT in allowed:
        # Screening in waits for a step the screener can take on this page: say which.
        context["screen_in_refusal"] = refusal(request.user, report, Step.SCREEN_IN)
    if Step.SCREEN_OUT in allowed:
        context["screen_out_form"] = (
            screen_out_form if screen_out_form is not None else ScreenOutForm()
        )
    if refused is not None:
        context["refused"] = " ".join(refused.messages)
    return render(request, "web/report_detail.html", context, status=status)


@require_POST
@requires(Perm.REPORT_SCREEN)
def report_link(request: AuthedRequest, pk: int) -> HttpResponse:
    report = access_report(request.user, pk)
    link_id, child_id = parse_id(request.POST.get("link")), parse_id(request.POST.get("child"))
    if link_id is None or child_id is None:
        raise Http404
    link = get_object_or_404(report.children, pk=link_id)
    child = access_child(request.user, child_id)
    try:
        report_link_child(actor=request.user, report=report, link=link, child=child)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(child)s linked to the report.") % {"child": child})
    return redirect(report)


@require_POST
@requires(Perm.REPORT_SCREEN)
def report_screen(request: AuthedRequest, pk: int) -> HttpResponse:
    """Screen a report in (opening or joining a case) or out (with a reason)."""
    report = access_report(request.user, pk)
    screen_in = request.POST.get("decision") == "in"
    refused = refusal(request.user, report, Step.SCREEN_IN if screen_in else Step.SCREEN_OUT)
    if refused is not None:
        return _screening_page(request, report, refused=refused, status=400)
    form: ScreenInForm | ScreenOutForm
    if screen_in:
        open_cases = list(open_cases_of_report_children(actor=request.user, report=report))
        form = ScreenInForm(request.POST, actor=request.user, open_cases=open_cases)
    else:
        form = ScreenOutForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if isinstance(form, ScreenInForm):
                join = next((c for c in open_cases if str(c.pk) == data["join_case"]), None)
                case = report_screen_in(
                    actor=request.user,
                    report=report,
                    worker=data["worker"],
                    join_case=join,
                    note=data["note"],
                )
                messages.success(request, _("Report screened in: %(case)s.") % {"case": case})
                return redirect(case)
            report_screen_out(
                actor=request.user, report=report, reason=data["reason"], note=data["note"]
            )
            messages.success(request, _("Report screened out."))
            return redirect("my-work")
        except TransitionError as error:
            # Refused on the locked row: someone else screened it a moment ago.
            report.refresh_from_db()
            return _screening_page(request, report, refused=error, status=400)
        except ValidationError as error:
            add_service_errors(form, error)
    if isinstance(form, ScreenInForm):
        return _screening_page(request, report, screen_in_form=form, status=400)
    return _screening_page(request, report, screen_out_form=form, status=400)


@requires(Perm.CASE_APPROVE)
def screen_out_reviews(request: AuthedRequest) -> HttpResponse:
    """The supervisors' list of screened-out reports drawn for review."""
    chosen, reports = table_of(
        request,
        ScreenOutReviewsTable,
        screened_out_to_review(actor=request.user),
        prefix="reviews",
        filterset=ScreenOutReviewsFilter,
    )
    audit.record_list(actor=request.user, kind=RecordKind.REPORT, count=len(shown(reports)))
    return render(
        request, "web/screen_out_reviews.html", {"reports": reports, "review_filter": chosen}
    )


@requires(Perm.CASE_APPROVE)
def screen_out_review(request: AuthedRequest, pk: int) -> HttpResponse:
    """Uphold a screening out, or send the report back to screening."""
    report = access_report(request.user, pk)
    waiting = report.review == ScreenOutReview.PENDING and report.screened_by_id != request.user.pk
    form = ScreenOutReviewForm(request.POST or None) if waiting else None
    if request.method == "POST" and form is None:
        messages.error(request, _("This report is not waiting for your review."))
        return redirect(report)
    if form is not None and form.is_bound:
        if form.is_valid():
            try:
                report_screen_out_review(
                    actor=request.user,
                    report=report,
                    uphold=form.cleaned_data["decision"] == "uphold",
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Review saved."))
                return redirect("screen-out-reviews")
        status = 400
    else:
        status = 200
    context = {"report": report, "form": form}
    return render(request, "web/screen_out_review.html", context, status=status)
