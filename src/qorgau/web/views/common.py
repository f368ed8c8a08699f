from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django_htmx.middleware import HtmxDetails

from qorgau.accounts.models import User
from qorgau.accounts.roles import Perm


class AuthedRequest(HttpRequest):
    """A request behind login: its user is one of ours, never anonymous."""

    user: User
    htmx: HtmxDetails


def requires(perm: Perm) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Log in first, then a role permission. A missing permission is a plain 404."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: AuthedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.has_perm_code(perm):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
