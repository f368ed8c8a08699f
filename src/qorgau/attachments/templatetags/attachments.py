"""`{% attachments case %}` (or a report, or a child): the record's files and the form
to add one. The record came through the access gate in the view that renders the page."""

from typing import Any

from django import template
from django.conf import settings
from django.urls import reverse

from qorgau.access import reports_attachable_by
from qorgau.accounts.roles import Perm
from qorgau.attachments.scanning import scanner_configured
from qorgau.attachments.selectors import attachments_of
from qorgau.cases.models import Case, Report
from qorgau.children.models import Child
from qorgau.paging import page_of

register = template.Library()

_ADD_URL = {
    Case: "case-attachment-add",
    Report: "report-attachment-add",
    Child: "child-attachment-add",
}


@register.inclusion_tag("attachments/_attachments.html", takes_context=True)
def attachments(context: template.Context, record: Case | Report | Child) -> dict[str, Any]:
    request = context["request"]
    user = request.user
    if isinstance(record, Case):
        rows = attachments_of(case=record)
    elif isinstance(record, Report):
        rows = attachments_of(report=record)
    else:
        rows = attachments_of(child=record)
    can_add = user.has_perm_code(Perm.CASE_WORK)
    can_download = user.has_perm_code(Perm.CASE_VIEW)
    if isinstance(record, Report) and not user.has_perm_code(Perm.CASE_VIEW):
        # A reporter, on the status page of a report: their own files, and only on
        # the reports they made (the gate says so again on each upload and download).
        rows = rows.filter(uploaded_by=user)
        can_add = can_download = reports_attachable_by(user).filter(pk=record.pk).exists()
    return {
        "attachments": page_of(rows, request, param="files"),
        "can_download": can_download,
        # Who attached a file removes it; a supervisor any file of the record.
        "can_remove_any": user.has_perm_code(Perm.CASE_APPROVE),
        "user_id": user.pk,
        "attach_url": reverse(_ADD_URL[type(record)], args=[record.pk]) if can_add else None,
        "attachment_limit": settings.QORGAU_ATTACHMENT_MAX_BYTES,
        "virus_scan": scanner_configured(),
        "csrf_token": context.get("csrf_token"),
    }
