"""The service directory (providers, the services they offer, where) and referrals to it.

A referral carries its own copy of what the caseworker chose to share (the reason, the
child's name and age, a contact): the provider's staff read that copy and nothing of the
case or the child's record (access.referrals_visible_to).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.models import Organisation
from qorgau.cases.models import Case, PlanAction
from qorgau.children.models import Child
from qorgau.places.models import Place
from qorgau.protection.fields import EncryptedCharField, EncryptedTextField

USER = settings.AUTH_USER_MODEL


class Language(models.TextChoices):
    KAZAKH = "kk", _("Kazakh")
    RUSSIAN = "ru", _("Russian")
    ENGLISH = "en", _("English")


class ServiceType(models.Model):
    """A kind of service from the taxonomy. Kept as data (migration 0002), not code."""

    code = models.SlugField(unique=True)
    name_kk = models.CharField(max_length=200)
    name_ru = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        lang = (get_language() or "ru")[:2]
        return {"kk": self.name_kk, "en": self.name_en}.get(lang, self.name_ru)


class Provider(models.Model):
    """An organisation's entry in the service directory."""

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        related_name="provider",
        verbose_name=_("organisation"),
    )
    # The regional child rights department that keeps the entry up to date.
    maintained_by = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("maintained by"),
    )
    services = models.ManyToManyField(ServiceType, related_name="providers")
    # The places served: a region, a district or a settlement covers everything in it.
    coverage = models.ManyToManyField(Place, related_name="+", verbose_name=_("coverage"))
    waiting_days = models.PositiveSmallIntegerField(_("waiting time (days)"), default=0)
    capacity = models.PositiveSmallIntegerField(
        _("places free"), null=True, blank=True, help_text=_("Leave empty when not limited")
    )
    languages = models.CharField(
        _("languages"), max_length=20, default="kk,ru", help_text=_("Codes: kk, ru, en")
    )
    hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    active = models.BooleanField(_("takes referrals"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["waiting_days", "organisation__name"]
        verbose_name = _("service provider")
        verbose_name_plural = _("service providers")

    def __str__(self) -> str:
        return str(self.organisation)

    @property
    def language_labels(self) -> list[str]:
        return [str(Language(code).label) for code in self.languages.split(",") if code]


class HousingNeed(models.Model):
    """A child's housing need recorded on a case: read only through the case (the same
    gate, restriction and access log), its text encrypted, anonymised with the case."""

    class Kind(models.TextChoices):
        HOMELESSNESS = "homelessness", _("Homelessness")
        UNSAFE_HOUSING = "unsafe_housing", _("Unsafe housing")
        EVICTION_RISK = "eviction_risk", _("Risk of eviction")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("housing need", "Open")
        RESOLVED = "resolved", pgettext_lazy("housing need", "Resolved")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="housing_needs", verbose_name=_("case")
    )
    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="+", verbose_name=_("child")
    )
    kind = models.CharField(_("housing need"), max_length=20, choices=Kind.choices)
    identified_on = models.DateField(_("date identified"))
    note = EncryptedTextField(_("note"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    outcome = EncryptedTextField(_("outcome"), blank=True)
    resolved_on = models.DateField(_("date resolved"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded"))
    resolved_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-identified_on", "-pk"]
        verbose_name = _("housing need")
        verbose_name_plural = _("housing needs")
        indexes = [
            # The indicator counts the open needs: a small part of the table.
            models.Index(
                fields=["kind"],
                name="housing_need_open_idx",
                condition=models.Q(status="open"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                # The outcome is encrypted (no constraint reads it): the service asks it.
                condition=models.Q(status="open", resolved_on__isnull=True)
                | models.Q(status="resolved", resolved_on__isnull=False),
                name="housing_need_resolved_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.identified_on})"


class Referral(models.Model):
    class Status(models.TextChoices):
        SENT = "sent", _("Sent, awaiting acceptance")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        NOT_COMPLETED = "not_completed", _("Not completed")
        WITHDRAWN = "withdrawn", _("Withdrawn by the caseworker")

    class ConsentBasis(models.TextChoices):
        CONSENT = "consent", _("Consent given")
        LEGAL_GROUND = "legal_ground", _("Legal ground without consent")

    # No index of their own: referral_case_idx and referral_provider_idx below lead with
    # these columns and serve every lookup by them (tests/referrals/test_query_plans.py).
    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        related_name="referrals",
        verbose_name=_("case"),
        db_index=False,
    )
    # Which child of the case: for the coverage check and the case page. The provider
    # never reads it (only the shared copy below).
    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="+", verbose_name=_("child")
    )
    plan_action = models.ForeignKey(
        PlanAction,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("plan action"),
    )
    # The housing need the referral answers (a referral to the akimat's housing support).
    housing_need = models.ForeignKey(
        HousingNeed,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("housing need"),
    )
    provider = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="referrals_received",
        verbose_name=_("provider"),
        db_index=False,
    )
    service = models.ForeignKey(
        ServiceType, on_delete=models.PROTECT, related_name="+", verbose_name=_("service")
    )
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.SENT
    )
    # Consent: the caregiver's, and the child's from the configured age; or the legal
    # ground on which the child is referred without it.
    consent_basis = models.CharField(_("basis"), max_length=15, choices=ConsentBasis.choices)
    child_consent = models.BooleanField(_("the child agrees"), null=True)
    caregiver_consent = models.BooleanField(_("the caregiver agrees"), default=False)
    legal_ground = models.CharField(_("legal ground"), max_length=300, blank=True)
    # What was shared: a copy, so the provider never reads the case or the child's record.
    reason = EncryptedTextField(_("reason for referral"))
    shared_name = EncryptedCharField(_("child's name"), max_length=300, blank=True)
    shared_age = models.PositiveSmallIntegerField(_("child's age"), null=True, blank=True)
    shared_contact = EncryptedCharField(_("contact"), max_length=300, blank=True)
    shared_note = EncryptedTextField(_("further information"), blank=True)
    sent_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("sent by")
    )
    sent_at = models.DateTimeField(_("sent"))
    accept_due_at = models.DateTimeField(_("acceptance due"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    decline_reason = models.CharField(_("reason for declining"), max_length=300, blank=True)
    outcome = EncryptedTextField(_("outcome"), blank=True)
    ended_on = models.DateField(_("date of outcome"), null=True, blank=True)
    # The caseworker took the referral back; the provider reads the reason.
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdraw_reason = models.CharField(_("reason for withdrawing"), max_length=300, blank=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            # The provider's inbox and the office's waiting list read by status.
            models.Index(fields=["provider", "status", "sent_at"], name="referral_provider_idx"),
            models.Index(fields=["case", "sent_at"], name="referral_case_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="declined") | ~models.Q(decline_reason=""),
                name="referral_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="withdrawn") | ~models.Q(withdraw_reason=""),
                name="referral_withdrawn_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(consent_basis="legal_ground") | ~models.Q(legal_ground=""),
                name="referral_legal_ground_named",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"N-{self.sent_at:%Y}-{self.pk:06d}"

    @property
    def is_overdue(self) -> bool:
        """Not answered by the acceptance deadline (settings.QORGAU_DEADLINES)."""
        return self.status == self.Status.SENT and self.accept_due_at < timezone.now()


class ReferralSession(models.Model):
    """A session of the service, as the provider recorded it."""

    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("referral")
    )
    held_on = models.DateField(_("date"))
    attended = models.BooleanField(_("attended"), default=True)
    note = EncryptedTextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["held_on", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return f"{self.referral} {self.held_on}"
