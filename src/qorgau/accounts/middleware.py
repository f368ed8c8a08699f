"""Nobody who can reach personal data gets past login without the second factor."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import resolve
from django.urls.exceptions import Resolver404
from django.utils import translation

from qorgau.accounts.twofactor import has_second_factor, requires_second_factor

# Pages a half-logged-in user may open: finishing the login, leaving, the language.
_OPEN = frozenset({"two-factor-setup", "two-factor-verify", "logout", "set_language", "login"})


class RequireSecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and requires_second_factor(user)
            # is_verified() is attached to the user by django_otp's OTPMiddleware.
            and not user.is_verified()  # type: ignore[attr-defined]
            and not request.path.startswith(settings.STATIC_URL)
        ):
            try:
                name = resolve(request.path_info).url_name
            except Resolver404:
                name = None
            if name not in _OPEN:
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": "Second factor required."}, status=403)
                target = "two-factor-verify" if has_second_factor(user) else "two-factor-setup"
                return redirect(target)
        return self.get_response(request)


class UserLanguageMiddleware:
    """A logged-in user's chosen language where the browser has not chosen one.

    The language switch sets a cookie in one browser and keeps the choice on the
    account (`User.language`); on another browser, without the cookie, the account's
    choice wins over the browser's Accept-Language.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        language = getattr(user, "language", "")
        if (
            user.is_authenticated
            and language
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
        ):
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
