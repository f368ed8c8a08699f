"""Screening and safety plan pages. Thin: the case through the gate, form, service."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from qorgau.access import access_case
from qorgau.accounts.roles import Perm
from qorgau.audit import log as audit
from qorgau.audit.models import Action as AuditAction
from qorgau.audit.models import RecordKind
from qorgau.cases.workflow import Action, refusal
from qorgau.pages import AuthedRequest, add_service_errors, requires
from qorgau.safety import selectors
from qorgau.safety.forms import SafetyPlanForm, ScreeningForm
from qorgau.safety.models import Screening, ScreeningQuestion
from qorgau.safety.services import (
    PlanSteps,
    safety_plan_review,
    safety_plan_write,
    screening_record,
)


@requires(Perm.CASE_WORK)
def screening_new(request: AuthedRequest, pk: int) -> HttpResponse:
    case = access_case(request.user, pk)
    if (reason := refusal(request.user, case, Action.VISIT)) is not None:
        messages.error(request, reason)
        return redirect(case)
    form = ScreeningForm(
        request.POST or None,
        children=case.children.all(),
        questions=list(ScreeningQuestion.objects.filter(instrument="asq")),
    )
    if request.method == "POST" and form.is_valid():
        try:
            screening = screening_record(
                actor=request.user,
                case=case,
                child=form.cleaned_data["child"],
                answers=form.answers(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if screening.result == Screening.Result.ACUTE:
                messages.error(
                    request,
                    _(
                        "Immediate danger: stay with the child, call 112, and notify the "
                        "police within two hours. Your supervisor has been alerted."
                    ),
                )
            elif screening.is_positive:
                messages.warning(
                    request,
                    _("Positive screen: write a safety plan and refer to psychological care."),
                )
            else:
                messages.success(request, _("Negative screen recorded."))
            return redirect("safety-plan" if screening.is_positive else "case-detail", pk=case.pk)
    status = 400 if form.errors else 200
    return render(
        request, "safety/screening_form.html", {"case": case, "form": form}, status=status
    )


@requires(Perm.CASE_WORK)
def safety_plan(request: AuthedRequest, pk: int) -> HttpResponse:
    """Write the case's safety plan, or review the latest one (at every follow-up)."""
    case = access_case(request.user, pk)
    if (reason := refusal(request.user, case, Action.VISIT)) is not None:
        messages.error(request, reason)
        return redirect(case)
    plan = selectors.latest_plan(case=case)
    initial = {}
    if plan is not None:
        initial = {name: getattr(plan, name) for name in PlanSteps.__dataclass_fields__}
        initial["child"] = plan.child_id
    form = SafetyPlanForm(request.POST or None, children=case.children.all(), initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        steps = PlanSteps(**{name: d[name] for name in PlanSteps.__dataclass_fields__})
        try:
            if plan is None:
                safety_plan_write(
                    actor=request.user,
                    case=case,
                    child=d["child"],
                    steps=steps,
                    review_on=d["review_on"],
                )
            else:
                safety_plan_review(
                    actor=request.user, plan=plan, steps=steps, review_on=d["review_on"]
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Safety plan saved."))
            return redirect(case)
    status = 400 if form.errors else 200
    context = {"case": case, "form": form, "plan": plan}
    return render(request, "safety/safety_plan_form.html", context, status=status)


@requires(Perm.CASE_VIEW)
def safety_plan_print(request: AuthedRequest, pk: int) -> HttpResponse:
    case = access_case(request.user, pk)
    plan = selectors.latest_plan(case=case)
    if plan is None:
        messages.error(request, _("This case has no safety plan yet."))
        return redirect(case)
    audit.record(
        actor=request.user, action=AuditAction.PRINT, kind=RecordKind.CASE, record_id=case.pk
    )
    return render(request, "safety/safety_plan_print.html", {"case": case, "plan": plan})
