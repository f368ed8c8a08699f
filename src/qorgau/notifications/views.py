"""One's own notifications: the list, and opening one (which marks it read)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from qorgau.notifications.models import Notification
from qorgau.notifications.selectors import notifications_of
from qorgau.notifications.services import notification_read, notifications_read_all
from qorgau.notifications.texts import text_of
from qorgau.pages import AuthedRequest
from qorgau.paging import page_of


@login_required
def notification_list(request: AuthedRequest) -> HttpResponse:
    page = page_of(notifications_of(actor=request.user), request)
    rows = [(n, text_of(n)) for n in page]
    return render(request, "notifications/list.html", {"page": page, "rows": rows})


@require_POST
@login_required
def notification_open(request: AuthedRequest, pk: int) -> HttpResponse:
    # Another person's notification is the same 404 as none.
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    notification_read(actor=request.user, notification=notification)
    if not url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect("notifications")
    return redirect(notification.url)


@require_POST
@login_required
def notifications_all_read(request: AuthedRequest) -> HttpResponse:
    notifications_read_all(actor=request.user)
    return redirect("notifications")
