"""Failed logins: django-axes locks a username from an address after a few failures;
this adds a higher limit per address across all usernames.

Axes compares every lockout parameter with one and the same limit, so adding
"ip_address" to AXES_LOCKOUT_PARAMETERS would lock a whole office behind one address
after five typing mistakes. Here the address limit counts the failures axes already
stores (AccessAttempt rows, in the database: shared by every process), within the
same cool-off period, so one password sprayed over many accounts is stopped.
"""

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


def address_failures(request: HttpRequest) -> int:
    """Failed logins from the request's address, any username, within the cool-off."""
    ip_address = getattr(request, "axes_ip_address", None)
    if not ip_address:
        return 0
    attempts = AccessAttempt.objects.filter(
        ip_address=ip_address, attempt_time__gte=get_cool_off_threshold(request)
    )
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def _address_locked(request: HttpRequest) -> bool:
    return address_failures(request) >= settings.QORGAU_LOGIN_ADDRESS_FAILURE_LIMIT


class UsernameAndAddressHandler(AxesDatabaseHandler):
    def is_locked(self, request: HttpRequest, credentials: dict | None = None) -> bool:
        return super().is_locked(request, credentials) or _address_locked(request)

    def user_login_failed(
        self, sender: object, credentials: dict, request: HttpRequest | None = None, **kwargs: Any
    ) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        # Axes flags the lockout page for its own limit only; the address limit too.
        if (
            request is not None
            and not getattr(request, "axes_locked_out", False)
            and _address_locked(request)
        ):
            request.axes_locked_out = True  # type: ignore[attr-defined]
            request.axes_credentials = credentials  # type: ignore[attr-defined]
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,  # type: ignore[attr-defined]
            )
