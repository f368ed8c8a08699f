"""Access beyond the standing rule of access.py: explicit grants and emergency access.

Both are rows, so both end: a grant when it is revoked or expires, an emergency
access after its time limit. access.cases_visible_to reads only the live ones.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.cases.models import Case

USER = settings.AUTH_USER_MODEL


class GrantQuerySet(models.QuerySet["CaseAccessGrant"]):
    def live(self) -> "QuerySet[CaseAccessGrant]":
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )


class CaseAccessGrant(models.Model):
    """A supervisor lets a named colleague see a case, e.g. a restricted one."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="access_grants")
    user = models.ForeignKey(
        USER, on_delete=models.CASCADE, related_name="case_grants", verbose_name=_("colleague")
    )
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField()
    expires_at = models.DateTimeField(_("until"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = GrantQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at"]
        indexes = [models.Index(fields=["user", "revoked_at"], name="grant_user_live_idx")]

    def __str__(self) -> str:
        return f"{self.user} → {self.case}"


class EmergencyQuerySet(models.QuerySet["EmergencyAccess"]):
    def live(self) -> "QuerySet[EmergencyAccess]":
        return self.filter(expires_at__gt=timezone.now())


class EmergencyAccess(models.Model):
    """ "Break the glass": access outside one's scope, with a reason, for a short time,
    always reviewed afterwards by the person's supervisor."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="emergency_accesses")
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="emergency_accesses")
    reason = models.TextField(_("reason"))
    started_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)

    objects = EmergencyQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["user", "expires_at"], name="emergency_user_live_idx")]

    def __str__(self) -> str:
        return f"{self.user} → {self.case} ({self.started_at:%Y-%m-%d %H:%M})"
