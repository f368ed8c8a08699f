from django import forms
from django.utils.translation import gettext_lazy as _

from qorgau import limits


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=limits.NOTE, widget=forms.Textarea(attrs={"rows": 3})
    )
