from pathlib import Path

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class Survey(models.Model):
    """One imported MICS dataset: its files are kept under VAR_DIR, its estimates here."""

    class Layout(models.TextChoices):
        MICS6 = "mics6", "MICS6"
        MICS5 = "mics5", "MICS5"

    name = models.SlugField(_("name"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    layout = models.CharField(_("layout"), max_length=5, choices=Layout.choices)
    imported_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField(_("imported at"))
    # Relative to settings.VAR_DIR, so a data folder can move with its database.
    folder = models.CharField(_("storage folder"), max_length=300)
    # [{code, severity, file, variable, count, rows, handling, message}] from qorgau.mics.
    problems = models.JSONField(_("import problems"), default=list, blank=True)

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("survey-detail", kwargs={"name": self.name})

    @property
    def path(self) -> Path:
        return Path(settings.VAR_DIR) / self.folder


class SurveyFile(models.Model):
    """A stored ``.sav`` file and its SHA-256, to recognise the same data imported twice."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(_("file"), max_length=10)  # hh, hl, wm, mn, ch, fs
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    rows = models.PositiveIntegerField(_("records"))
    variables = models.PositiveIntegerField(_("variables"))

    class Meta:
        ordering = ["survey", "name"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "name"], name="survey_file_once"),
        ]

    def __str__(self) -> str:
        return f"{self.survey.name}/{self.name}.sav"


class SurveyEstimate(models.Model):
    """One cell of the tidy table of ``qorgau.mics.compute_tables``, in percent."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="estimates")
    position = models.PositiveIntegerField()  # row order of the computed table
    indicator = models.CharField(max_length=20)  # PR.2, PR.2.NV, ...
    disaggregation = models.CharField(max_length=30)  # total, area, region, ...
    category = models.CharField(max_length=200)  # value label from the data file
    # Region rows matched to a KATO region (first two digits), blank when unmatched.
    region_code = models.CharField(max_length=2, blank=True)
    # NaN in the computed table (no cases, or p = 0 or 1 for deff) is stored as NULL.
    estimate = models.FloatField(null=True)
    se = models.FloatField(null=True)
    ci_low = models.FloatField(null=True)
    ci_high = models.FloatField(null=True)
    deff = models.FloatField(null=True)
    n_unweighted = models.PositiveIntegerField()
    n_weighted = models.FloatField()
    flag = models.CharField(max_length=2, blank=True)  # "*" below 25 cases, "()" for 25-49

    class Meta:
        ordering = ["survey", "position"]
        indexes = [
            models.Index(fields=["survey", "disaggregation", "indicator"], name="estimate_lookup"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.disaggregation}={self.category}: {self.estimate}"
