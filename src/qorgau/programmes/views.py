"""Pages: the programmes, a programme's dashboard and export, its measures, one
indicator by region, and the reporting forms of coordinators and schools."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from qorgau import access
from qorgau.accounts.roles import Perm
from qorgau.audit import log as audit
from qorgau.audit.models import Action, RecordKind
from qorgau.pages import AuthedRequest, add_service_errors, parse_id, requires
from qorgau.paging import page_of
from qorgau.pdf import pdf_of
from qorgau.places.models import Place
from qorgau.programmes import selectors, services
from qorgau.programmes.activity_file import activity_file_import
from qorgau.programmes.export import dashboard_xlsx
from qorgau.programmes.forms import (
    ActivityFileForm,
    ActivityForm,
    IndicatorValueForm,
    MeasureStatusForm,
    parse_quarter,
    quarter_choices,
)
from qorgau.programmes.models import Measure, Programme
from qorgau.programmes.periods import Quarter, last_due
from qorgau.programmes.statements import CHANGE_LABELS, TARGET_LABELS

ADAL_AZAMAT = "adal-azamat"
PDF_STYLESHEET = "programmes/dashboard_pdf.css"


def _region(request: AuthedRequest) -> Place | None:
    """The region asked for (?region=KATO), if the user may see it; a regional user's
    own region by default."""
    visible = access.programme_regions_visible_to(request.user)
    asked = request.GET.get("region", "")
    if asked:
        region = visible.filter(kato=asked).first()
        if region is None:
            raise Http404
        return region
    return None if access.national_scope(request.user) else visible.first()


def _board(request: AuthedRequest, code: str) -> selectors.Dashboard:
    programme = get_object_or_404(Programme, code=code)
    return selectors.dashboard(
        programme=programme,
        region=_region(request),
        national=access.national_scope(request.user),
        regions=access.programme_regions_visible_to(request.user),
        today=timezone.localdate(),
    )


@requires(Perm.PROGRAMME_VIEW)
def programme_list(request: AuthedRequest) -> HttpResponse:
    return render(request, "programmes/programme_list.html", {"programmes": selectors.programmes()})


@requires(Perm.PROGRAMME_VIEW)
def programme_dashboard(request: AuthedRequest, code: str) -> HttpResponse:
    board = _board(request, code)
    context = {
        "board": board,
        "regions": access.programme_regions_visible_to(request.user),
        "national": access.national_scope(request.user),
        "statuses": Measure.Status.choices,
        "target_labels": TARGET_LABELS,
        "change_labels": CHANGE_LABELS,
        "can_report": request.user.has_perm_code(Perm.PROGRAMME_REPORT),
    }
    return render(request, "programmes/dashboard.html", context)


def _exported(request: AuthedRequest, board: selectors.Dashboard, fmt: str) -> str:
    """Logs the export (aggregates, no records) and gives the file's name."""
    suffix = f"-{board.region.iso_code}" if board.region else ""
    name = f"{board.programme.code}{suffix}.{fmt}"
    audit.record(actor=request.user, action=Action.EXPORT, kind=RecordKind.STATISTICS, reason=name)
    return name


@requires(Perm.PROGRAMME_VIEW)
def programme_export(request: AuthedRequest, code: str) -> HttpResponse:
    board = _board(request, code)
    response = HttpResponse(
        dashboard_xlsx(board),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_exported(request, board, "xlsx")}"'
    return response


def _dashboard_pdf_html(request: AuthedRequest, board: selectors.Dashboard) -> str:
    context = {
        "board": board,
        "statuses": Measure.Status.choices,
        "target_labels": TARGET_LABELS,
        "change_labels": CHANGE_LABELS,
        "printed_by": request.user,
        "printed_at": timezone.localtime(),
    }
    return render_to_string("programmes/dashboard_pdf.html", context, request=request)


@requires(Perm.PROGRAMME_VIEW)
def programme_pdf(request: AuthedRequest, code: str) -> HttpResponse:
    """The dashboard's tables as PDF, laid out from the same template as the page."""
    board = _board(request, code)
    content = pdf_of(_dashboard_pdf_html(request, board), stylesheet=PDF_STYLESHEET)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_exported(request, board, "pdf")}"'
    return response


@requires(Perm.PROGRAMME_VIEW)
def programme_measures(request: AuthedRequest, code: str) -> HttpResponse:
    programme = get_object_or_404(Programme, code=code)
    today = timezone.localdate()
    measures = programme.measures.select_related("direction").prefetch_related("bodies")
    status = request.GET.get("status", "")
    if status in Measure.Status.values:
        measures = measures.filter(status=status)
    late = request.GET.get("late") == "1"
    if late:
        measures = selectors.late_measures(programme, today).filter(pk__in=measures.values("pk"))
    direction = parse_id(request.GET.get("direction"), maximum=99)
    if direction is not None:
        measures = measures.filter(direction__number=direction)
    context = {
        "programme": programme,
        "measures": page_of(measures.order_by("number"), request),
        "status": status,
        "late": late,
        "today": today,
        "statuses": Measure.Status.choices,
    }
    return render(request, "programmes/measures.html", context)


@requires(Perm.PROGRAMME_VIEW)
def programme_indicator(request: AuthedRequest, code: str, indicator: str) -> HttpResponse:
    programme = get_object_or_404(Programme, code=code)
    found = get_object_or_404(programme.indicators, code=indicator)
    regions = access.programme_regions_visible_to(request.user)
    rows = selectors.indicator_rows(programme, [None, *regions], timezone.localdate())
    rows = [r for r in rows if r.indicator.pk == found.pk]
    context = {
        "programme": programme,
        "indicator": found,
        "rows": rows,
        "target_labels": TARGET_LABELS,
        "change_labels": CHANGE_LABELS,
    }
    return render(request, "programmes/indicator.html", context)


def _quarter(request: AuthedRequest, programme: Programme) -> Quarter:
    today = timezone.localdate()
    asked = request.GET.get("quarter") or request.POST.get("quarter", "")
    if asked in dict(quarter_choices(programme.starts_on, today)):
        return parse_quarter(asked)
    return (
        last_due(today) if last_due(today).starts_on >= programme.starts_on else Quarter.of(today)
    )


@requires(Perm.PROGRAMME_REPORT)
def progress_report(request: AuthedRequest, code: str) -> HttpResponse:
    """A responsible body's status of each of its measures for a quarter."""
    programme = get_object_or_404(Programme, code=code)
    bodies = access.bodies_reportable_by(request.user).filter(measures__programme=programme)
    body_id = parse_id(request.GET.get("body"))
    body = access.access_body(request.user, body_id) if body_id else None
    quarter = _quarter(request, programme)
    context: dict[str, object] = {
        "programme": programme,
        "bodies": bodies.distinct(),
        "body": body,
        "quarter": quarter,
        "quarters": quarter_choices(programme.starts_on, timezone.localdate()),
    }
    if body is None:
        return render(request, "programmes/progress_report.html", context)
    measures = list(selectors.measures_of_body(body, programme))
    reported = selectors.reports_of(body, quarter)
    data = request.POST if request.method == "POST" else None
    rows = []
    for measure in measures:
        previous = reported.get(measure.pk)
        initial = {"status": previous.status if previous else measure.status}
        if previous:
            initial["comment"] = previous.comment
        rows.append(
            (measure, MeasureStatusForm(data, prefix=f"m{measure.number}", initial=initial))
        )
    if data is not None and all(form.is_valid() for _m, form in rows):
        try:
            for measure, form in rows:
                services.measure_report(
                    actor=request.user,
                    measure=measure,
                    body=body,
                    quarter=quarter,
                    status=form.cleaned_data["status"],
                    comment=form.cleaned_data["comment"],
                )
        except ValidationError as error:
            context["error"] = " ".join(error.messages)
        else:
            messages.success(
                request, _("The report for %(quarter)s is saved.") % {"quarter": quarter}
            )
            return redirect(
                f"{request.path}?body={body.pk}&quarter={quarter.year}-{quarter.quarter}"
            )
    context["rows"] = rows
    return render(request, "programmes/progress_report.html", context, status=400 if data else 200)


@requires(Perm.PROGRAMME_REPORT)
def indicator_value_report(request: AuthedRequest, code: str) -> HttpResponse:
    programme = get_object_or_404(Programme, code=code)
    today = timezone.localdate()
    form = IndicatorValueForm(
        request.POST or None,
        indicators=programme.indicators.filter(definition=""),
        regions=access.indicator_regions_reportable_by(request.user),
        national=access.national_scope(request.user),
        first=programme.starts_on,
        today=today,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_value_report(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The value is saved."))
            return redirect("programme-dashboard", code=programme.code)
    status = 400 if form.errors else 200
    context = {"programme": programme, "form": form}
    return render(request, "programmes/indicator_value_form.html", context, status=status)


def _adal_azamat() -> Programme:
    return get_object_or_404(Programme, code=ADAL_AZAMAT)


@requires(Perm.ACTIVITY_REPORT)
def activity_report(request: AuthedRequest) -> HttpResponse:
    """A school's Adal Azamat quarter: its own school, or one a coordinator chooses."""
    programme = _adal_azamat()
    schools = access.schools_reportable_by(request.user)
    school_id = parse_id(request.GET.get("school"))
    school = schools.filter(pk=school_id).first() if school_id else None
    if school_id and school is None:
        raise Http404
    own = request.user.organisation
    if school is None and own is not None and schools.filter(pk=own.pk).exists():
        school = own
    today = timezone.localdate()
    if school is None:
        context: dict[str, object] = {"schools": page_of(schools.select_related("place"), request)}
        return render(request, "programmes/activity_schools.html", context)
    form = ActivityForm(request.POST or None, first=programme.starts_on, today=today)
    if request.method == "POST" and form.is_valid():
        quarter = form.cleaned_data["quarter"]
        grades = [
            services.GradeActivity(
                grade=g,
                sessions_held=form.cleaned_data[f"sessions_{g}"] or 0,
                pupils_reached=form.cleaned_data[f"pupils_{g}"] or 0,
            )
            for g in ActivityForm.GRADES
            if form.cleaned_data[f"sessions_{g}"] is not None
            or form.cleaned_data[f"pupils_{g}"] is not None
        ]
        try:
            services.activity_report(
                actor=request.user, school=school, quarter=quarter, grades=grades
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The report for %(quarter)s is saved.") % {"quarter": quarter}
            )
            return redirect(request.get_full_path())
    context = {"form": form, "school": school}
    return render(
        request, "programmes/activity_form.html", context, status=400 if form.errors else 200
    )


@requires(Perm.ACTIVITY_REPORT)
def activity_upload(request: AuthedRequest) -> HttpResponse:
    """A district's Adal Azamat quarter from one XLSX file."""
    programme = _adal_azamat()
    schools = access.schools_reportable_by(request.user)
    form = ActivityFileForm(
        request.POST or None,
        request.FILES or None,
        first=programme.starts_on,
        today=timezone.localdate(),
    )
    result = None
    if request.method == "POST" and form.is_valid():
        result = activity_file_import(
            actor=request.user,
            source=form.cleaned_data["file"],
            quarter=form.cleaned_data["quarter"],
            schools=schools,
            keep_good=form.cleaned_data["keep_good"],
        )
    context = {
        "form": form,
        "result": result,
        "schools": page_of(schools.select_related("place"), request),
    }
    failed = form.errors or (result is not None and result.errors and not result.stored_rows)
    return render(
        request, "programmes/activity_upload.html", context, status=400 if failed else 200
    )


@requires(Perm.PROGRAMME_VIEW)
def schools_late(request: AuthedRequest) -> HttpResponse:
    """Schools of the user's scope without an Adal Azamat report for the last due quarter."""
    quarter = last_due(timezone.localdate())
    schools = access.schools_visible_to(request.user)
    late = page_of(selectors.schools_late(schools, quarter), request)
    return render(request, "programmes/schools_late.html", {"schools": late, "quarter": quarter})
