"""Forms: one department's row of posts in the quarter's table, and a specialist."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.models import User
from qorgau.workforce.services import check_posts

POSTS_MAX = 100_000  # far above any department's establishment


class PostsRow(forms.Form):
    """A department's row; left empty, the department is not reported this time."""

    approved = forms.IntegerField(
        label=_("Approved posts"), min_value=0, max_value=POSTS_MAX, required=False
    )
    filled = forms.IntegerField(label=_("Filled"), min_value=0, max_value=POSTS_MAX, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        approved, filled = data.get("approved"), data.get("filled")
        if (approved is None) != (filled is None) and not self.errors:
            raise ValidationError(_("Give both the approved and the filled posts, or neither."))
        if approved is not None and filled is not None:
            try:
                check_posts(approved, filled)
            except ValidationError as error:
                self.add_error("filled", error)
        return data

    @property
    def reported(self) -> bool:
        return self.cleaned_data.get("approved") is not None


class AccountField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        name = obj.get_full_name()
        return f"{obj.username} ({name})" if name else obj.username


class SpecialistForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    position = forms.CharField(label=_("Position"), max_length=200)
    started_on = forms.DateField(
        label=_("Started on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    user = AccountField(label=_("Qorgau account"), queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, accounts: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = accounts  # type: ignore[attr-defined]


class SpecialistChangeForm(forms.Form):
    position = forms.CharField(label=_("Position"), max_length=200)
    user = AccountField(label=_("Qorgau account"), queryset=User.objects.none(), required=False)
    left_on = forms.DateField(
        label=_("Left on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, accounts: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = accounts  # type: ignore[attr-defined]
