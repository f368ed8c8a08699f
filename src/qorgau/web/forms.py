"""Forms: parse and validate input; the services decide and write."""

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.models import Organisation, User
from qorgau.accounts.roles import Role
from qorgau.cases.choices import (
    Answer,
    ClosureReason,
    Concern,
    Outcome,
    ReporterType,
    RiskLevel,
    SafetyDecision,
    ScreenOutReason,
    Urgency,
)
from qorgau.cases.models import AssessmentQuestion, PlanAction, Visit
from qorgau.children.models import FamilyMember, Sex
from qorgau.places.models import Place


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _choice_field(form: forms.Form, name: str) -> forms.ModelChoiceField:
    return cast(forms.ModelChoiceField, form.fields[name])


def _plain_choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


def places_for_choice() -> QuerySet[Place]:
    return Place.objects.order_by("kato")


class VersionedForm(forms.Form):
    """A case action form: carries the version of the case the user saw."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class ReportForm(forms.Form):
    reporter_type = forms.ChoiceField(label=_("Who reported"), choices=ReporterType.choices)
    reporter_name = forms.CharField(label=_("Reporter's name"), required=False, max_length=200)
    reporter_contact = forms.CharField(
        label=_("How to reach the reporter"),
        required=False,
        max_length=200,
        help_text=_("Confidential: never shown to the family."),
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=Urgency.choices,
        initial=Urgency.ROUTINE,
        widget=forms.RadioSelect,
    )
    concerns = forms.MultipleChoiceField(
        label=_("Concerns"), choices=Concern.choices, widget=forms.CheckboxSelectMultiple
    )
    place = forms.ModelChoiceField(label=_("Where it happened"), queryset=Place.objects.none())
    incident_address = forms.CharField(label=_("Address or location"), required=False)
    incident_date = forms.DateField(label=_("When it happened"), required=False, widget=DateInput())
    narrative = forms.CharField(
        label=_("What was reported"), widget=forms.Textarea(attrs={"rows": 5})
    )
    child_1 = forms.CharField(
        label=_("Child 1"),
        max_length=300,
        help_text=_("Name, age, school: whatever the reporter knows."),
    )
    child_2 = forms.CharField(label=_("Child 2"), max_length=300, required=False)
    child_3 = forms.CharField(label=_("Child 3"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "place").queryset = places_for_choice()

    def clean_incident_date(self) -> Any:
        value = self.cleaned_data["incident_date"]
        if value and value > timezone.localdate():
            raise ValidationError(_("The incident date is in the future."))
        return value

    def children_described(self) -> list[str]:
        return [
            self.cleaned_data[f"child_{i}"] for i in (1, 2, 3) if self.cleaned_data[f"child_{i}"]
        ]


class ScreenOutForm(forms.Form):
    prefix = "out"  # shares a page with ScreenInForm: distinct field ids
    reason = forms.ChoiceField(label=_("Reason"), choices=ScreenOutReason.choices)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ScreenInForm(forms.Form):
    prefix = "in"
    worker = forms.ModelChoiceField(label=_("Caseworker"), queryset=User.objects.none())
    join_case = forms.ChoiceField(label=_("Case"), required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, actor: User, open_cases: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "worker").queryset = User.objects.filter(
            organisation=actor.organisation,
            role__in=[Role.CASEWORKER, Role.SUPERVISOR],
            is_active=True,
        ).order_by("last_name")
        self.fields["worker"].initial = actor.pk
        _plain_choice_field(self, "join_case").choices = [("", _("Open a new case"))] + [
            (c.pk, _("Join %(case)s") % {"case": c.reference}) for c in open_cases
        ]


class ChildSearchForm(forms.Form):
    q = forms.CharField(label=_("IIN or name"), required=False, max_length=200)
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())


class ChildForm(forms.Form):
    last_name = forms.CharField(label=_("Last name"), required=False, max_length=100)
    first_name = forms.CharField(label=_("First name"), max_length=100)
    middle_name = forms.CharField(label=_("Patronymic"), required=False, max_length=100)
    other_spelling = forms.CharField(
        label=_("Name in another script"),
        required=False,
        max_length=200,
        help_text=_("As written in a document, for example in Latin letters."),
    )
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())
    birth_date_estimated = forms.BooleanField(label=_("Date of birth is estimated"), required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    iin = forms.CharField(
        label=_("IIN"),
        required=False,
        max_length=12,
        help_text=_("12 digits. Leave empty if unknown: it is never required to act."),
    )
    place = forms.ModelChoiceField(label=_("Place of residence"), queryset=Place.objects.none())
    address = forms.CharField(label=_("Address"), required=False, max_length=300)
    languages = forms.CharField(label=_("Languages"), required=False, max_length=100)
    disability = forms.BooleanField(label=_("Has a disability"), required=False)
    disability_note = forms.CharField(label=_("Disability details"), required=False, max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "place").queryset = places_for_choice()

    def clean_birth_date(self) -> Any:
        value = self.cleaned_data["birth_date"]
        if value and value > timezone.localdate():
            raise ValidationError(_("The date of birth is in the future."))
        return value

    def clean_iin(self) -> str:
        return self.cleaned_data["iin"].replace(" ", "")


class ChildEditForm(ChildForm):
    """The same fields, plus the version of the record the user saw."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class FamilyMemberForm(forms.Form):
    relationship = forms.ChoiceField(
        label=_("Relationship"), choices=FamilyMember.Relationship.choices
    )
    full_name = forms.CharField(label=_("Full name"), max_length=300)
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())
    phone = forms.CharField(label=_("Phone"), required=False, max_length=30)
    is_caregiver = forms.BooleanField(label=_("Caregiver"), required=False)
    lives_with_child = forms.BooleanField(
        label=_("Lives with the child"), required=False, initial=True
    )


ANSWER_CHOICES = Answer.choices


class AssessmentForm(VersionedForm):
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.choices)
    reasoning = forms.CharField(label=_("Reasoning"), widget=forms.Textarea(attrs={"rows": 4}))
    immediate_danger = forms.BooleanField(label=_("Child in immediate danger"), required=False)
    safety_decision = forms.ChoiceField(label=_("Safety decision"), choices=SafetyDecision.choices)

    def __init__(
        self, *args: Any, questions: list[AssessmentQuestion], language: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[question.code] = forms.ChoiceField(
                label=question.text(language), choices=ANSWER_CHOICES, widget=forms.RadioSelect
            )
        # Questions first, then the specialist's decision.
        order = [q.code for q in questions] + [
            "risk_level",
            "reasoning",
            "immediate_danger",
            "safety_decision",
            "version",
        ]
        self.order_fields(order)

    def answers(self) -> dict[str, str]:
        return {q.code: self.cleaned_data[q.code] for q in self.questions}


class PlanForm(VersionedForm):
    summary = forms.CharField(label=_("Plan summary"), widget=forms.Textarea(attrs={"rows": 3}))

    ACTION_ROWS = 3

    def __init__(
        self,
        *args: Any,
        organisations: QuerySet[Organisation],
        rows: int = ACTION_ROWS,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        for i in range(1, rows + 1):
            required = i == 1
            self.fields[f"goal_{i}"] = forms.CharField(
                label=_("Goal %(n)s") % {"n": i}, required=required, max_length=300
            )
            self.fields[f"action_{i}"] = forms.CharField(
                label=_("Action or service %(n)s") % {"n": i}, required=required, max_length=300
            )
            self.fields[f"responsible_{i}"] = forms.ModelChoiceField(
                label=_("Responsible organisation %(n)s") % {"n": i},
                queryset=organisations,
                required=required,
            )
            self.fields[f"due_{i}"] = forms.DateField(
                label=_("Due date %(n)s") % {"n": i}, required=required, widget=DateInput()
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for i in range(2, self.rows + 1):
            parts = [data.get(f"{k}_{i}") for k in ("goal", "action", "responsible", "due")]
            if any(parts) and not all(parts):
                self.add_error(f"goal_{i}", _("Fill in all four fields of this action, or none."))
        return data

    def action_rows(self) -> list[dict[str, Any]]:
        return [
            {k: self.cleaned_data[f"{k}_{i}"] for k in ("goal", "action", "responsible", "due")}
            for i in range(1, self.rows + 1)
            if self.cleaned_data.get(f"goal_{i}")
        ]


class DecisionForm(VersionedForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("return", _("Return with a note"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PlanActionForm(VersionedForm):
    status = forms.ChoiceField(label=_("Status"), choices=PlanAction.Status.choices)
    outcome_note = forms.CharField(label=_("Outcome"), required=False, max_length=300)


class VisitForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Visit.Kind.choices)
    visited_on = forms.DateField(label=_("Date"), widget=DateInput())
    participants = forms.CharField(label=_("Who was present"), required=False, max_length=300)
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 4}))


class PoliceSendForm(forms.Form):
    police = forms.ModelChoiceField(label=_("Police unit"), queryset=Organisation.objects.none())

    def __init__(self, *args: Any, region_code: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "police").queryset = Organisation.objects.filter(
            kind=Organisation.Kind.POLICE, place__kato__startswith=region_code
        )


class PoliceAckForm(forms.Form):
    police_reference = forms.CharField(label=_("Police registration number"), max_length=100)


class ClosureRequestForm(VersionedForm):
    reason = forms.ChoiceField(label=_("Closure reason"), choices=ClosureReason.choices)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    note = forms.CharField(label=_("Closure summary"), widget=forms.Textarea(attrs={"rows": 4}))


class ReopenForm(VersionedForm):
    reason = forms.CharField(label=_("Why reopen"), widget=forms.Textarea(attrs={"rows": 3}))


class TransferForm(VersionedForm):
    to_organisation = forms.ModelChoiceField(
        label=_("Receiving organisation"), queryset=Organisation.objects.none()
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, exclude_pk: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "to_organisation").queryset = (
            Organisation.objects.filter(
                kind__in=[
                    Organisation.Kind.CHILD_RIGHTS_DEPARTMENT,
                    Organisation.Kind.CHILD_RIGHTS_OFFICE,
                    Organisation.Kind.GUARDIANSHIP,
                ]
            )
            .exclude(pk=exclude_pk)
            .select_related("place")
        )


class TransferDecisionForm(VersionedForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept the case")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    worker = forms.ModelChoiceField(
        label=_("New caseworker"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Required to accept: the person of your organisation who takes the case."),
    )
    decline_reason = forms.CharField(
        label=_("Reason for declining"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to decline: the sending organisation reads it."),
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "worker").queryset = User.objects.filter(
            organisation=actor.organisation,
            role__in=[Role.CASEWORKER, Role.SUPERVISOR],
            is_active=True,
        ).order_by("last_name", "first_name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "accept" and not data.get("worker"):
            self.add_error("worker", _("Choose the caseworker who will take the case."))
        if data.get("decision") == "decline" and not data.get("decline_reason", "").strip():
            self.add_error(
                "decline_reason", _("Say why the case is declined: the sender will read it.")
            )
        return data


class ClosureWithdrawForm(VersionedForm):
    note = forms.CharField(
        label=_("Why withdraw (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PlanReassignForm(VersionedForm):
    """One choice per open plan action: the organisation that now carries it out."""

    def __init__(
        self,
        *args: Any,
        open_actions: list[PlanAction],
        organisations: QuerySet[Organisation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.open_actions = open_actions
        for item in open_actions:
            self.fields[f"responsible_{item.pk}"] = forms.ModelChoiceField(
                label=f"{item.action} ({item.goal})",
                queryset=organisations,
                initial=item.responsible_id,
                help_text=_("Now: %(organisation)s") % {"organisation": item.responsible},
            )

    def assignments(self) -> dict[PlanAction, Organisation]:
        return {item: self.cleaned_data[f"responsible_{item.pk}"] for item in self.open_actions}
