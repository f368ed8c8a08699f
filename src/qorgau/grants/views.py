from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qorgau.access import access_case
from qorgau.accounts.roles import Perm
from qorgau.accounts.views import recent_authentication_required
from qorgau.grants import selectors
from qorgau.grants.forms import EmergencyForm, GrantForm, ReviewForm
from qorgau.grants.models import CaseAccessGrant
from qorgau.grants.services import (
    case_access_grant,
    case_access_revoke,
    emergency_access_open,
    emergency_access_review,
)
from qorgau.pages import AuthedRequest, add_service_errors, requires


@require_POST
@requires(Perm.CASE_APPROVE)
def grant_new(request: AuthedRequest, pk: int) -> HttpResponse:
    case = access_case(request.user, pk)
    form = GrantForm(request.POST, actor=request.user)
    if form.is_valid():
        try:
            case_access_grant(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    else:
        messages.success(request, _("Access granted."))
    return redirect(case)


@require_POST
@requires(Perm.CASE_APPROVE)
def grant_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    grant = get_object_or_404(CaseAccessGrant, pk=pk)
    case = access_case(request.user, grant.case_id)
    try:
        case_access_revoke(actor=request.user, grant=grant)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Access revoked."))
    return redirect(case)


@requires(Perm.CASE_WORK)
@recent_authentication_required
def emergency_access(request: AuthedRequest) -> HttpResponse:
    form = EmergencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            access = emergency_access_open(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(access.case)
    return render(request, "grants/emergency_access.html", {"form": form})


@require_POST
@requires(Perm.CASE_APPROVE)
def emergency_review(request: AuthedRequest, pk: int) -> HttpResponse:
    access = get_object_or_404(selectors.emergency_accesses_to_review(actor=request.user), pk=pk)
    form = ReviewForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Record your conclusion."))
        emergency_access_review(actor=request.user, access=access, note=form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Review recorded."))
    return redirect("my-work")
