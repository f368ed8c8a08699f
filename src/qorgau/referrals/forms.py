"""Forms of the directory and of referrals: parse the input; the services decide."""

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau import limits
from qorgau.cases.models import PlanAction
from qorgau.children.models import Child
from qorgau.places.models import Place
from qorgau.referrals.models import HousingNeed, Language, Provider, Referral, ServiceType


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DirectorySearchForm(forms.Form):
    service = forms.ModelChoiceField(
        label=_("Need"), queryset=ServiceType.objects.all(), required=False
    )
    place = forms.ModelChoiceField(
        label=_("Where the child lives"), queryset=Place.objects.order_by("kato"), required=False
    )
    name = forms.CharField(label=_("Provider's name"), required=False, max_length=100)


class ProviderForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=Language.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Provider
        fields = [
            "services",
            "coverage",
            "waiting_days",
            "capacity",
            "languages",
            "hours",
            "phone",
            "email",
            "address",
            "active",
        ]
        widgets = {"services": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial["languages"] = self.instance.languages.split(",")
        cast(forms.ModelChoiceField, self.fields["coverage"]).queryset = Place.objects.order_by(
            "kato"
        )

    def clean_languages(self) -> str:
        return ",".join(self.cleaned_data["languages"])


class ProviderChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Provider) -> str:
        waiting = _("waiting %(days)s days") % {"days": obj.waiting_days}
        return f"{obj.organisation.name} ({waiting})"


class HousingNeedChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: HousingNeed) -> str:
        return f"{obj.child.full_name}: {obj.get_kind_display()}"


class ReferralForm(forms.Form):
    child = forms.ModelChoiceField(label=_("Child"), queryset=Child.objects.none())
    service = forms.ModelChoiceField(label=_("Service"), queryset=ServiceType.objects.all())
    provider = ProviderChoice(
        label=_("Provider"), queryset=Provider.objects.none(), widget=forms.RadioSelect
    )
    plan_action = forms.ModelChoiceField(
        label=_("Plan action it carries out"), queryset=PlanAction.objects.none(), required=False
    )
    housing_need = HousingNeedChoice(
        label=_("Housing need it answers"), queryset=HousingNeed.objects.none(), required=False
    )
    consent_basis = forms.ChoiceField(
        label=_("Basis"),
        choices=Referral.ConsentBasis.choices,
        initial=Referral.ConsentBasis.CONSENT,
        widget=forms.RadioSelect,
    )
    caregiver_consent = forms.BooleanField(label=_("The caregiver agrees"), required=False)
    child_consent = forms.BooleanField(label=_("The child agrees"), required=False)
    legal_ground = forms.CharField(
        label=_("Legal ground (without consent)"), required=False, max_length=limits.LINE
    )
    reason = forms.CharField(
        label=_("Reason for referral"),
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    share_name = forms.BooleanField(label=_("Share the child's name"), required=False, initial=True)
    share_age = forms.BooleanField(label=_("Share the child's age"), required=False, initial=True)
    contact = forms.CharField(
        label=_("Contact for the provider"),
        max_length=limits.LINE,
        help_text=_("Who the provider calls: the caregiver's phone or yours."),
    )
    note = forms.CharField(
        label=_("Anything else the provider must know"),
        required=False,
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only what the service needs: never the case file."),
    )

    def __init__(
        self,
        *args: Any,
        children: QuerySet[Child],
        providers: QuerySet[Provider],
        plan_actions: QuerySet[PlanAction],
        housing_needs: QuerySet[HousingNeed] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["child"]).queryset = children
        cast(forms.ModelChoiceField, self.fields["provider"]).queryset = providers
        cast(forms.ModelChoiceField, self.fields["plan_action"]).queryset = plan_actions
        if housing_needs is None or not housing_needs.exists():
            del self.fields["housing_need"]
        else:
            cast(forms.ModelChoiceField, self.fields["housing_need"]).queryset = housing_needs


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reason for declining"), max_length=limits.LINE)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawing"),
        max_length=limits.LINE,
        help_text=_("The provider reads it."),
    )


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    attended = forms.BooleanField(label=_("The child attended"), required=False, initial=True)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class OutcomeForm(forms.Form):
    completed = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("yes", _("Completed")), ("no", _("Not completed"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    outcome = forms.CharField(
        label=_("Outcome"), max_length=limits.NOTE, widget=forms.Textarea(attrs={"rows": 3})
    )
    ended_on = forms.DateField(
        label=_("Date of outcome"), widget=DateInput(), initial=timezone.localdate
    )


class HousingNeedForm(forms.Form):
    child = forms.ModelChoiceField(label=_("Child"), queryset=Child.objects.none())
    kind = forms.ChoiceField(
        label=_("Housing need"), choices=HousingNeed.Kind.choices, widget=forms.RadioSelect
    )
    identified_on = forms.DateField(
        label=_("Date identified"), widget=DateInput(), initial=timezone.localdate
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Where the family lives now, what is at risk, what was tried."),
    )

    def __init__(self, *args: Any, children: QuerySet[Child], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["child"]).queryset = children
        if children.count() == 1:
            self.fields["child"].initial = children.first()


class HousingResolveForm(forms.Form):
    outcome = forms.CharField(
        label=_("Outcome"),
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("How the need was met or why it ended."),
    )
    resolved_on = forms.DateField(
        label=_("Date resolved"), widget=DateInput(), initial=timezone.localdate
    )


# The indicators page offers the years since referrals began to be recorded (2025).
FIRST_YEAR = 2025


class IndicatorFilterForm(forms.Form):
    year = forms.TypedChoiceField(
        label=_("Year referred"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        years = range(this_year, min(FIRST_YEAR, this_year) - 1, -1)
        cast(forms.TypedChoiceField, self.fields["year"]).choices = [
            ("", _("All years")),
            *((y, str(y)) for y in years),
        ]
