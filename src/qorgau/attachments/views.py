"""Uploading a file to a case, a report or a child, and reading it back.

Files are never served from a public URL: each download goes through the access gate,
is logged, and is sent as a download (never shown inline, so an HTML or SVG cannot run
in the application's origin), with a sandboxing CSP and no caching.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from qorgau.access import (
    access_attachment,
    access_attachment_to_remove,
    access_case,
    access_child,
    access_report_to_attach,
)
from qorgau.accounts.roles import Perm
from qorgau.attachments.forms import AttachmentForm
from qorgau.attachments.models import Attachment
from qorgau.attachments.selectors import attachment_content
from qorgau.attachments.services import attachment_add, attachment_remove
from qorgau.cases.models import Case, Report
from qorgau.children.models import Child
from qorgau.pages import AuthedRequest, requires


def _add(request: AuthedRequest, **record: object) -> None:
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to attach."))
        return
    try:
        upload = form.cleaned_data["file"]
        attachment = attachment_add(actor=request.user, upload=upload, **record)  # type: ignore[arg-type]
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return
    messages.success(request, _("File attached: %(name)s") % {"name": attachment.name})


@require_POST
@requires(Perm.CASE_WORK)
def case_attachment_add(request: AuthedRequest, pk: int) -> HttpResponse:
    case = access_case(request.user, pk)
    _add(request, case=case)
    return redirect(case)


@require_POST
@requires(Perm.REPORT_CREATE)  # case staff, and reporters on the reports they made
def report_attachment_add(request: AuthedRequest, pk: int) -> HttpResponse:
    report = access_report_to_attach(request.user, pk)
    _add(request, report=report)
    return redirect(report)


@require_POST
@requires(Perm.CASE_WORK)
def child_attachment_add(request: AuthedRequest, pk: int) -> HttpResponse:
    child = access_child(request.user, pk)
    _add(request, child=child)
    return redirect(child)


@never_cache
@login_required  # the gate decides: case staff, and a reporter their own files
def attachment_download(request: AuthedRequest, pk: int) -> HttpResponse:
    attachment = access_attachment(request.user, pk)
    if attachment.removed_at is not None:  # its content is gone; the list says why
        raise Http404
    response = HttpResponse(attachment_content(attachment=attachment))
    response["Content-Type"] = attachment.content_type
    disposition = content_disposition_header(as_attachment=True, filename=attachment.name)
    response["Content-Disposition"] = disposition or "attachment"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


def _record_of(attachment: Attachment) -> Case | Report | Child:
    record = attachment.case or attachment.report or attachment.child
    if record is None:  # the table's constraint says never
        raise Http404
    return record


@require_POST
@login_required  # the gate decides: who attached the file, or a supervisor
def attachment_remove_view(request: AuthedRequest, pk: int) -> HttpResponse:
    attachment = access_attachment_to_remove(request.user, pk)
    try:
        attachment_remove(
            actor=request.user, attachment=attachment, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("File removed: %(name)s") % {"name": attachment.name})
    return redirect(_record_of(attachment))
