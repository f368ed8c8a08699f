from django import forms
from django.utils.translation import gettext_lazy as _

from qorgau.cases.choices import Concern
from qorgau.cases.rollups import AGE_GROUPS
from qorgau.children.models import Sex
from qorgau.monitoring.casedata import CaseFilters, districts_of
from qorgau.monitoring.models import StatsImport
from qorgau.monitoring.offences import group_codes, group_label
from qorgau.monitoring.regions import region_codes, region_name
from qorgau.places.models import Place

MAX_UPLOAD = 5 * 1024 * 1024  # a national table is tens of kilobytes


class DashboardFilterForm(forms.Form):
    group = forms.ChoiceField(label=_("Offence group"), required=False)
    year_from = forms.TypedChoiceField(label=_("From"), coerce=int, required=False)
    year_to = forms.TypedChoiceField(label=_("To"), coerce=int, required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    # Case data (reports and cases in Qorgau) only: official statistics have no district,
    # concern, sex or age group.
    district = forms.TypedChoiceField(label=_("District"), coerce=int, required=False)
    concern = forms.ChoiceField(label=_("Concern"), required=False)
    sex = forms.ChoiceField(label=_("Sex of the child"), required=False)
    age_group = forms.ChoiceField(label=_("Age group"), required=False)

    def __init__(
        self, *args: object, years: list[int], national: bool, scope: str = "", **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.scope = scope
        by_region: dict[str, list[tuple[int, str]]] = {}
        for place in districts_of("" if national else scope):
            by_region.setdefault(place.kato[:2], []).append((place.pk, place.name))
        self.fields["district"].choices = [  # type: ignore[attr-defined]
            ("", _("All districts")),
            *((region_name(code), by_region[code]) for code in region_codes() if code in by_region),
        ]
        self.fields["concern"].choices = [("", _("All concerns")), *Concern.choices]  # type: ignore[attr-defined]
        self.fields["sex"].choices = [  # type: ignore[attr-defined]
            ("", _("Girls and boys")),
            (Sex.FEMALE.value, _("Girls")),
            (Sex.MALE.value, _("Boys")),
        ]
        self.fields["age_group"].choices = [  # type: ignore[attr-defined]
            ("", _("All ages")),
            *((g, g) for g in AGE_GROUPS),
        ]
        self.fields["group"].choices = [(g, group_label(g)) for g in group_codes()]  # type: ignore[attr-defined]
        year_choices = [(y, str(y)) for y in years]
        self.fields["year_from"].choices = year_choices  # type: ignore[attr-defined]
        self.fields["year_to"].choices = year_choices  # type: ignore[attr-defined]
        if national:
            self.fields["region"].choices = [  # type: ignore[attr-defined]
                ("", _("Kazakhstan")),
                *((c, region_name(c)) for c in region_codes()),
            ]
        else:
            del self.fields["region"]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        first, last = data.get("year_from"), data.get("year_to")
        if isinstance(first, int) and isinstance(last, int) and first >= last:
            self.add_error("year_to", _("The second year must come after the first."))
        district = data.get("district")
        region = data.get("region") or self.scope
        if district and region:
            place = Place.objects.filter(pk=district).first()
            if place is None or not place.kato.startswith(region):
                self.add_error(
                    "district",
                    _("That district is not in %(region)s.") % {"region": region_name(region)},
                )
        return data

    def case_filters(self) -> CaseFilters:
        """The case-data filters of a valid form (none of an invalid one)."""
        data = self.cleaned_data if self.is_valid() else {}
        district = data.get("district")
        return CaseFilters(
            region=data.get("region") or "",
            district=Place.objects.get(pk=district) if district else None,
            concern=data.get("concern") or "",
            sex=data.get("sex") or "",
            age_group=data.get("age_group") or "",
        )


class StatsImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Table"), choices=StatsImport.Kind.choices)
    file = forms.FileField(label=_("File (.csv or .xlsx)"))
    mode = forms.ChoiceField(
        label=_("If some rows are bad"),
        choices=[
            ("all_or_nothing", _("store nothing (all or nothing)")),
            ("good_rows", _("store the good rows")),
        ],
        initial="all_or_nothing",
        widget=forms.RadioSelect,
    )
    dry_run = forms.BooleanField(label=_("Only show what would change"), required=False)

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("The file must be .csv or .xlsx."))
        return upload
