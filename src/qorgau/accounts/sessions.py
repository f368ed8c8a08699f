"""Session limits: idle timeout, absolute lifetime, and ending a user's sessions.

Each session remembers when it was authenticated, when it was last used and the
user's session epoch at login. Raising the epoch (an administrator ending the
sessions, or deactivation) invalidates every session of that user at its next request.
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from qorgau.accounts.models import User

STARTED = "qorgau_auth_started"
LAST_SEEN = "qorgau_last_seen"
EPOCH = "qorgau_session_epoch"
REAUTH = "qorgau_reauthenticated_at"


def start(request: HttpRequest, user: User) -> None:
    """Called on login: the clock for the absolute lifetime starts now."""
    now = int(time.time())
    request.session[STARTED] = now
    request.session[LAST_SEEN] = now
    request.session[EPOCH] = user.session_epoch


def mark_reauthenticated(request: HttpRequest) -> None:
    request.session[REAUTH] = int(time.time())


def recently_authenticated(request: HttpRequest, max_age: int) -> bool:
    return int(time.time()) - request.session.get(REAUTH, 0) <= max_age


class SessionLimitsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            now = int(time.time())
            session = request.session
            expired = (
                now - session.get(STARTED, 0) > settings.QORGAU_SESSION_ABSOLUTE_SECONDS
                or now - session.get(LAST_SEEN, 0) > settings.QORGAU_SESSION_IDLE_SECONDS
                or session.get(EPOCH) != user.session_epoch
            )
            if expired:
                logout(request)
                messages.info(request, _("Your session has ended. Please log in again."))
                return redirect(settings.LOGIN_URL)
            # Write at most once a minute: the idle clock does not need every request.
            if now - session.get(LAST_SEEN, 0) >= 60:
                session[LAST_SEEN] = now
        return self.get_response(request)
