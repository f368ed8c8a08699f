from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau import limits
from qorgau.accounts.models import User
from qorgau.accounts.roles import Role


class GrantForm(forms.Form):
    prefix = "grant"
    user = forms.ModelChoiceField(label=_("Colleague"), queryset=User.objects.none())
    reason = forms.CharField(
        label=_("Reason"), max_length=limits.NOTE, widget=forms.Textarea(attrs={"rows": 2})
    )
    expires_at = forms.DateTimeField(
        label=_("Until"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty to keep the access until you revoke it."),
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["user"]).queryset = (
            User.objects.filter(
                organisation=actor.organisation,
                role__in=[Role.CASEWORKER, Role.SUPERVISOR],
                is_active=True,
            )
            .exclude(pk=actor.pk)
            .order_by("last_name")
        )

    def clean_expires_at(self) -> Any:
        value = self.cleaned_data["expires_at"]
        if value is not None and value <= timezone.now():
            raise forms.ValidationError(_("The end of the access must be in the future."))
        return value


class EmergencyForm(forms.Form):
    reference = forms.CharField(
        label=_("Case number"), max_length=20, help_text=_("For example C-2026-001234.")
    )
    reason = forms.CharField(
        label=_("What is the emergency?"),
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Your supervisor will review this access. Everything you open is logged."),
    )


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Conclusion"), max_length=limits.NOTE, widget=forms.Textarea(attrs={"rows": 2})
    )
