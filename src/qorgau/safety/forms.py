"""Forms of screening and safety plans: parse the input; the services decide."""

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from qorgau import limits
from qorgau.children.models import Child
from qorgau.safety.models import ScreeningQuestion

ANSWER_CHOICES = [("yes", _("Yes")), ("no", _("No")), ("refused", _("Declined to answer"))]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class ScreeningForm(forms.Form):
    child = forms.ModelChoiceField(label=_("Child"), queryset=Child.objects.none())

    def __init__(
        self, *args: Any, children: QuerySet[Child], questions: list[ScreeningQuestion], **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        cast(forms.ModelChoiceField, self.fields["child"]).queryset = children
        self.questions = questions
        for q in questions:
            choices = ANSWER_CHOICES[:2] if q.acuity else ANSWER_CHOICES
            self.fields[f"q_{q.code}"] = forms.ChoiceField(
                label=q.text(),
                choices=choices,
                widget=forms.RadioSelect,
                required=not q.acuity,
                help_text=_("Ask only after a “yes” to any question above.") if q.acuity else "",
            )

    def answers(self) -> dict[str, str]:
        return {
            q.code: self.cleaned_data[f"q_{q.code}"]
            for q in self.questions
            if self.cleaned_data.get(f"q_{q.code}")
        }


def _step(label: Any, help_text: Any = "", initial: Any = None) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        initial=initial,
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SafetyPlanForm(forms.Form):
    child = forms.ModelChoiceField(label=_("Child"), queryset=Child.objects.none())
    warning_signs = _step(
        _("1. Warning signs"), _("Thoughts, moods, situations that come before a crisis")
    )
    coping = _step(_("2. Internal coping strategies"), _("What the child can do alone"))
    distraction = _step(_("3. People and places that help take my mind off things"))
    people = _step(_("4. People I can ask for help"), _("Names and phone numbers"))
    professionals = _step(
        _("5. Professionals and services I can contact"),
        initial=_(
            "Emergency: 112. Children's and youth helpline: 150 (free, 24 hours). "
            "Contact centre for families and children: 111."
        ),
    )
    environment = _step(_("6. Making the environment safe"), _("Means removed or locked away"))
    review_on = forms.DateField(label=_("Next review"), widget=DateInput())

    def __init__(self, *args: Any, children: QuerySet[Child], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["child"]).queryset = children
