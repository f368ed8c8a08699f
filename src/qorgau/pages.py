"""What the views of every app share: the logged-in request, the permission gate on a
view, a service's refusal shown on its form, and the reading of ids sent by anyone.

It sits beside `access.py`, below the page layers (`web`, `api` and each app's views), so
that no app imports `web` to get them.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django_htmx.middleware import HtmxDetails

from qorgau.accounts.models import User
from qorgau.accounts.roles import Perm
from qorgau.limits import ID_MAX


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


def parse_id(value: object, *, minimum: int = 1, maximum: int = ID_MAX) -> int | None:
    """A number sent in a query string or a form: ASCII digits within range, else None.

    `str.isdigit()` is true of "²" (which `int()` refuses) and of "٣" (which it reads
    as 3), so it is no test of an id; a number beyond the column's range fails in the
    database, not here.
    """
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        return None
    if len(value) > len(str(maximum)):
        return None
    number = int(value)
    return number if minimum <= number <= maximum else None


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's refusal next to the field it names, or above the form."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
