"""Forms: parse and validate input; the services decide and write."""

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau import limits
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
from qorgau.cases.models import AssessmentQuestion, Case, ContactNote, PlanAction, Visit
from qorgau.cases.services.assessment import safety_problems
from qorgau.cases.services.followup import visit_date_problems
from qorgau.cases.services.plans import due_date_problem, plan_action_update_problems
from qorgau.cases.services.reports import incident_date_problems
from qorgau.children.models import Child, FamilyMember, Sex
from qorgau.children.services import birth_date_problems, child_problems, identity_problems
from qorgau.places.models import Place
from qorgau.search import SearchBy


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


def add_problems(form: forms.Form, problems: dict[str, Any]) -> None:
    """Show a service rule's findings next to their fields, among the form's own errors."""
    for field, problem in problems.items():
        if field in form.fields and field not in form.errors:
            form.add_error(field, problem)


class VersionedForm(forms.Form):
    """A case action form: carries the version of the case the user saw."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class ReportForm(forms.Form):
    reporter_type = forms.ChoiceField(label=_("Who reported"), choices=ReporterType.choices)
    reporter_name = forms.CharField(
        label=_("Reporter's name"), required=False, max_length=limits.FULL_NAME
    )
    reporter_contact = forms.CharField(
        label=_("How to reach the reporter"),
        required=False,
        max_length=limits.FULL_NAME,
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
    incident_address = forms.CharField(
        label=_("Address or location"), required=False, max_length=limits.LINE
    )
    incident_date = forms.DateField(label=_("When it happened"), required=False, widget=DateInput())
    narrative = forms.CharField(
        label=_("What was reported"),
        max_length=limits.NARRATIVE,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "place").queryset = places_for_choice()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("incident_date"):
            add_problems(
                self,
                incident_date_problems(
                    incident_date=data["incident_date"], received_on=timezone.localdate()
                ),
            )
        return data


class ReportChildForm(forms.Form):
    """One child a report names, as the reporter described them."""

    description = forms.CharField(label=_("Child"), required=False, max_length=limits.LINE)


class BaseReportChildFormSet(forms.BaseFormSet):
    default_error_messages = {
        **forms.BaseFormSet.default_error_messages,
        "too_many_forms": _(
            "A report can name at most %(num)d children: record the others in another report."
        ),
    }

    def clean(self) -> None:
        if any(self.errors):
            return
        # How many and how long: max_num and the field's max_length say it already.
        if not self.descriptions():
            raise forms.ValidationError(
                _("Describe at least one child: a name, an age or a school is enough.")
            )

    def descriptions(self) -> list[str]:
        return [
            form.cleaned_data["description"]
            for form in self.forms
            if form.cleaned_data.get("description")
        ]


ReportChildFormSet = cast(
    type[BaseReportChildFormSet],
    forms.formset_factory(
        ReportChildForm,
        formset=BaseReportChildFormSet,
        extra=0,
        min_num=1,
        max_num=limits.CHILDREN_PER_REPORT,
        absolute_max=limits.CHILDREN_PER_REPORT,
        validate_max=True,
    ),
)


class ScreenOutForm(forms.Form):
    prefix = "out"  # shares a page with ScreenInForm: distinct field ids
    reason = forms.ChoiceField(label=_("Reason"), choices=ScreenOutReason.choices)
    note = forms.CharField(
        label=_("Note"),
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was checked and why no case is needed: a supervisor may review it."),
    )


class ScreenOutReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("uphold", _("Uphold the screening out")),
            ("reopen", _("Reopen the report for screening")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to reopen: what the screening must look at again."),
    )


class ScreenInForm(forms.Form):
    prefix = "in"
    worker = forms.ModelChoiceField(label=_("Caseworker"), queryset=User.objects.none())
    join_case = forms.ChoiceField(label=_("Case"), required=False)
    second_case = forms.BooleanField(
        label=_("A second case is needed"),
        required=False,
        help_text=_("Only if the open case cannot take this report."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
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
        self.open_cases = open_cases
        if open_cases:
            # A child with an open case: joining it is offered first, and a second
            # case is opened only when asked for in so many words.
            self.fields["join_case"].initial = open_cases[0].pk
        else:
            del self.fields["second_case"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.open_cases and not data.get("join_case") and not data.get("second_case"):
            references = ", ".join(c.reference for c in self.open_cases)
            self.add_error(
                "second_case",
                _(
                    "A child of this report already has an open case (%(cases)s). Join it, "
                    "or confirm that a second case is needed."
                )
                % {"cases": references},
            )
        return data


class ChildSearchForm(forms.Form):
    # Typing searches as one types (its own request: HX-Trigger names the field); only
    # the form sent lands on a case or report whose number was typed.
    q = forms.CharField(
        label=_("Search for"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={
                "hx-get": reverse_lazy("child-search"),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#results",
                "hx-include": "closest form",
                "hx-push-url": "true",
            }
        ),
    )
    by = forms.ChoiceField(
        label=_("Search by"), choices=SearchBy.choices, required=False, initial=SearchBy.NAME
    )
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())

    def clean_by(self) -> str:
        return self.cleaned_data["by"] or SearchBy.NAME


class ChildForm(forms.Form):
    last_name = forms.CharField(label=_("Last name"), required=False, max_length=limits.NAME)
    first_name = forms.CharField(
        label=_("First name"),
        required=False,
        max_length=limits.NAME,
        help_text=_("Leave empty if not known yet: give an approximate age or a description."),
    )
    middle_name = forms.CharField(label=_("Patronymic"), required=False, max_length=limits.NAME)
    other_spelling = forms.CharField(
        label=_("Name in another script"),
        required=False,
        max_length=limits.FULL_NAME,
        help_text=_("As written in a document, for example in Latin letters."),
    )
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())
    birth_date_estimated = forms.BooleanField(label=_("Date of birth is estimated"), required=False)
    approximate_age = forms.IntegerField(
        label=_("Approximate age (years)"), required=False, min_value=0, max_value=17
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=limits.LINE,
        help_text=_("How to recognise a child whose name is not known yet."),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    iin = forms.CharField(
        label=_("IIN"),
        required=False,
        max_length=12,
        help_text=_("12 digits. Leave empty if unknown: it is never required to act."),
    )
    place = forms.ModelChoiceField(label=_("Place of residence"), queryset=Place.objects.none())
    address = forms.CharField(label=_("Address"), required=False, max_length=limits.LINE)
    languages = forms.CharField(label=_("Languages"), required=False, max_length=limits.NAME)
    disability = forms.BooleanField(label=_("Has a disability"), required=False)
    disability_note = forms.CharField(
        label=_("Disability details"), required=False, max_length=limits.LINE
    )

    def __init__(
        self,
        *args: Any,
        child_pk: int | None = None,
        duplicates_shown: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.child_pk = child_pk
        # At registration a registered IIN is shown as the existing record (linkage),
        # not as an error naming a record the user may not be able to open.
        self.duplicates_shown = duplicates_shown
        _choice_field(self, "place").queryset = places_for_choice()

    def clean_iin(self) -> str:
        return self.cleaned_data["iin"].replace(" ", "")

    def clean(self) -> dict[str, Any]:
        # The IIN is checked even when another field is wrong: every mistake shows at once.
        data = super().clean() or {}
        problems = child_problems(
            iin=data.get("iin"),
            birth_date=data.get("birth_date"),
            sex=data.get("sex", Sex.UNKNOWN),
            child_pk=self.child_pk,
        )
        iin_problem = problems.get("iin")
        if self.duplicates_shown and getattr(iin_problem, "code", None) == "duplicate_iin":
            del problems["iin"]
        add_problems(self, problems)
        described = Child(
            first_name=data.get("first_name", "x"),
            approximate_age=data.get("approximate_age"),
            description=data.get("description", ""),
        )
        add_problems(self, identity_problems(described))
        return data


class ChildRegisterForm(ChildForm):
    """A new child: also the caregiver, by whom a record of the same child is found."""

    caregiver_name = forms.CharField(
        label=_("Mother's or caregiver's full name"),
        required=False,
        max_length=limits.FULL_NAME,
        help_text=_("Helps to find a record of the same child; saved as a family member."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, duplicates_shown=True, **kwargs)


class ChildEditForm(ChildForm):
    """The same fields, plus the version of the record the user saw."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class FamilyMemberForm(forms.Form):
    relationship = forms.ChoiceField(
        label=_("Relationship"), choices=FamilyMember.Relationship.choices
    )
    full_name = forms.CharField(label=_("Full name"), max_length=limits.FULL_NAME)
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())
    phone = forms.CharField(label=_("Phone"), required=False, max_length=30)
    is_caregiver = forms.BooleanField(label=_("Caregiver"), required=False)
    lives_with_child = forms.BooleanField(
        label=_("Lives with the child"), required=False, initial=True
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        add_problems(self, birth_date_problems(data.get("birth_date")))
        return data


ANSWER_CHOICES = Answer.choices


class AssessmentForm(VersionedForm):
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.choices)
    reasoning = forms.CharField(
        label=_("Reasoning"),
        max_length=limits.NARRATIVE,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    override_reason = forms.CharField(
        label=_("Why lower than the suggested level"),
        required=False,
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Only when your level is lower than the suggested one: a supervisor signs it off."
        ),
    )
    immediate_danger = forms.BooleanField(label=_("Child in immediate danger"), required=False)
    safety_decision = forms.ChoiceField(label=_("Safety decision"), choices=SafetyDecision.choices)

    def __init__(
        self,
        *args: Any,
        questions: list[AssessmentQuestion],
        language: str,
        children: QuerySet[Child] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        order = []
        # A case about several children: one assessment per child.
        if children is not None and len(children) > 1:
            self.fields["child"] = forms.ModelChoiceField(
                label=_("Child assessed"), queryset=children
            )
            order.append("child")
        for question in questions:
            self.fields[question.code] = forms.ChoiceField(
                label=question.text(language), choices=ANSWER_CHOICES, widget=forms.RadioSelect
            )
        # Questions first, then the specialist's decision.
        order += [q.code for q in questions] + [
            "immediate_danger",
            "risk_level",
            "override_reason",
            "reasoning",
            "safety_decision",
            "version",
        ]
        self.order_fields(order)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "safety_decision" in data:
            add_problems(
                self,
                safety_problems(
                    immediate_danger=data.get("immediate_danger", False),
                    safety_decision=data["safety_decision"],
                ),
            )
        return data

    def answers(self) -> dict[str, str]:
        return {q.code: self.cleaned_data[q.code] for q in self.questions}


class PlanForm(VersionedForm):
    summary = forms.CharField(
        label=_("Plan summary"), max_length=limits.NOTE, widget=forms.Textarea(attrs={"rows": 3})
    )

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
                label=_("Goal %(n)s") % {"n": i}, required=required, max_length=limits.LINE
            )
            self.fields[f"action_{i}"] = forms.CharField(
                label=_("Action or service %(n)s") % {"n": i},
                required=required,
                max_length=limits.LINE,
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
        # The service's rule for due dates, shown on the row's own field.
        for i in range(1, self.ACTION_ROWS + 1):
            due = data.get(f"due_{i}")
            problem = due_date_problem(due) if due else None
            if problem:
                add_problems(self, {f"due_{i}": problem})
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
        label=_("Note"),
        required=False,
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # The decision that needs a note, and what the service says when it comes without.
    needs_note = "return"
    return_note_missing: Any = ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # A note refused already (too long) has its own error.
        if data.get("decision") == self.needs_note and "note" in data and not data["note"].strip():
            self.add_error("note", self.return_note_missing)
        return data


class PlanDecisionForm(DecisionForm):
    return_note_missing = _("Say what must change in the plan.")


class RiskSignoffForm(DecisionForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("approve", _("Sign off the lower level")),
            ("overrule", _("Overrule: the suggested level applies")),
        ],
        widget=forms.RadioSelect,
    )
    needs_note = "overrule"
    return_note_missing = _("Say why the suggested level applies.")


class ClosureDecisionForm(DecisionForm):
    return_note_missing = _("Say why the case stays open.")


class PlanActionForm(VersionedForm):
    status = forms.ChoiceField(label=_("Status"), choices=PlanAction.Status.choices)
    outcome_note = forms.CharField(label=_("Outcome"), required=False, max_length=limits.LINE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "status" in data:
            problems = plan_action_update_problems(
                status=data["status"], outcome_note=data.get("outcome_note", "")
            )
            add_problems(self, problems)
        return data


class VisitForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Visit.Kind.choices)
    visited_on = forms.DateField(label=_("Date"), widget=DateInput())
    participants = forms.CharField(
        label=_("Who was present"), required=False, max_length=limits.LINE
    )
    findings = forms.CharField(
        label=_("Findings"), max_length=limits.NARRATIVE, widget=forms.Textarea(attrs={"rows": 4})
    )

    children_seen = forms.ModelMultipleChoiceField(
        label=_("Children seen"),
        queryset=Child.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    seen_alone = forms.ModelMultipleChoiceField(
        label=_("Seen alone, without the caregivers"),
        queryset=Child.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        children = case.children.order_by("pk")
        _choice_field(self, "children_seen").queryset = children
        _choice_field(self, "seen_alone").queryset = children

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("visited_on"):
            add_problems(self, visit_date_problems(case=self.case, visited_on=data["visited_on"]))
        seen, alone = data.get("children_seen"), data.get("seen_alone")
        if seen is not None and alone is not None and set(alone) - set(seen):
            self.add_error("seen_alone", _("A child seen alone is also a child seen: tick both."))
        return data


class ContactForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ContactNote.Kind.choices)
    contacted_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    with_whom = forms.CharField(
        label=_("With whom"),
        max_length=limits.LINE,
        help_text=_("A name or a role: mother, class teacher, district police inspector."),
    )
    child = forms.ModelChoiceField(
        label=_("About the child"),
        queryset=Child.objects.none(),
        required=False,
        empty_label=_("The family as a whole"),
    )
    summary = forms.CharField(
        label=_("What was said or agreed"),
        max_length=limits.NARRATIVE,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        children = case.children.order_by("pk")
        _choice_field(self, "child").queryset = children
        if len(children) < 2:
            del self.fields["child"]  # one child: every contact is about them

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("contacted_on"):
            found = visit_date_problems(
                case=self.case, visited_on=data["contacted_on"], field="contacted_on"
            )
            add_problems(self, found)
        return data


class PoliceSendForm(forms.Form):
    police = forms.ModelChoiceField(label=_("Police unit"), queryset=Organisation.objects.none())

    def __init__(self, *args: Any, region_code: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "police").queryset = Organisation.objects.filter(
            kind=Organisation.Kind.POLICE, place__kato__startswith=region_code
        )


class PoliceAckForm(forms.Form):
    police_reference = forms.CharField(
        label=_("Police registration number"), max_length=limits.NAME
    )


class ClosureRequestForm(VersionedForm):
    reason = forms.ChoiceField(label=_("Closure reason"), choices=ClosureReason.choices)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    note = forms.CharField(
        label=_("Closure summary"), max_length=limits.NOTE, widget=forms.Textarea(attrs={"rows": 4})
    )


class ReopenForm(VersionedForm):
    reason = forms.CharField(
        label=_("Why reopen"), max_length=limits.NOTE, widget=forms.Textarea(attrs={"rows": 3})
    )


class TransferForm(VersionedForm):
    to_organisation = forms.ModelChoiceField(
        label=_("Receiving organisation"), queryset=Organisation.objects.none()
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=limits.NOTE, widget=forms.Textarea(attrs={"rows": 3})
    )

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


class CaseReassignForm(VersionedForm):
    worker = forms.ModelChoiceField(label=_("New caseworker"), queryset=User.objects.none())
    reason = forms.CharField(
        label=_("Reason"),
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("In the case's timeline: for example leave, caseload, a conflict of interest."),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "worker").queryset = (
            User.objects.filter(
                organisation_id=case.organisation_id,
                role__in=[Role.CASEWORKER, Role.SUPERVISOR],
                is_active=True,
            )
            .exclude(pk=case.worker_id)
            .order_by("last_name", "first_name")
        )


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
