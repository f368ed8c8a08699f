import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.roles import ROLE_PERMS, Perm, Role
from qorgau.places.models import Place


class Organisation(models.Model):
    class Kind(models.TextChoices):
        CHILD_RIGHTS_DEPARTMENT = "child_rights_dept", _("Regional child rights department")
        CHILD_RIGHTS_OFFICE = "child_rights_office", _("District child rights office")
        GUARDIANSHIP = "guardianship", _("Guardianship and trusteeship body")
        SCHOOL = "school", _("School")
        POLICE = "police", _("Police (juvenile inspectors)")
        CONTACT_CENTRE_111 = "contact_centre_111", _("111 contact centre")
        HEALTH = "health", _("Health facility")
        FAMILY_SUPPORT = "family_support", _("Family support centre")
        CRISIS_NGO = "crisis_ngo", _("Crisis centre or NGO")
        MINORS_COMMISSION = "minors_commission", _("Commission on minors' affairs")
        MINISTRY = "ministry", _("Committee for the Protection of Children's Rights")
        # Service providers a case plan refers to (qorgau.referrals).
        PSYCHOLOGICAL_SERVICE = "psychological", _("Psychological service")
        LEGAL_AID = "legal_aid", _("Legal aid")
        HOUSING_DEPARTMENT = "housing_dept", _("Housing department of the akimat")
        REHABILITATION_CENTRE = "rehabilitation", _("Rehabilitation centre")

    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("place")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="branches",
        verbose_name=_("parent organisation"),
    )

    class Meta:
        ordering = ["place__kato", "name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(fields=["name", "place"], name="organisation_unique_name_place")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def region_code(self) -> str:
        return self.place.region_code


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.CASEWORKER)
    supervisor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="team",
        verbose_name=_("supervisor"),
    )
    # The interface language the user chose (the language switch remembers it): the
    # e-mails they get are written in it. Blank until they choose: the site's default.
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, blank=True, default=""
    )
    # Raised to end all of the user's sessions (see accounts/sessions.py).
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # Every role but the administrator works for an organisation.
            models.CheckConstraint(
                condition=models.Q(role="administrator") | models.Q(organisation__isnull=False),
                name="user_staff_has_organisation",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def has_perm_code(self, perm: Perm) -> bool:
        return self.is_active and perm in ROLE_PERMS.get(self.role, frozenset())

    @property
    def region_code(self) -> str | None:
        return self.organisation.region_code if self.organisation is not None else None


class EnrolmentCode(models.Model):
    """A one-time code the administrator issues so that a user can set up a second factor.

    Without it, whoever first had the password could enrol their own phone. Only a hash
    is stored; the code is shown to the administrator once.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="enrolment_codes", verbose_name=_("user")
    )
    code_hash = models.CharField(max_length=64, unique=True)
    issued_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("issued by")
    )
    issued_at = models.DateTimeField(_("issued"))
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment code")
        verbose_name_plural = _("enrolment codes")

    def __str__(self) -> str:
        return f"{self.user} ({self.issued_at:%Y-%m-%d %H:%M})"


class DelegationQuerySet(models.QuerySet["ApprovalDelegation"]):
    def live(self, today: dt.date | None = None) -> "DelegationQuerySet":
        """In force today: begun, not ended, not revoked. It ends by itself."""
        today = today or timezone.localdate()
        return self.filter(starts_on__lte=today, ends_on__gte=today, revoked_at__isnull=True)


class ApprovalDelegation(models.Model):
    """A supervisor's approvals handed to a deputy of the same office for a period.

    The deputy decides what the supervisor could decide (plans, closures, risk
    sign-offs) while the delegation is in force; four eyes still hold: nobody decides
    their own request.
    """

    delegator = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="delegations_given", verbose_name=_("from")
    )
    deputy = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="delegations_held", verbose_name=_("deputy")
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=300)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = DelegationQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("delegation of approvals")
        verbose_name_plural = _("delegations of approvals")
        indexes = [models.Index(fields=["deputy", "ends_on"], name="delegation_deputy_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="delegation_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(deputy=models.F("delegator")),
                name="delegation_to_someone_else",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delegator} → {self.deputy} ({self.starts_on}–{self.ends_on})"
