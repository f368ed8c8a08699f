"""Suicide-risk screening (an instrument kept as data) and safety plans.

Both are as sensitive as the case: they are read only through the case (access.py), their
text is encrypted at rest, and they go with the case under the retention policy.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from qorgau.cases.models import Case
from qorgau.children.models import Child
from qorgau.protection.fields import EncryptedJSONField, EncryptedTextField

USER = settings.AUTH_USER_MODEL


class ScreeningQuestion(models.Model):
    """A question of a screening instrument. The default instrument is the ASQ
    (Ask Suicide-Screening Questions, NIMH, public domain), loaded by migration 0002."""

    instrument = models.SlugField(default="asq")
    code = models.SlugField()
    text_kk = models.CharField(max_length=400)
    text_ru = models.CharField(max_length=400)
    text_en = models.CharField(max_length=400)
    # The acuity question: asked after any "yes"; a "yes" to it is immediate danger.
    acuity = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["instrument", "order"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="screening_question_once")
        ]

    def __str__(self) -> str:
        return f"{self.instrument}:{self.code}"

    def text(self) -> str:
        lang = (get_language() or "ru")[:2]
        return {"kk": self.text_kk, "en": self.text_en}.get(lang, self.text_ru)


class Screening(models.Model):
    class Result(models.TextChoices):
        NEGATIVE = "negative", _("Negative screen")
        POSITIVE = "positive", _("Positive screen (non-acute)")
        ACUTE = "acute", _("Acute positive screen: immediate danger")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="screenings", verbose_name=_("case")
    )
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    instrument = models.SlugField(default="asq")
    performed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    performed_at = models.DateTimeField(_("screened at"))
    answers = EncryptedJSONField(_("answers"), default=dict)  # code -> "yes"/"no"/"refused"
    result = models.CharField(_("result"), max_length=10, choices=Result.choices)
    safety_plan_due_at = models.DateTimeField(_("safety plan due"), null=True, blank=True)

    class Meta:
        ordering = ["-performed_at"]
        verbose_name = _("suicide-risk screening")
        verbose_name_plural = _("suicide-risk screenings")

    def __str__(self) -> str:
        return f"{self.case} {self.result}"

    @property
    def is_positive(self) -> bool:
        return self.result != self.Result.NEGATIVE


class SafetyPlan(models.Model):
    """The Stanley-Brown safety planning intervention's six steps, for one child."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="safety_plans", verbose_name=_("case")
    )
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    warning_signs = EncryptedTextField(_("1. Warning signs"))
    coping = EncryptedTextField(_("2. Internal coping strategies"))
    distraction = EncryptedTextField(_("3. People and places that help take my mind off things"))
    people = EncryptedTextField(_("4. People I can ask for help"))
    professionals = EncryptedTextField(_("5. Professionals and services I can contact"))
    environment = EncryptedTextField(_("6. Making the environment safe"))
    review_on = models.DateField(_("next review"))
    written_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(_("written"))
    reviewed_at = models.DateTimeField(_("last reviewed"), null=True, blank=True)

    class Meta:
        ordering = ["-written_at"]
        verbose_name = _("safety plan")
        verbose_name_plural = _("safety plans")

    def __str__(self) -> str:
        return f"{self.case} safety plan"
