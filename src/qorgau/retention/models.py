"""Legal holds, the trace of retention runs, and encrypted exports waiting for download.

Nothing here holds personal data in clear: holds and runs carry ids and reasons,
an export carries an AES-encrypted archive until it is downloaded or expires.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qorgau.cases.models import Case
from qorgau.children.models import Child

USER = settings.AUTH_USER_MODEL


class LegalHoldQuerySet(models.QuerySet["LegalHold"]):
    def active(self) -> "LegalHoldQuerySet":
        return self.filter(lifted_at__isnull=True)


class LegalHold(models.Model):
    """Keeps a case, or a child and everything about the child, from anonymisation."""

    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="legal_holds",
        verbose_name=_("case"),
    )
    child = models.ForeignKey(
        Child,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="legal_holds",
        verbose_name=_("child"),
    )
    reason = models.TextField(_("reason"))
    placed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField(_("placed"))
    lifted_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)

    objects = LegalHoldQuerySet.as_manager()

    class Meta:
        ordering = ["-placed_at", "-pk"]
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(case__isnull=False, child__isnull=True)
                | models.Q(case__isnull=True, child__isnull=False),
                name="legal_hold_case_or_child",
            ),
            models.CheckConstraint(
                condition=models.Q(lifted_at__isnull=True, lifted_by__isnull=True)
                | models.Q(lifted_at__isnull=False, lifted_by__isnull=False),
                name="legal_hold_lifted_by_whom",
            ),
        ]

    def __str__(self) -> str:
        target = f"case {self.case_id}" if self.case_id else f"child {self.child_id}"
        return f"Legal hold {self.pk} on {target}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class RecordKind(models.TextChoices):
    CASE = "case", _("Case")
    REPORT = "report", _("Report")
    CHILD = "child", _("Child")


class RetentionRun(models.Model):
    """One `retention --apply`: when, for which day, and how many records of each kind."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    today = models.DateField()
    actor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"Retention run {self.pk} ({self.today})"


class Anonymisation(models.Model):
    """A record whose personal data is gone: the id and when, nothing else.

    Unique per record, so a second run skips it: the run is idempotent.
    """

    run = models.ForeignKey(RetentionRun, on_delete=models.PROTECT, related_name="records")
    kind = models.CharField(max_length=10, choices=RecordKind.choices)
    record_id = models.BigIntegerField()
    at = models.DateTimeField()

    class Meta:
        ordering = ["kind", "record_id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "record_id"], name="anonymised_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.record_id} anonymised"


class PersonalDataExport(models.Model):
    """An encrypted export between its creation and its download (then the archive goes)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    reason = models.TextField(_("reason"))
    row_count = models.PositiveIntegerField()
    archive = models.BinaryField(null=True, editable=False)
    downloaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Export {self.id}"
