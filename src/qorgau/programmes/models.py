"""Prevention programmes: their directions, measures and indicators (configuration data,
loaded by a data migration and by `qorgau programmes import`), and the quarterly
progress the responsible bodies and schools report. No child's personal data here.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qorgau.accounts.models import Organisation
from qorgau.places.models import Place

USER = settings.AUTH_USER_MODEL
QUARTER = [MinValueValidator(1), MaxValueValidator(4)]


class Named(models.Model):
    """A name in the three interface languages, shown in the reader's."""

    name_kk = models.CharField(_("name (Kazakh)"), max_length=500)
    name_ru = models.CharField(_("name (Russian)"), max_length=500)
    name_en = models.CharField(_("name (English)"), max_length=500, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        lang = (get_language() or "ru")[:2]
        return {"kk": self.name_kk, "en": self.name_en or self.name_ru}.get(lang, self.name_ru)


class Programme(Named):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    class Meta:
        ordering = ["starts_on", "code"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")


class Direction(Named):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="directions")
    number = models.PositiveSmallIntegerField(_("number"))

    class Meta:
        ordering = ["programme", "number"]
        verbose_name = _("direction")
        verbose_name_plural = _("directions")
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="direction_unique_number")
        ]


class ResponsibleBody(Named):
    """A ministry, akimat or organisation named in a plan as responsible for measures.

    `region` empty: a national body. `organisation`: the Qorgau organisation whose
    programme coordinators report for it (none yet: nobody reports for it in Qorgau).
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    region = models.ForeignKey(
        Place, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="programme_bodies",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("responsible body")
        verbose_name_plural = _("responsible bodies")


class Measure(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="measures")
    direction = models.ForeignKey(Direction, on_delete=models.PROTECT, related_name="measures")
    number = models.PositiveSmallIntegerField(_("number"))
    title_kk = models.TextField(_("title (Kazakh)"))
    title_ru = models.TextField(_("title (Russian)"))
    title_en = models.TextField(_("title (English)"), blank=True)
    deadline = models.DateField(_("deadline"))
    budget_line = models.CharField(_("budget line"), max_length=200, blank=True)
    bodies = models.ManyToManyField(ResponsibleBody, related_name="measures")
    # The latest reported status (the reports keep every quarter's).
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )

    class Meta:
        ordering = ["programme", "number"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="measure_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def title(self) -> str:
        lang = (get_language() or "ru")[:2]
        return {"kk": self.title_kk, "en": self.title_en or self.title_ru}.get(lang, self.title_ru)


class Indicator(Named):
    """A programme indicator: what is measured, from where, and its targets."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="indicators")
    direction = models.ForeignKey(
        Direction, on_delete=models.PROTECT, null=True, blank=True, related_name="indicators"
    )
    code = models.CharField(_("code"), max_length=20)
    unit = models.CharField(_("unit"), max_length=40)
    # Whether reaching the target means the value is at or above it, or at or below.
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"))
    baseline_value = models.DecimalField(_("baseline value"), max_digits=14, decimal_places=3)
    source = models.CharField(_("source"), max_length=300, blank=True)
    # The code of a monitoring indicator definition (qorgau.monitoring.indicators) that
    # computes the values from data; empty: the values are reported (IndicatorValue).
    definition = models.CharField(_("definition"), max_length=80, blank=True)

    class Meta:
        ordering = ["programme", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="indicator_unique_code")
        ]


class IndicatorTarget(models.Model):
    """A yearly target, nationally (no region) or for one region."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("year"))
    region = models.ForeignKey(
        Place, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    value = models.DecimalField(_("target"), max_digits=14, decimal_places=3)

    class Meta:
        verbose_name = _("indicator target")
        verbose_name_plural = _("indicator targets")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "region"],
                name="indicator_target_unique",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year}: {self.value}"


class MeasureReport(models.Model):
    """A responsible body's status of one measure for one quarter."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="reports")
    body = models.ForeignKey(ResponsibleBody, on_delete=models.PROTECT, related_name="reports")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), validators=QUARTER)
    status = models.CharField(_("status"), max_length=12, choices=Measure.Status.choices)
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    reported_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(_("reported at"))
    # Every correction of a report is kept (who, when, what it said before).
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-quarter"]
        verbose_name = _("measure report")
        verbose_name_plural = _("measure reports")
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "body", "year", "quarter"], name="measure_report_unique"
            )
        ]
        indexes = [models.Index(fields=["body", "year", "quarter"], name="measure_report_body")]

    def __str__(self) -> str:
        return f"{self.measure.number} {self.year} Q{self.quarter}: {self.status}"


class IndicatorValue(models.Model):
    """An indicator's value for one year, nationally or for a region, as reported.

    An estimated value (a survey) carries its 95% interval; a counted one has none.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    region = models.ForeignKey(
        Place, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), validators=QUARTER)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=3)
    ci_low = models.DecimalField(
        _("interval from"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    ci_high = models.DecimalField(
        _("interval to"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    reported_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(_("reported at"))
    # Every correction of a report is kept (who, when, what it said before).
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-quarter"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "region", "year", "quarter"],
                name="indicator_value_unique",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=(models.Q(ci_low__isnull=True) & models.Q(ci_high__isnull=True))
                | (
                    models.Q(ci_low__lte=models.F("value"))
                    & models.Q(ci_high__gte=models.F("value"))
                ),
                name="indicator_value_interval_around_value",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year} Q{self.quarter}: {self.value}"


class ActivityReport(models.Model):
    """A school's Adal Azamat activities in one quarter, for one grade."""

    school = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="activity_reports"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), validators=QUARTER)
    grade = models.PositiveSmallIntegerField(
        _("grade"), validators=[MinValueValidator(0), MaxValueValidator(11)]
    )
    sessions_held = models.PositiveIntegerField(_("sessions held"))
    pupils_reached = models.PositiveIntegerField(_("pupils reached"))
    reported_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(_("reported at"))
    # Every correction of a report is kept (who, when, what it said before).
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-quarter", "grade"]
        verbose_name = _("Adal Azamat activity report")
        verbose_name_plural = _("Adal Azamat activity reports")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "year", "quarter", "grade"], name="activity_report_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.year} Q{self.quarter} grade {self.grade}"
