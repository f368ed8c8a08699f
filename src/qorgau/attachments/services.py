"""Adding an attachment (size, type by content, virus check, then stored encrypted) and
removing one attached by mistake."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from qorgau.accounts.models import User
from qorgau.attachments import scanning
from qorgau.attachments.files import ALLOWED_TYPES, content_type_of, safe_name
from qorgau.attachments.models import Attachment, AttachmentContent
from qorgau.cases import timeline
from qorgau.cases.models import Case, Report
from qorgau.children.models import Child


def _read_checked(upload: UploadedFile) -> tuple[bytes, str]:
    limit = settings.QORGAU_ATTACHMENT_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            {"file": _("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)}}
        )
    data = upload.read(limit + 1)
    if len(data) > limit:  # the size the client declared is only a claim
        raise ValidationError(
            {"file": _("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)}}
        )
    if not data:
        raise ValidationError({"file": _("The file is empty.")})
    content_type = content_type_of(data)
    if content_type not in ALLOWED_TYPES:
        raise ValidationError(
            {
                "file": _(
                    "This kind of file (%(type)s) cannot be attached: PDF, JPEG, PNG, TIFF, "
                    "HEIC, Word, OpenDocument text or plain text only."
                )
                % {"type": content_type}
            }
        )
    return data, content_type


def _scan(data: bytes) -> str:
    if not scanning.scanner_configured():
        return Attachment.Scan.NOT_SCANNED
    try:
        scanning.scan(data)
    except scanning.VirusFound as found:
        raise ValidationError(
            {
                "file": _("The virus check found %(name)s: the file was not stored.")
                % {"name": found.signature}
            }
        ) from None
    except scanning.ScannerUnavailable:
        raise ValidationError(
            _("The virus check is not available now: the file was not stored. Try again later.")
        ) from None
    return Attachment.Scan.CLEAN


def attachment_add(
    *,
    actor: User,
    upload: UploadedFile,
    case: Case | None = None,
    report: Report | None = None,
    child: Child | None = None,
) -> Attachment:
    """Store a file on one record the caller has already opened through the gate."""
    if sum(record is not None for record in (case, report, child)) != 1:
        raise ValueError("an attachment belongs to exactly one case, report or child")
    data, content_type = _read_checked(upload)
    scan = _scan(data)
    name = safe_name(upload.name or "", content_type)
    with transaction.atomic():
        attachment = Attachment.objects.create(
            case=case,
            report=report,
            child=child,
            name=name,
            content_type=content_type,
            size=len(data),
            scan=scan,
            uploaded_by=actor,
            uploaded_at=timezone.now(),
        )
        AttachmentContent.objects.create(attachment=attachment, data=data)
        if case is not None or report is not None:
            timeline.record(
                actor=actor, kind="attachment_added", case=case, report=report, name=name
            )
    return attachment


def attachment_remove(*, actor: User, attachment: Attachment, reason: str) -> Attachment:
    """Destroy a file's content and keep its description with who removed it and why.

    The caller has the attachment from `access.access_attachment_to_remove`.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the file is removed.")})
    with transaction.atomic():
        locked = Attachment.objects.select_for_update().get(pk=attachment.pk)
        if locked.removed_at is not None:
            raise ValidationError(_("This file has already been removed."), code="removed")
        AttachmentContent.objects.filter(attachment=locked).delete()
        locked.removed_at, locked.removed_by, locked.removal_reason = timezone.now(), actor, reason
        locked.save(update_fields=["removed_at", "removed_by", "removal_reason"])
        if locked.case_id is not None or locked.report_id is not None:
            timeline.record(
                actor=actor,
                kind="attachment_removed",
                case=locked.case,
                report=locked.report,
                name=locked.name,
                note=reason,
            )
    return locked
