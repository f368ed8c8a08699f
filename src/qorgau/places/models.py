from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Place(models.Model):
    """A unit of the KATO tree: region or city, district, rural okrug, settlement.

    The KATO code (AB-CD-EF-HIJ) carries the tree: its first two digits are the region,
    so "everything in region 55" is a prefix match on an indexed column.
    """

    class Kind(models.TextChoices):
        REGION = "region", _("Region")
        CITY = "city", _("City of republican significance")
        DISTRICT = "district", _("District")
        SETTLEMENT = "settlement", _("Settlement")

    kato = models.CharField(_("KATO code"), max_length=9, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    iso_code = models.CharField(_("ISO 3166-2:KZ code"), max_length=2, blank=True)
    created_on = models.DateField(_("created on"), null=True, blank=True)

    class Meta:
        ordering = ["kato"]
        verbose_name = _("place")
        verbose_name_plural = _("places")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kato__regex=r"^[0-9]{9}$"), name="place_kato_nine_digits"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        lang = (get_language() or "ru")[:2]
        return {"kk": self.name_kk, "en": self.name_en}.get(lang, self.name_ru)

    @property
    def region_code(self) -> str:
        return self.kato[:2]

    @property
    def territory_prefix(self) -> str:
        """The KATO prefix of every place inside this one: 2 digits for a region or
        city, 4 for a district, 6 for a rural okrug, all 9 for a settlement."""
        for length in (2, 4, 6):
            if self.kato[length:] == "0" * (9 - length):
                return self.kato[:length]
        return self.kato
