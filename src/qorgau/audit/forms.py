from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from qorgau.audit.models import RecordKind
from qorgau.limits import ID_MAX


class PeriodForm(forms.Form):
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise ValidationError(_("The period ends before it starts."))
        return data


class RecordLookupForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Record kind"),
        choices=[(k.value, k.label) for k in RecordKind if k != RecordKind.ACCESS_LOG],
    )
    record_id = forms.IntegerField(label=_("Record number"), min_value=1, max_value=ID_MAX)


class UserLookupForm(forms.Form):
    # A name no account can have ("a/b") would not even make the log page's address.
    username = forms.CharField(
        label=_("User name"), max_length=150, validators=[UnicodeUsernameValidator()]
    )


class ChildLookupForm(forms.Form):
    child = forms.CharField(
        label=_("Name, IIN or case number"),
        max_length=200,
        help_text=_("For example: Omarova Dana, 12 digits, or C-2026-000123."),
        error_messages={"required": _("Type a name, an IIN or a case number.")},
    )
