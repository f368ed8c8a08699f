"""Official statistics kept for monitoring: population denominators and offences.

One row per cell of the source tables (year × region × ...). Each import is kept with
its file, checksum and who made it; every cell an import changed is kept in history.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class Sex(models.TextChoices):
    MALE = "M", _("boys")
    FEMALE = "F", _("girls")


class AgeGroup(models.TextChoices):
    AGE_0_4 = "0-4", "0-4"
    AGE_5_9 = "5-9", "5-9"
    AGE_10_14 = "10-14", "10-14"
    AGE_15_17 = "15-17", "15-17"


class StatsImport(models.Model):
    """One imported file of official statistics, as it was read."""

    class Kind(models.TextChoices):
        POPULATION = "population", _("population")
        OFFENCES = "offences", _("offences")

    class Mode(models.TextChoices):
        ALL_OR_NOTHING = "all_or_nothing", _("all or nothing")
        GOOD_ROWS = "good_rows", _("good rows only")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    file_name = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    content = models.BinaryField(_("source file"))
    mode = models.CharField(_("mode"), max_length=16, choices=Mode.choices)
    imported_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    rows_read = models.PositiveIntegerField(_("rows read"))
    rows_added = models.PositiveIntegerField(_("cells added"))
    rows_changed = models.PositiveIntegerField(_("cells changed"))
    rows_rejected = models.PositiveIntegerField(_("rows rejected"))
    # [{file, row, column, value, reason}] for the rows left out (good-rows mode).
    problems = models.JSONField(_("problems"), default=list, blank=True)

    class Meta:
        ordering = ["-imported_at", "-pk"]
        verbose_name = _("statistics import")
        verbose_name_plural = _("statistics imports")

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name} ({self.imported_at:%Y-%m-%d})"


class PopulationCount(models.Model):
    """Children of one sex and age group in one region and year (Bureau of National
    Statistics): the denominator of every rate per 100,000 children 0-17."""

    year = models.PositiveSmallIntegerField(_("year"))
    region = models.CharField(_("region"), max_length=2)  # ISO 3166-2:KZ code
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    age_group = models.CharField(_("age group"), max_length=5, choices=AgeGroup.choices)
    children = models.PositiveIntegerField(_("children"))
    source = models.ForeignKey(StatsImport, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["year", "region", "sex", "age_group"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "region", "sex", "age_group"], name="population_cell_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.region} {self.sex} {self.age_group}: {self.children}"


class OffenceCount(models.Model):
    """Registered offences against minors of one group in one region and year
    (Committee on Legal Statistics and Special Accounts)."""

    year = models.PositiveSmallIntegerField(_("year"))
    region = models.CharField(_("region"), max_length=2)
    group = models.CharField(_("group"), max_length=40)  # qorgau.monitoring.offences
    count = models.PositiveIntegerField(_("count"))
    source = models.ForeignKey(StatsImport, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["year", "region", "group"]
        constraints = [
            models.UniqueConstraint(fields=["year", "region", "group"], name="offence_cell_once"),
        ]
        indexes = [models.Index(fields=["group", "year"], name="offence_group_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.region} {self.group}: {self.count}"


class StatsCellChange(models.Model):
    """A cell a later import changed: the old value is kept, never overwritten silently."""

    source = models.ForeignKey(StatsImport, on_delete=models.CASCADE, related_name="changes")
    key = models.CharField(_("cell"), max_length=80)  # "2023,55,M,0-4"
    old_value = models.PositiveIntegerField(_("old value"))
    new_value = models.PositiveIntegerField(_("new value"))

    class Meta:
        ordering = ["source", "key"]

    def __str__(self) -> str:
        return f"{self.key}: {self.old_value} -> {self.new_value}"
