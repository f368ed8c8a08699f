"""Pages of the service directory and of referrals. Thin: gate, form, service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qorgau.access import access_case, access_referral
from qorgau.accounts.roles import Perm, Role
from qorgau.audit import log as audit
from qorgau.audit.models import RecordKind
from qorgau.cases.models import Case
from qorgau.cases.workflow import Action, open_plan_actions, refusal
from qorgau.pages import AuthedRequest, add_service_errors, parse_id, requires
from qorgau.paging import page_of
from qorgau.referrals import selectors
from qorgau.referrals.coverage import place_and_above
from qorgau.referrals.forms import (
    DeclineForm,
    DirectorySearchForm,
    OutcomeForm,
    ProviderForm,
    ReferralForm,
    SessionForm,
    WithdrawForm,
)
from qorgau.referrals.models import Provider, Referral, ServiceType
from qorgau.referrals.services import (
    Consent,
    Shared,
    provider_update,
    referral_answer,
    referral_close,
    referral_send,
    referral_session_record,
    referral_withdraw,
)
from qorgau.referrals.tables import OfficeReferralsTable, ReferralsFilter, ReferralsTable
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
    service_id = parse_id((data or request.GET).get("service"))
    service = ServiceType.objects.filter(pk=service_id).first() if service_id else None
    initial: dict[str, object] = {"contact": str(request.user), "service": service}
    action_id = parse_id(request.GET.get("action"))
    if action_id is not None:
        initial["plan_action"] = action_id
    form = ReferralForm(
        data,
        initial=initial,
        children=case.children.all(),
        providers=_providers_for(case, service),
        plan_actions=open_plan_actions(case),
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
