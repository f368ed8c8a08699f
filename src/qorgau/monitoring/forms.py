from django import forms
from django.utils.translation import gettext_lazy as _

from qorgau.monitoring.models import StatsImport
from qorgau.monitoring.offences import group_codes, group_label
from qorgau.monitoring.regions import region_codes, region_name

MAX_UPLOAD = 5 * 1024 * 1024  # a national table is tens of kilobytes


class DashboardFilterForm(forms.Form):
    group = forms.ChoiceField(label=_("Offence group"), required=False)
    year_from = forms.TypedChoiceField(label=_("From"), coerce=int, required=False)
    year_to = forms.TypedChoiceField(label=_("To"), coerce=int, required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)

    def __init__(self, *args: object, years: list[int], national: bool, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
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
        return data


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
