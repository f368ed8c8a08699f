from django import forms
from django.utils.translation import gettext_lazy as _

from qorgau import limits
from qorgau.retention.exports import MIN_PASSWORD_LENGTH


class LegalHoldForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the hold"),
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: court proceedings, a prosecutor's request, a complaint."),
    )


class ExportForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the export"),
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded in the access log with your name."),
    )
    password = forms.CharField(
        label=_("Archive password (optional)"),
        required=False,
        min_length=MIN_PASSWORD_LENGTH,
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "At least 12 characters. Leave it empty and a strong password is generated "
            "and shown to you once."
        ),
    )
