"""The reporting forms: a body's measures for a quarter, an indicator value, a school's
Adal Azamat activities, a district's file."""

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from qorgau.places.models import Place
from qorgau.programmes.models import Indicator, Measure
from qorgau.programmes.periods import Quarter

MAX_UPLOAD = 5 * 1024 * 1024
NATIONAL = "national"


def quarter_choices(first: dt.date, today: dt.date) -> list[tuple[str, str]]:
    """Quarters from `first` to today's, the latest first ("2026-2": "2026 Q2")."""
    quarter, last = Quarter.of(first), Quarter.of(today)
    choices = []
    while quarter <= last:
        choices.append((f"{quarter.year}-{quarter.quarter}", str(quarter)))
        quarter = quarter.next()
    return choices[::-1]


def parse_quarter(value: str) -> Quarter:
    year, _sep, number = value.partition("-")
    return Quarter(int(year), int(number))


class QuarterField(forms.TypedChoiceField):
    def __init__(self, *, first: dt.date, today: dt.date, **kwargs: Any) -> None:
        super().__init__(
            label=_("Quarter"),
            choices=quarter_choices(first, today),
            coerce=parse_quarter,
            **kwargs,
        )


class MeasureStatusForm(forms.Form):
    """One measure's row of the body's form; prefixed by the measure's number."""

    status = forms.ChoiceField(label=_("Status"), choices=Measure.Status.choices)
    comment = forms.CharField(label=_("Comment"), max_length=2000, required=False)


class IndicatorValueForm(forms.Form):
    indicator = forms.ModelChoiceField(label=_("Indicator"), queryset=Indicator.objects.none())
    region = forms.ChoiceField(label=_("Region"))
    value = forms.DecimalField(label=_("Value"), max_digits=14, decimal_places=3)
    ci_low = forms.DecimalField(
        label=_("Lower limit (95% CI), estimated values only"),
        max_digits=14,
        decimal_places=3,
        required=False,
    )
    ci_high = forms.DecimalField(
        label=_("Upper limit (95% CI)"), max_digits=14, decimal_places=3, required=False
    )

    def __init__(
        self,
        *args: Any,
        indicators: QuerySet[Indicator],
        regions: QuerySet[Place],
        national: bool,
        first: dt.date,
        today: dt.date,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quarter"] = QuarterField(first=first, today=today)
        self.fields["indicator"].queryset = indicators  # type: ignore[attr-defined]
        self.regions = {r.kato: r for r in regions}
        choices = [(NATIONAL, _("National"))] if national else []
        self.fields["region"].choices = choices + [(k, r.name) for k, r in self.regions.items()]  # type: ignore[attr-defined]

    def clean_region(self) -> Place | None:
        value = self.cleaned_data["region"]
        return None if value == NATIONAL else self.regions[value]


class ActivityForm(forms.Form):
    """A school's quarter: sessions held and pupils reached for each grade (0 to 11)."""

    GRADES = range(0, 12)

    def __init__(self, *args: Any, first: dt.date, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quarter"] = QuarterField(first=first, today=today)
        for grade in self.GRADES:
            self.fields[f"sessions_{grade}"] = forms.IntegerField(
                label=_("Grade %(grade)s: sessions held") % {"grade": grade},
                min_value=0,
                max_value=10_000,
                required=False,
            )
            self.fields[f"pupils_{grade}"] = forms.IntegerField(
                label=_("Grade %(grade)s: pupils reached") % {"grade": grade},
                min_value=0,
                max_value=100_000,
                required=False,
            )

    def grade_rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField]]:
        return [(g, self[f"sessions_{g}"], self[f"pupils_{g}"]) for g in self.GRADES]


class ActivityFileForm(forms.Form):
    file = forms.FileField(label=_("XLSX file (sheet “activities”)"))
    keep_good = forms.BooleanField(
        label=_("Store the good rows even if some rows are bad"), required=False
    )

    def __init__(self, *args: Any, first: dt.date, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quarter"] = QuarterField(first=first, today=today)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Only .xlsx files are read."))
        return upload
