from django import forms
from django.utils.translation import gettext_lazy as _

from qorgau import limits


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=limits.NOTE, widget=forms.Textarea(attrs={"rows": 3})
    )


class MergeDecisionForm(forms.Form):
    """The other office's answer to a merge across offices."""

    decision = forms.ChoiceField(
        label=_("Answer"),
        choices=[
            ("approve", _("Approve: these are one child, merge the records")),
            ("decline", _("Decline: these are two children")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note (needed to decline)"),
        max_length=limits.NOTE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AutoMergeForm(forms.Form):
    enabled = forms.TypedChoiceField(
        label=_("Automatic merging above the high threshold"),
        choices=[("1", _("On")), ("0", _("Off"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=limits.NOTE, widget=forms.Textarea(attrs={"rows": 2})
    )
