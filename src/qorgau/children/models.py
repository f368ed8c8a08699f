from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.models import Organisation
from qorgau.places.models import Place
from qorgau.protection.fields import EncryptedCharField, IINHashField

# A child is a person under 18 (Law of the Republic of Kazakhstan on the rights of the
# child, art. 1).
ADULT_AGE = 18


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")
    UNKNOWN = "U", _("Unknown")


class Child(models.Model):
    """One child, one record: every report and case about the child points here."""

    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    # Empty for a child not yet identified ("unknown, about 7 years, girl"): then the
    # approximate age or the description says who they are, until the names are known.
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    middle_name = models.CharField(_("patronymic"), max_length=100, blank=True)
    # Names in another script, as written in a document (e.g. Latin in a passport).
    other_spelling = models.CharField(_("name in another script"), max_length=200, blank=True)
    # Searched through a trigram index on PostgreSQL (migration 0005), by LIKE on SQLite.
    search_key = models.CharField(max_length=400, editable=False)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_date_estimated = models.BooleanField(_("date of birth is estimated"), default=False)
    approximate_age = models.PositiveSmallIntegerField(
        _("approximate age (years)"), null=True, blank=True
    )
    description = EncryptedCharField(
        _("description"),
        max_length=300,
        blank=True,
        db_default="",
        help_text=_("How to recognise a child whose name is not known yet."),
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    # The IIN is stored encrypted, and found by its keyed hash (docs/adr/0005).
    iin = EncryptedCharField(_("IIN"), max_length=12, null=True, blank=True)
    iin_hash = IINHashField(null=True, unique=True)
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="+", verbose_name=_("place of residence")
    )
    # The region of the place of residence (its KATO code's first two digits), kept by
    # the services with the place: the name search index leads with it (children
    # 0010), so a caseworker's search reads their region's names, not the country's.
    region_code = models.CharField(max_length=2, editable=False)
    # Linked (or maybe linked: a move sets it too) to a case of another region than the
    # child's own: the children a search finds beyond the searcher's region through the
    # small index of these alone (children 0010). Set by the services, never cleared: a
    # mark too many costs one more test of a search's match, a mark missing would hide
    # a child from the staff of the case (cases.services.links).
    linked_beyond_region = models.BooleanField(default=False, editable=False)
    address = models.CharField(_("address"), max_length=300, blank=True)
    languages = models.CharField(
        _("languages"), max_length=100, blank=True, help_text=_("For example: Kazakh, Russian")
    )
    disability = models.BooleanField(_("has a disability"), default=False)
    disability_note = EncryptedCharField(_("disability details"), max_length=300, blank=True)
    school = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pupils",
        limit_choices_to={"kind": Organisation.Kind.SCHOOL},
        verbose_name=_("school"),
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by"),
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("child")
        verbose_name_plural = _("children")
        indexes = [models.Index(fields=["birth_date"], name="child_birth_date_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(first_name="")
                | models.Q(approximate_age__isnull=False)
                | ~models.Q(description=""),
                name="child_named_or_described",
            ),
            models.CheckConstraint(
                condition=models.Q(region_code__regex=r"^[0-9]{2}$"), name="child_region_code_set"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("child-detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        named = " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)
        return named or self.unknown_label

    @property
    def unknown_label(self) -> str:
        """A child not yet identified, as the worker would say it: "Unknown, about 7
        years, girl"."""
        parts = [str(_("Unknown"))]
        if self.approximate_age is not None:
            parts.append(str(_("about %(age)s years")) % {"age": self.approximate_age})
        if self.sex != Sex.UNKNOWN:
            parts.append(str(_("girl") if self.sex == Sex.FEMALE else _("boy")))
        return ", ".join(parts)


class FamilyMember(models.Model):
    class Relationship(models.TextChoices):
        MOTHER = "mother", _("Mother")
        FATHER = "father", _("Father")
        STEPMOTHER = "stepmother", _("Stepmother")
        STEPFATHER = "stepfather", _("Stepfather")
        GRANDPARENT = "grandparent", _("Grandparent")
        SIBLING = "sibling", _("Brother or sister")
        GUARDIAN = "guardian", _("Guardian or trustee")
        FOSTER = "foster", _("Foster parent")
        OTHER_RELATIVE = "other_relative", _("Other relative")
        OTHER = "other", _("Other")

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="family", verbose_name=_("child")
    )
    relationship = models.CharField(_("relationship"), max_length=20, choices=Relationship.choices)
    full_name = models.CharField(_("full name"), max_length=300)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    phone = EncryptedCharField(_("phone"), max_length=30, blank=True)
    is_caregiver = models.BooleanField(_("caregiver"), default=False)
    lives_with_child = models.BooleanField(_("lives with the child"), default=True)

    class Meta:
        ordering = ["child", "relationship"]
        verbose_name = _("family member")
        verbose_name_plural = _("family members")

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_relationship_display()})"
