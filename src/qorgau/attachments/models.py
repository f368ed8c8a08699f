"""Files attached to a case, a report or a child: court orders, medical reports, photos.

The description (name, type, size, who and when) and the content live in two tables,
so a list of attachments never reads a file. A file attached by mistake (the wrong
child's report, say) is removed: its content is destroyed, its description stays with
who removed it, when and why, so the record still shows that something was there.
The content is encrypted with the data keys (ADR 0005) and is read only through the
access gate (`access.access_attachment`).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qorgau.cases.models import Case, Report
from qorgau.children.models import Child
from qorgau.protection.fields import EncryptedBinaryField


class Attachment(models.Model):
    class Scan(models.TextChoices):
        CLEAN = "clean", _("Checked for viruses: clean")
        NOT_SCANNED = "not_scanned", _("Not checked for viruses (no scanner configured)")

    # Exactly one of the three: the record the file belongs to.
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    name = models.CharField(_("file name"), max_length=150)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    scan = models.CharField(_("virus check"), max_length=20, choices=Scan.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    removal_reason = models.CharField(_("why it was removed"), max_length=500, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.CheckConstraint(
                name="attachment_one_record",
                condition=(
                    models.Q(case__isnull=False, report__isnull=True, child__isnull=True)
                    | models.Q(case__isnull=True, report__isnull=False, child__isnull=True)
                    | models.Q(case__isnull=True, report__isnull=True, child__isnull=False)
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("attachment-download", kwargs={"pk": self.pk})


class AttachmentContent(models.Model):
    """The file itself, encrypted as one token."""

    attachment = models.OneToOneField(
        Attachment, on_delete=models.CASCADE, primary_key=True, related_name="content"
    )
    data = EncryptedBinaryField()

    class Meta:
        verbose_name = _("attachment content")
        verbose_name_plural = _("attachment contents")

    def __str__(self) -> str:
        return f"content of attachment {self.attachment_id}"
