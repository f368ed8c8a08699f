"""In-app notifications, one per person and event, also sent by e-mail.

A notification names its record by reference (C-..., R-...) and links to it; it holds
no child's name or other personal data, so neither the table nor the e-mail does.
Opening the link goes through the access gate like any other visit.

`key` names the event ("case:12:assessment:2026-12-01T10:00"): the unique constraint on
(user, kind, key) makes the reminder sweep idempotent, as a second run finds every
reminder already there. A deadline moved is a new key, hence a new reminder.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    DEADLINE_SOON = "deadline_soon", _("Deadline coming")
    DEADLINE_PASSED = "deadline_passed", _("Deadline passed")
    PLAN_RETURNED = "plan_returned", _("Plan returned")
    TRANSFER_WAITING = "transfer_waiting", _("Transfer waiting")
    EMERGENCY_REVIEW = "emergency_review", _("Emergency access to review")
    MERGE_REQUEST_WAITING = "merge_request", _("Merge of records to approve")
    ACCESS_REQUEST_WAITING = "access_request", _("Access request to answer")


class Notification(models.Model):
    # No index of its own: the two below begin with the user.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    key = models.CharField(max_length=120)
    # What the text names: a reference (C-2026-..., R-...) and, for a deadline, which one.
    reference = models.CharField(_("reference"), max_length=40)
    step = models.CharField(max_length=20, blank=True)
    url = models.CharField(max_length=200)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "key"], name="notification_once_per_event"
            )
        ]
        indexes = [
            # The list and the unread count of one person.
            models.Index(fields=["user", "read_at", "created_at"], name="notification_user_idx"),
            # The mailer's queue: what is not yet e-mailed.
            models.Index(
                fields=["created_at"],
                name="notification_unmailed_idx",
                condition=models.Q(emailed_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.reference} for {self.user_id}"
