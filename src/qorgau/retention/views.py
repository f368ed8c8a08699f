"""Legal holds on the case page, and exports of personal data."""

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from qorgau.access import access_case, access_child
from qorgau.accounts.roles import Perm
from qorgau.accounts.views import recent_authentication_required
from qorgau.pages import AuthedRequest, requires
from qorgau.retention.exports import (
    generate_password,
    personal_data_export_create,
    personal_data_export_take,
)
from qorgau.retention.forms import ExportForm, LegalHoldForm
from qorgau.retention.holds import legal_hold_lift, legal_hold_place
from qorgau.retention.models import LegalHold


@require_POST
@requires(Perm.LEGAL_HOLD)
def case_hold_place(request: AuthedRequest, pk: int) -> HttpResponse:
    case = access_case(request.user, pk)
    form = LegalHoldForm(request.POST)
    if form.is_valid():
        legal_hold_place(actor=request.user, case=case, reason=form.cleaned_data["reason"])
        messages.success(request, _("Legal hold placed. The case will not be anonymised."))
        return redirect(case)
    context = {"case": case, "form": form}
    return render(request, "retention/hold_form.html", context, status=400)


@require_POST
@requires(Perm.LEGAL_HOLD)
def case_hold_lift(request: AuthedRequest, pk: int, hold_pk: int) -> HttpResponse:
    case = access_case(request.user, pk)
    hold = get_object_or_404(LegalHold.objects.active(), pk=hold_pk, case=case)
    legal_hold_lift(actor=request.user, hold=hold)
    messages.success(request, _("Legal hold lifted."))
    return redirect(case)


@require_POST
@requires(Perm.LEGAL_HOLD)
def child_hold_place(request: AuthedRequest, pk: int) -> HttpResponse:
    child = access_child(request.user, pk)
    form = LegalHoldForm(request.POST)
    if form.is_valid():
        legal_hold_place(actor=request.user, child=child, reason=form.cleaned_data["reason"])
        messages.success(request, _("Legal hold placed. The record will not be anonymised."))
    else:
        messages.error(request, _("Give the reason for the hold."))
    return redirect(child)


@require_POST
@requires(Perm.LEGAL_HOLD)
def child_hold_lift(request: AuthedRequest, pk: int, hold_pk: int) -> HttpResponse:
    child = access_child(request.user, pk)
    hold = get_object_or_404(LegalHold.objects.active(), pk=hold_pk, child=child)
    legal_hold_lift(actor=request.user, hold=hold)
    messages.success(request, _("Legal hold lifted."))
    return redirect(child)


@never_cache
@requires(Perm.EXPORT_PERSONAL_DATA)
@recent_authentication_required
def export_new(request: AuthedRequest) -> HttpResponse:
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["password"]
        password = chosen or generate_password()
        try:
            export = personal_data_export_create(
                actor=request.user, reason=form.cleaned_data["reason"], password=password
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            # The password is shown on this page only: it is stored nowhere.
            context = {"export": export, "password": None if chosen else password}
            return render(request, "retention/export_ready.html", context)
    return render(request, "retention/export_form.html", {"form": form})


@never_cache
@requires(Perm.EXPORT_PERSONAL_DATA)
def export_download(request: AuthedRequest, export_id: UUID) -> HttpResponse:
    content = personal_data_export_take(actor=request.user, export_id=export_id)
    if content is None:
        raise Http404
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="qorgau-cases.zip"'
    return response
