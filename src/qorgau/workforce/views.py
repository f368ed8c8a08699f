"""Pages: staffing against the norm by region, one region's organisations, and the
forms a department reports its posts and its specialists with."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qorgau import access
from qorgau.accounts.models import Organisation, User
from qorgau.accounts.roles import Perm
from qorgau.pages import AuthedRequest, add_service_errors, requires
from qorgau.paging import page_of
from qorgau.programmes.forms import parse_quarter, quarter_choices
from qorgau.programmes.periods import Quarter, last_due
from qorgau.workforce import selectors, services
from qorgau.workforce.forms import PostsRow, SpecialistChangeForm, SpecialistForm
from qorgau.workforce.models import Specialist, StaffingReport


def _regions(request: AuthedRequest):
    return access.programme_regions_visible_to(request.user, Perm.WORKFORCE_VIEW)


@requires(Perm.WORKFORCE_VIEW)
def workforce_overview(request: AuthedRequest) -> HttpResponse:
    period = selectors.latest_period()
    rows = selectors.staffing_by_region(_regions(request), period) if period else []
    context = {
        "rows": rows,
        "period": period,
        "below": sum(r.below_norm for r in rows),
        "population_year": selectors.population_year(period.year) if period else None,
        "can_report": request.user.has_perm_code(Perm.WORKFORCE_REPORT),
    }
    return render(request, "workforce/overview.html", context)


@requires(Perm.WORKFORCE_VIEW)
def workforce_region(request: AuthedRequest, kato: str) -> HttpResponse:
    region = _regions(request).filter(kato=kato).first()
    if region is None:
        raise Http404
    period = selectors.latest_period()
    summary = (
        selectors.staffing_by_region(_regions(request).filter(pk=region.pk), period)
        if period
        else []
    )
    organisations = page_of(selectors.organisations_of(region), request, param="orgs")
    history = selectors.history_of(list(organisations))
    context = {
        "region": region,
        "period": period,
        "summary": summary[0] if summary else None,
        "organisations": organisations,
        "history": [(o, history.get(o.pk, [])) for o in organisations],
        "specialists": page_of(selectors.specialists_of(region), request, param="people"),
    }
    return render(request, "workforce/region.html", context)


# Reporting: a department's posts per quarter and its specialists -----------------------

FIRST_QUARTER = Quarter(2025, 1)  # the first quarter staffing was reported for


def _quarter(request: AuthedRequest) -> tuple[Quarter, list[tuple[str, str]]]:
    choices = quarter_choices(FIRST_QUARTER.starts_on, timezone.localdate())
    asked = request.GET.get("quarter", "")
    if asked in dict(choices):
        return parse_quarter(asked), choices
    return last_due(timezone.localdate()), choices


@requires(Perm.WORKFORCE_REPORT)
def posts_report(request: AuthedRequest) -> HttpResponse:
    """The quarter's posts of the departments the user reports for, one row each; a bad
    row is named and nothing is stored."""
    quarter, quarters = _quarter(request)
    organisations = page_of(
        access.staffing_organisations_reportable_by(request.user)
        .select_related("place")
        .order_by("place__kato", "name"),
        request,
    )
    reported = {
        r.organisation_id: r
        for r in StaffingReport.objects.filter(
            organisation__in=list(organisations), year=quarter.year, quarter=quarter.quarter
        )
    }
    data = request.POST if request.method == "POST" else None
    rows = []
    for organisation in organisations:
        previous = reported.get(organisation.pk)
        initial = {"approved": previous.approved, "filled": previous.filled} if previous else {}
        rows.append((organisation, PostsRow(data, prefix=f"o{organisation.pk}", initial=initial)))
    error = ""
    if data is not None:
        bad = [(o, form) for o, form in rows if not form.is_valid()]
        if not bad:
            try:
                services.report_posts(
                    actor=request.user,
                    quarter=quarter,
                    rows=[
                        services.Posts(
                            o, form.cleaned_data["approved"], form.cleaned_data["filled"]
                        )
                        for o, form in rows
                        if form.reported
                    ],
                )
            except ValidationError as refused:
                error = " ".join(refused.messages)
            else:
                messages.success(
                    request, _("The posts for %(quarter)s are saved.") % {"quarter": quarter}
                )
                return redirect(request.get_full_path())
        else:
            error = ngettext(
                "%(n)s row has errors; nothing was saved.",
                "%(n)s rows have errors; nothing was saved.",
                len(bad),
            ) % {"n": len(bad)}
    context = {
        "quarter": quarter,
        "quarters": quarters,
        "rows": rows,
        "organisations": organisations,
        "error": error,
    }
    return render(request, "workforce/posts_report.html", context, status=400 if data else 200)


def _accounts(organisation: Organisation) -> QuerySet[User]:
    return User.objects.filter(organisation=organisation, is_active=True).order_by("username")


@requires(Perm.WORKFORCE_REPORT)
def specialists(request: AuthedRequest, pk: int) -> HttpResponse:
    """A department's specialists, and a form to add one."""
    organisation = access.access_staffed_organisation(request.user, pk)
    form = SpecialistForm(request.POST or None, accounts=_accounts(organisation))
    if request.method == "POST" and form.is_valid():
        try:
            services.specialist_add(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as refused:
            add_service_errors(form, refused)
        else:
            messages.success(request, _("The specialist is added."))
            return redirect("workforce-specialists", pk=organisation.pk)
    people = Specialist.objects.filter(organisation=organisation).select_related("user")
    context = {
        "organisation": organisation,
        "form": form,
        "specialists": page_of(people.order_by("left_on", "full_name"), request),
    }
    return render(
        request, "workforce/specialists.html", context, status=400 if form.errors else 200
    )


@requires(Perm.WORKFORCE_REPORT)
def specialist_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Link a specialist to a Qorgau account, change the position, record the leaving."""
    specialist = access.access_specialist(request.user, pk)
    initial = {
        "position": specialist.position,
        "user": specialist.user,
        "left_on": specialist.left_on,
    }
    form = SpecialistChangeForm(
        request.POST or None, initial=initial, accounts=_accounts(specialist.organisation)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.specialist_change(
                actor=request.user, specialist=specialist, **form.cleaned_data
            )
        except ValidationError as refused:
            add_service_errors(form, refused)
        else:
            messages.success(request, _("The specialist is saved."))
            return redirect("workforce-specialists", pk=specialist.organisation_id)
    context = {
        "specialist": specialist,
        "form": form,
        "history": specialist.history.select_related("history_user")[:20],
    }
    return render(
        request, "workforce/specialist_edit.html", context, status=400 if form.errors else 200
    )
