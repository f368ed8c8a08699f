from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import match_token

from qorgau.accounts import sessions
from qorgau.accounts.forms import ReauthForm, TokenForm
from qorgau.accounts.twofactor import (
    has_second_factor,
    qr_code_svg,
    recovery_codes_issue,
    totp_device_confirm,
    totp_device_for_setup,
)


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    if has_second_factor(request.user):  # type: ignore[arg-type]
        return redirect("two-factor-verify")
    device = totp_device_for_setup(request.user)  # type: ignore[arg-type]
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = totp_device_confirm(device=device, token=form.cleaned_data["token"])
        if codes is None:
            form.add_error("token", _("That code is not right. Check the time on your phone."))
        else:
            django_otp.login(request, device)
            return render(request, "accounts/recovery_codes.html", {"codes": codes})
    context = {"form": form, "qr_svg": qr_code_svg(device), "secret": device.key}
    return render(request, "accounts/two_factor_setup.html", context)


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is None:
            form.add_error("token", _("That code is not right, or it was already used."))
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
            form.add_error("token", _("That code is not right."))
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
