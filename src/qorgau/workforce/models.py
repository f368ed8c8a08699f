"""The staff of child rights departments and guardianship bodies: posts per period
(approved, filled) and the specialists who fill them, linked to Qorgau users where
they have an account. Staff records, no child's personal data.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qorgau.accounts.models import Organisation

# The organisations whose specialists count against the staffing norm.
STAFFED_KINDS = (
    Organisation.Kind.CHILD_RIGHTS_DEPARTMENT,
    Organisation.Kind.CHILD_RIGHTS_OFFICE,
    Organisation.Kind.GUARDIANSHIP,
)


class StaffingReport(models.Model):
    """An organisation's posts at the end of one quarter; each quarter kept as history."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="staffing_reports"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    approved = models.PositiveIntegerField(_("approved posts"))
    filled = models.PositiveIntegerField(_("filled posts"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    reported_at = models.DateTimeField(_("reported at"))
    # Every correction of a report is kept (who, when, what it said before).
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-quarter"]
        verbose_name = _("staffing report")
        verbose_name_plural = _("staffing reports")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "quarter"], name="staffing_report_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(filled__lte=models.F("approved")),
                name="staffing_filled_within_approved",
            ),
        ]
        indexes = [models.Index(fields=["year", "quarter"], name="staffing_report_period")]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year} Q{self.quarter}"

    @property
    def vacant(self) -> int:
        return self.approved - self.filled


class Specialist(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="specialists"
    )
    full_name = models.CharField(_("full name"), max_length=200)
    position = models.CharField(_("position"), max_length=200)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="specialist",
    )
    started_on = models.DateField(_("started on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    # Who linked which account, changed the position or recorded the leaving, and when.
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "full_name"]
        verbose_name = _("specialist")
        verbose_name_plural = _("specialists")

    def __str__(self) -> str:
        return self.full_name
