"""Reads kept for the rest of one GET request: asked once per page, not once per caller.

A page asks some things several times (the access gate's reach for each list, a user's
delegations for the menu and for the approvals, a case's pending transfer for each
action offered). In a GET or HEAD request nothing they are read from changes, so
`memo` keeps the first answer until the response is sent. Any other request, a
command, a job or a test's direct call reads anew every time: a write and a read of
what it changed are never separated by a kept answer. A bottom-layer module (it
imports nothing of the app), so every layer may use it.
"""

from collections.abc import Callable, Hashable
from contextvars import ContextVar
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse

T = TypeVar("T")

_kept: ContextVar[dict[Hashable, Any] | None] = ContextVar("request_memo", default=None)


def memo(key: Hashable, read: Callable[[], T]) -> T:
    """`read()`, kept under `key` for the rest of the current GET request."""
    kept = _kept.get()
    if kept is None:
        return read()
    if key not in kept:
        kept[key] = read()
    return kept[key]


class RequestMemoMiddleware:
    """Opens the memo for a GET or HEAD request, and closes it with the response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _kept.set({} if request.method in ("GET", "HEAD") else None)
        try:
            return self.get_response(request)
        finally:
            _kept.reset(token)
