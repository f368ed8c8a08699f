from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from qorgau.accounts import sessions
from qorgau.accounts.forms import (
    DelegationForm,
    EnrolmentCodeForm,
    ReauthForm,
    SetupTokenForm,
    TokenForm,
)
from qorgau.accounts.models import ApprovalDelegation, User
from qorgau.accounts.roles import Perm
from qorgau.accounts.services import delegation_create, delegation_revoke, user_language_set
from qorgau.accounts.twofactor import (
    code_was_already_used,
    enrolment_code_redeem,
    has_second_factor,
    key_base32,
    qr_code_svg,
    recovery_codes_issue,
    totp_device_confirm,
)
from qorgau.pages import AuthedRequest, add_service_errors, requires
from qorgau.paging import page_of

# The authenticator being set up in this session, after its enrolment code was spent.
_ENROLMENT_DEVICE = "qorgau_enrolment_device"


def language_set(request: HttpRequest) -> HttpResponse:
    """Django's language switch; a logged-in user's choice is also kept on the account,
    so that it follows them to another browser and their e-mails are written in it."""
    response = set_language(request)
    language = request.POST.get("language", "")
    user = request.user
    if (
        request.method == "POST"
        and isinstance(user, User)
        and user.is_authenticated
        and language in dict(settings.LANGUAGES)
    ):
        user_language_set(user=user, language=language)
    return response


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


def _code_error(user: object, token: str) -> str:
    if isinstance(user, User) and code_was_already_used(user, token):
        return _("That code was already used. Wait for the next code in the app.")
    return _("That code is not right.")


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    if has_second_factor(request.user):  # type: ignore[arg-type]
        return redirect("two-factor-verify")
    device = TOTPDevice.objects.filter(
        user=request.user, confirmed=False, pk=request.session.get(_ENROLMENT_DEVICE)
    ).first()
    if device is None:
        return _enrolment(request)
    form = SetupTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = totp_device_confirm(device=device, token=form.cleaned_data["token"])
        if codes is None:
            form.add_error("token", _("That code is not right. Check the time on your phone."))
        else:
            request.session.pop(_ENROLMENT_DEVICE, None)
            django_otp.login(request, device)
            return render(request, "accounts/recovery_codes.html", {"codes": codes})
    context = {"form": form, "qr_svg": qr_code_svg(device), "secret": key_base32(device)}
    return render(request, "accounts/two_factor_setup.html", context)


def _enrolment(request: HttpRequest) -> HttpResponse:
    """First step of the set-up: the one-time code the administrator issued."""
    form = EnrolmentCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = enrolment_code_redeem(user=request.user, code=form.cleaned_data["code"])  # type: ignore[arg-type]
        if device is None:
            form.add_error(
                "code",
                _(
                    "This enrolment code is not valid: mistyped, already used or expired. "
                    "Ask your administrator for a new one."
                ),
            )
        else:
            request.session[_ENROLMENT_DEVICE] = device.pk
            return redirect("two-factor-setup")
    return render(request, "accounts/enrolment_code.html", {"form": form})


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is None:
            form.add_error("token", _code_error(request.user, form.cleaned_data["token"]))
        else:
            django_otp.login(request, device)
            if device.persistent_id.startswith("otp_static"):
                messages.warning(request, _("You used a recovery code. Each code works only once."))
            return redirect(_next_url(request))
    return render(request, "accounts/two_factor_verify.html", {"form": form})


@login_required
def recovery_codes_new(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "accounts/recovery_codes_confirm.html")
    codes = recovery_codes_issue(user=request.user)  # type: ignore[arg-type]
    return render(request, "accounts/recovery_codes.html", {"codes": codes})


@login_required
def reauthenticate(request: HttpRequest) -> HttpResponse:
    form = ReauthForm(request, data=request.POST or None)
    form.fields["username"].initial = request.user.get_username()
    if request.method == "POST" and form.is_valid():
        if form.get_user().pk != request.user.pk:
            form.add_error(None, _("Confirm with your own account."))
        elif has_second_factor(request.user) and not match_token(
            request.user, form.cleaned_data["token"]
        ):
            form.add_error("token", _code_error(request.user, form.cleaned_data["token"]))
        else:
            sessions.mark_reauthenticated(request)
            return redirect(_next_url(request))
    return render(request, "accounts/reauthenticate.html", {"form": form})


def recent_authentication_required(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """Sensitive actions (exports, emergency access, role changes) ask for the password
    again when the last confirmation is older than QORGAU_REAUTH_SECONDS."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not sessions.recently_authenticated(request, settings.QORGAU_REAUTH_SECONDS):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('reauthenticate')}?{query}")
        return view(request, *args, **kwargs)

    return wrapped


@requires(Perm.CASE_APPROVE)
def delegations(request: AuthedRequest) -> HttpResponse:
    """A supervisor's delegations of their approvals: set one up, see and end them."""
    form = DelegationForm(request.POST or None, actor=request.user)
    if form.is_bound and form.is_valid():
        try:
            delegation_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your approvals are delegated."))
            return redirect("delegations")
    given = page_of(
        ApprovalDelegation.objects.filter(delegator=request.user).select_related("deputy"),
        request,
    )
    context = {"form": form, "given": given, "today": timezone.localdate()}
    return render(
        request, "accounts/delegations.html", context, status=400 if form.is_bound else 200
    )


@require_POST
@requires(Perm.CASE_APPROVE)
def delegation_revoke_view(request: AuthedRequest, pk: int) -> HttpResponse:
    delegation = get_object_or_404(ApprovalDelegation, pk=pk, delegator=request.user)
    try:
        delegation_revoke(actor=request.user, delegation=delegation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The delegation has ended."))
    return redirect("delegations")
