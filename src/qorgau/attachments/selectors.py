"""Reads of attachments: descriptions for a record's page, content for the gate's caller."""

from django.db.models import QuerySet

from qorgau.attachments.models import Attachment, AttachmentContent
from qorgau.cases.models import Case, Report
from qorgau.children.models import Child


def attachments_of(
    *, case: Case | None = None, report: Report | None = None, child: Child | None = None
) -> QuerySet[Attachment]:
    """The descriptions of one record's files (never their content), newest first."""
    rows = Attachment.objects.select_related("uploaded_by", "removed_by")
    if case is not None:
        return rows.filter(case=case)
    if report is not None:
        return rows.filter(report=report)
    return rows.filter(child=child)


def attachment_content(*, attachment: Attachment) -> bytes:
    return bytes(AttachmentContent.objects.get(attachment=attachment).data)
