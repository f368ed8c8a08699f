"""Where an access comes from: the current request, or a named background job.

The middleware puts the request into a context variable for the duration of the
request, so the access gate can log the page, the address and the method without
every view passing them along. Outside a request (commands, jobs) accesses are
logged on the "system" channel, under the name given to `system_job`.
"""

import ipaddress
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from qorgau.audit.models import Channel


@dataclass(frozen=True)
class Origin:
    channel: str
    ip: str = ""
    url_name: str = ""
    path: str = ""
    method: str = ""


_request: ContextVar[HttpRequest | None] = ContextVar("audit_request", default=None)
_job: ContextVar[str] = ContextVar("audit_job", default="")


def _valid_ip(value: str) -> str:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return ""


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR, or the address our own proxies saw, never one the client claims.

    With N trusted proxies in front, the client is the N-th address from the right
    of X-Forwarded-For: everything left of it may be forged by the client.
    """
    remote = _valid_ip(request.META.get("REMOTE_ADDR", ""))
    proxies = settings.QORGAU_TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [a for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if len(forwarded) < proxies:
        return remote
    return _valid_ip(forwarded[-proxies]) or remote


def current_origin() -> Origin:
    request = _request.get()
    if request is None:
        return Origin(channel=Channel.SYSTEM, url_name=_job.get()[:100])
    match = request.resolver_match
    return Origin(
        channel=Channel.API if request.path.startswith("/api/") else Channel.WEB,
        ip=client_ip(request),
        url_name=(match.view_name if match is not None else "")[:100],
        path=request.path[:500],
        method=(request.method or "")[:10],
    )


@contextmanager
def system_job(name: str) -> Iterator[None]:
    """Log the accesses inside as done by the background job or command `name`."""
    token = _job.set(name)
    request_token = _request.set(None)
    try:
        yield
    finally:
        _request.reset(request_token)
        _job.reset(token)


class AccessContextMiddleware:
    """Makes the request known to `audit.log.record` while it is being handled."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)
