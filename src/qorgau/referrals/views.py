"""Pages of the service directory and of referrals. Thin: gate, form, service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from qorgau.access import access_case, access_referral, referral_indicator_scope
from qorgau.accounts.roles import Perm, Role
from qorgau.audit import log as audit
from qorgau.audit.models import RecordKind
from qorgau.cases.models import Case
from qorgau.cases.workflow import Action, open_plan_actions, refusal
from qorgau.pages import AuthedRequest, add_service_errors, parse_id, requires
from qorgau.paging import page_of
from qorgau.referrals import boards, selectors
from qorgau.referrals.coverage import place_and_above
from qorgau.referrals.forms import (
    DeclineForm,
    DirectorySearchForm,
    HousingNeedForm,
    HousingResolveForm,
    IndicatorFilterForm,
    OutcomeForm,
    ProviderForm,
    ReferralForm,
    SessionForm,
    WithdrawForm,
)
from qorgau.referrals.models import HousingNeed, Provider, Referral, ServiceType
from qorgau.referrals.services import (
    Consent,
    Shared,
    housing_need_record,
    housing_need_resolve,
    provider_update,
    referral_answer,
    referral_close,
    referral_send,
    referral_session_record,
    referral_withdraw,
)
from qorgau.referrals.tables import OfficeReferralsTable, ReferralsFilter, ReferralsTable
from qorgau.replicas import replica_reads
from qorgau.tables import shown, table_of


@requires(Perm.CASE_WORK)
def provider_directory(request: AuthedRequest) -> HttpResponse:
    form = DirectorySearchForm(request.GET or None)
    found = selectors.directory_search()
    if form.is_valid():
        found = selectors.directory_search(**form.cleaned_data)
    return render(
        request,
        "referrals/directory.html",
        {
            "form": form,
            "providers": page_of(found, request),
            "maintained": set(
                selectors.providers_maintained_by(actor=request.user).values_list("pk", flat=True)
            ),
        },
    )


@requires(Perm.DIRECTORY_MAINTAIN)
def provider_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    provider = get_object_or_404(selectors.providers_maintained_by(actor=request.user), pk=pk)
    form = ProviderForm(request.POST or None, instance=provider)
    if request.method == "POST" and form.is_valid():
        try:
            provider_update(actor=request.user, provider=provider, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The directory entry is saved."))
            return redirect("provider-directory")
    return render(request, "referrals/provider_form.html", {"form": form, "provider": provider})


def _providers_for(case: Case, service: ServiceType | None) -> QuerySet[Provider]:
    places: set[int] = set()
    for child in case.children.select_related("place__parent__parent__parent"):
        places.update(place_and_above(child.place))
    providers = Provider.objects.filter(active=True, coverage__in=places)
    if service is not None:
        providers = providers.filter(services=service)
    return (
        providers.distinct()
        .select_related("organisation__place")
        .prefetch_related("services")
        .order_by("waiting_days", "organisation__name")
    )


@requires(Perm.CASE_WORK)
def referral_new(request: AuthedRequest, pk: int) -> HttpResponse:
    case = access_case(request.user, pk)
    reason = refusal(request.user, case, Action.VISIT)
    if reason is not None:
        messages.error(request, reason)
        return redirect(case)
    data = request.POST if request.method == "POST" else None
    open_needs = case.housing_needs.filter(status=HousingNeed.Status.OPEN)
    housing_id = parse_id(request.GET.get("housing"))
    need = open_needs.filter(pk=housing_id).first() if housing_id else None
    # From a housing need: the akimat's housing support, the child and the reason filled.
    initial: dict[str, object] = (
        selectors.housing_referral_initial(need=need) if need is not None else {}
    )
    service_id = parse_id((data or request.GET).get("service"))
    service = (
        ServiceType.objects.filter(pk=service_id).first() if service_id else initial.get("service")
    )
    initial.update(contact=str(request.user), service=service)
    action_id = parse_id(request.GET.get("action"))
    if action_id is not None:
        initial["plan_action"] = action_id
    form = ReferralForm(
        data,
        initial=initial,
        children=case.children.all(),
        providers=_providers_for(case, service if isinstance(service, ServiceType) else None),
        plan_actions=open_plan_actions(case),
        housing_needs=open_needs.select_related("child"),
    )
    if data is not None and form.is_valid():
        d = form.cleaned_data
        try:
            referral = referral_send(
                actor=request.user,
                case=case,
                child=d["child"],
                service=d["service"],
                provider=d["provider"],
                plan_action=d["plan_action"],
                housing_need=d.get("housing_need"),
                consent=Consent(
                    basis=d["consent_basis"],
                    child=d["child_consent"],
                    caregiver=d["caregiver_consent"],
                    legal_ground=d["legal_ground"],
                ),
                shared=Shared(
                    reason=d["reason"],
                    name=d["share_name"],
                    age=d["share_age"],
                    contact=d["contact"],
                    note=d["note"],
                ),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Referral %(ref)s sent.") % {"ref": referral.reference})
            return redirect(case)
    return render(
        request,
        "referrals/referral_form.html",
        {
            "case": case,
            "form": form,
            "service": service,
            "services": ServiceType.objects.all(),
            "action_id": action_id,
            "housing_id": need.pk if need is not None else None,
        },
        status=400 if form.errors else 200,
    )


@login_required  # providers and case staff alike: the gate decides
def referral_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    referral = access_referral(request.user, pk)
    is_provider = request.user.role == Role.SERVICE_PROVIDER
    context: dict[str, object] = {
        "referral": referral,
        "is_provider": is_provider,
        "sessions": referral.sessions.all(),
    }
    if is_provider:
        context.update(
            decline_form=DeclineForm(), session_form=SessionForm(), outcome_form=OutcomeForm()
        )
    elif _may_withdraw(request, referral):
        context["withdraw_form"] = WithdrawForm()
    return render(request, "referrals/referral_detail.html", context)


def _may_withdraw(request: AuthedRequest, referral: Referral) -> bool:
    return (
        referral.status in (Referral.Status.SENT, Referral.Status.ACCEPTED)
        and request.user.has_perm_code(Perm.CASE_WORK)
        and refusal(request.user, referral.case, Action.VISIT) is None
    )


@require_POST
@requires(Perm.CASE_WORK)
def referral_withdraw_view(request: AuthedRequest, pk: int) -> HttpResponse:
    referral = access_referral(request.user, pk)
    form = WithdrawForm(request.POST)
    try:
        if not form.is_valid():
            label = form.fields["reason"].label
            raise ValidationError([f"{label}: {e}" for e in form.errors["reason"]])
        referral_withdraw(actor=request.user, referral=referral, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("referral-detail", pk=referral.pk)
    messages.success(request, _("Referral %(ref)s withdrawn.") % {"ref": referral.reference})
    return redirect(referral.case)


_STEPS = {"accept", "decline", "session", "outcome"}


@require_POST
@requires(Perm.REFERRAL_RESPOND)
def referral_step(request: AuthedRequest, pk: int, step: str) -> HttpResponse:
    if step not in _STEPS:
        raise Http404
    referral = access_referral(request.user, pk)
    try:
        _take_step(request, referral, step)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Saved."))
    return redirect("referral-detail", pk=referral.pk)


def _take_step(request: AuthedRequest, referral: Referral, step: str) -> None:
    user = request.user
    if step == "accept":
        referral_answer(actor=user, referral=referral, accept=True)
        return
    form_class = {"decline": DeclineForm, "session": SessionForm, "outcome": OutcomeForm}[step]
    form = form_class(request.POST)
    if not form.is_valid():
        raise ValidationError(
            [
                f"{form.fields[name].label}: {' '.join(str(e) for e in errors)}"
                for name, errors in form.errors.items()
            ]
        )
    d = form.cleaned_data
    if step == "decline":
        referral_answer(actor=user, referral=referral, accept=False, reason=d["reason"])
    elif step == "session":
        referral_session_record(actor=user, referral=referral, **d)
    else:
        referral_close(actor=user, referral=referral, **d)


@requires(Perm.REFERRAL_RESPOND)
def referral_inbox(request: AuthedRequest) -> HttpResponse:
    everything = request.GET.get("all") == "1"
    chosen, referrals = table_of(
        request,
        ReferralsTable,
        selectors.provider_inbox(actor=request.user, open_only=not everything),
        prefix="referrals",
        filterset=ReferralsFilter,
    )
    audit.record_list(actor=request.user, kind=RecordKind.REFERRAL, count=len(shown(referrals)))
    context = {"referrals": referrals, "referral_filter": chosen, "everything": everything}
    return render(request, "referrals/inbox.html", context)


@requires(Perm.CASE_APPROVE)
def referral_office(request: AuthedRequest) -> HttpResponse:
    chosen, referrals = table_of(
        request,
        OfficeReferralsTable,
        selectors.office_referrals(actor=request.user),
        prefix="referrals",
        filterset=ReferralsFilter,
    )
    audit.record_list(actor=request.user, kind=RecordKind.REFERRAL, count=len(shown(referrals)))
    context = {"referrals": referrals, "referral_filter": chosen}
    return render(request, "referrals/office.html", context)


# Housing needs on a case ----------------------------------------------------------------


def _housing_page(
    request: AuthedRequest, case: Case, template: str, context: dict[str, object], status: int
) -> HttpResponse:
    """The form alone for HTMX (swapped into the case page), else its own page."""
    context = {"case": case, **context}
    if request.htmx:
        # htmx swaps a 200 only: the errors come back in the form it replaces.
        return render(request, f"referrals/_{template}", context)
    return render(request, f"referrals/{template}", context, status=status)


def _back_to_case(request: AuthedRequest, case: Case) -> HttpResponse:
    if request.htmx:
        # The form was opened inside the case page: that page again, whole (its timeline
        # has the new entry). A redirect to the same page with an anchor would only scroll.
        return HttpResponseClientRefresh()
    return redirect(case.get_absolute_url() + "#housing-h")


@requires(Perm.CASE_WORK)
def housing_need_new(request: AuthedRequest, pk: int) -> HttpResponse:
    case = access_case(request.user, pk)
    if (reason := refusal(request.user, case, Action.VISIT)) is not None:
        messages.error(request, reason)
        return redirect(case)
    # Its own ids: the form opens inside the case page, beside the page's other forms.
    form = HousingNeedForm(request.POST or None, children=case.children.all(), auto_id="housing_%s")
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            housing_need_record(
                actor=request.user,
                case=case,
                child=d["child"],
                kind=d["kind"],
                identified_on=d["identified_on"],
                note=d["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Housing need recorded."))
            return _back_to_case(request, case)
    status = 400 if form.errors else 200
    return _housing_page(request, case, "housing_need_form.html", {"form": form}, status)


@requires(Perm.CASE_WORK)
def housing_need_resolve_view(request: AuthedRequest, pk: int, need_pk: int) -> HttpResponse:
    case = access_case(request.user, pk)
    need = get_object_or_404(selectors.case_housing_needs(case=case), pk=need_pk)
    if (reason := refusal(request.user, case, Action.VISIT)) is not None:
        messages.error(request, reason)
        return redirect(case)
    form = HousingResolveForm(request.POST or None, auto_id=f"resolve{need.pk}_%s")
    if request.method == "POST" and form.is_valid():
        try:
            housing_need_resolve(actor=request.user, need=need, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Housing need resolved."))
            return _back_to_case(request, case)
    status = 400 if form.errors else 200
    context = {"form": form, "need": need}
    return _housing_page(request, case, "housing_resolve_form.html", context, status)


@requires(Perm.STATS_VIEW)
@replica_reads  # aggregates over the scope: seconds of replica lag do not matter
def referral_indicators(request: AuthedRequest) -> HttpResponse:
    """Referrals by service and area, shares accepted and completed, hours to acceptance,
    open housing needs: a supervisor's office, an analyst's region, the country."""
    scope = referral_indicator_scope(request.user)
    if scope is None:
        raise Http404
    form = IndicatorFilterForm(request.GET or None, initial={"year": timezone.localdate().year})
    if form.is_bound and form.is_valid():
        year = form.cleaned_data["year"]
    elif form.is_bound:
        return render(request, "referrals/indicators.html", {"form": form}, status=400)
    else:
        year = timezone.localdate().year
    board = boards.build(scope=scope, year=year)
    return render(request, "referrals/indicators.html", {"form": form, "board": board})
