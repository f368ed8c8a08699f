from typing import Any, cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from qorgau import limits
from qorgau.accounts.models import User
from qorgau.accounts.roles import Role
from qorgau.accounts.services import delegation_problems


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=16,
        help_text=_("The 6-digit code from your authenticator app, or a recovery code."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_token(self) -> str:
        return self.cleaned_data["token"].replace(" ", "")


class SetupTokenForm(TokenForm):
    """Setting up the authenticator: there are no recovery codes yet."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["token"].help_text = _("The 6-digit code your authenticator app shows.")


class EnrolmentCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Enrolment code"),
        max_length=20,
        help_text=_("For example ABCD-EFGH-JKMN, from your administrator."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class ReauthForm(AuthenticationForm):
    """Password again (and the code, for users with a second factor)."""

    token = forms.CharField(
        label=_("Code"),
        required=False,
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class DelegationForm(forms.Form):
    deputy = forms.ModelChoiceField(label=_("Deputy"), queryset=User.objects.none())
    starts_on = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ends_on = forms.DateField(
        label=_("Until (inclusive)"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The delegation ends by itself after this day."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=limits.LINE)

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        deputies = User.objects.filter(
            organisation=actor.organisation,
            role__in=[Role.CASEWORKER, Role.SUPERVISOR],
            is_active=True,
        ).exclude(pk=actor.pk)
        field = cast(forms.ModelChoiceField, self.fields["deputy"])
        field.queryset = deputies.order_by("last_name", "first_name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on"):
            problems = delegation_problems(
                actor=self.actor,
                deputy=data.get("deputy"),
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                reason=data.get("reason", ""),
            )
            for field, problem in problems.items():
                if field not in self.errors:
                    self.add_error(field, problem)
        return data
