"""The case page and its actions.

Each action is declared once in ACTIONS: the form it shows and the service it calls.
The workflow (cases/workflow.py) decides whether the user may take it now; the page
offers exactly the actions it allows.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qorgau import limits
from qorgau.access import access_case
from qorgau.accounts.models import Organisation
from qorgau.accounts.roles import Perm
from qorgau.cases.choices import RiskLevel
from qorgau.cases.models import AssessmentQuestion, Case, CasePlan, PlanAction, Transfer
from qorgau.cases.selectors import (
    case_timeline,
    contact_notes,
    latest_assessments,
    plan_to_revise,
)
from qorgau.cases.services.assessment import (
    ANSWERS,
    case_assess,
    is_below,
    risk_signoff_decide,
    suggest_level,
)
from qorgau.cases.services.closure import (
    case_closure_decide,
    case_closure_request,
    case_closure_withdraw,
    case_reopen,
)
from qorgau.cases.services.followup import (
    police_notification_acknowledge,
    police_notification_send,
    visit_record,
)
from qorgau.cases.services.plans import (
    PlannedAction,
    plan_action_update,
    plan_decide,
    plan_submit,
)
from qorgau.cases.services.transfers import (
    case_reassign,
    case_transfer_decide,
    case_transfer_request,
    plan_actions_reassign,
)
from qorgau.cases.timeline import describe
from qorgau.cases.workflow import (
    Action,
    StaleVersion,
    allowed_actions,
    case_transfers,
    check_version,
    open_plan_actions,
    pending_signoff,
    refusal,
)
from qorgau.grants import selectors as grant_selectors
from qorgau.grants.forms import GrantForm
from qorgau.pages import AuthedRequest, add_service_errors, requires
from qorgau.referrals.selectors import case_housing_needs, case_referrals
from qorgau.safety import selectors as safety_selectors
from qorgau.web import forms as f

Data = dict[str, Any]


@dataclass(frozen=True)
class CaseAction:
    workflow: Action
    title: Any
    done: Any
    form: Callable[[AuthedRequest, Case, Data | None], forms.Form]
    perform: Callable[[AuthedRequest, Case, Data], object]


def _assessment_form(request: AuthedRequest, case: Case, data: Data | None) -> forms.Form:
    questions = list(AssessmentQuestion.objects.filter(active=True))
    return f.AssessmentForm(
        data,
        questions=questions,
        language=(get_language() or "ru")[:2],
        children=case.children.order_by("pk"),
        initial={"version": case.version},
    )


def _plan_form(request: AuthedRequest, case: Case, data: Data | None) -> forms.Form:
    organisations = Organisation.objects.filter(place__kato__startswith=case.region.region_code)
    initial: Data = {"version": case.version}
    rows = f.PlanForm.ACTION_ROWS
    returned = plan_to_revise(case=case)
    if returned is not None:
        # The worker revises the returned plan rather than typing it again.
        actions = list(returned.actions.all())
        rows = max(rows, len(actions))
        initial["summary"] = returned.summary
        for i, item in enumerate(actions, start=1):
            initial.update(
                {
                    f"goal_{i}": item.goal,
                    f"action_{i}": item.action,
                    f"responsible_{i}": item.responsible_id,
                    f"due_{i}": item.due_date,
                }
            )
    return f.PlanForm(data, organisations=organisations, initial=initial, rows=rows)


def _reassign_form(request: AuthedRequest, case: Case, data: Data | None) -> forms.Form:
    return f.PlanReassignForm(
        data,
        open_actions=list(open_plan_actions(case).order_by("due_date", "pk")),
        organisations=Organisation.objects.filter(place__kato__startswith=case.region.region_code),
        initial={"version": case.version},
    )


def _versioned(form_class: type[forms.Form], **kwargs: Any) -> Callable[..., forms.Form]:
    def build(request: AuthedRequest, case: Case, data: Data | None) -> forms.Form:
        extra = {k: v(request, case) for k, v in kwargs.items()}
        return form_class(data, initial={"version": case.version}, **extra)

    return build


def _assess(request: AuthedRequest, case: Case, d: Data) -> object:
    return case_assess(
        actor=request.user,
        case=case,
        version=d["version"],
        answers=d["_answers"],
        risk_level=d["risk_level"],
        reasoning=d["reasoning"],
        immediate_danger=d["immediate_danger"],
        safety_decision=d["safety_decision"],
        child=d.get("child"),
        override_reason=d["override_reason"],
    )


def _plan(request: AuthedRequest, case: Case, d: Data) -> object:
    actions = [
        PlannedAction(
            goal=r["goal"], action=r["action"], responsible=r["responsible"], due_date=r["due"]
        )
        for r in d["_rows"]
    ]
    return plan_submit(
        actor=request.user, case=case, version=d["version"], summary=d["summary"], actions=actions
    )


ACTIONS: dict[str, CaseAction] = {
    "assess": CaseAction(
        Action.ASSESS,
        gettext_lazy("Risk assessment"),
        gettext_lazy("Assessment saved."),
        _assessment_form,
        _assess,
    ),
    "plan": CaseAction(
        Action.PLAN_SUBMIT,
        gettext_lazy("Case plan"),
        gettext_lazy("Plan submitted for approval."),
        _plan_form,
        _plan,
    ),
    "plan-decision": CaseAction(
        Action.PLAN_APPROVE,
        gettext_lazy("Decide on the case plan"),
        gettext_lazy("Decision saved."),
        _versioned(f.PlanDecisionForm),
        lambda r, c, d: plan_decide(
            actor=r.user,
            case=c,
            version=d["version"],
            approve=d["decision"] == "approve",
            note=d["note"],
        ),
    ),
    "visit": CaseAction(
        Action.VISIT,
        gettext_lazy("Record a visit"),
        gettext_lazy("Visit recorded."),
        lambda request, case, data: f.VisitForm(data, case=case),
        lambda r, c, d: visit_record(
            actor=r.user,
            case=c,
            kind=d["kind"],
            visited_on=d["visited_on"],
            findings=d["findings"],
            participants=d["participants"],
            children_seen=list(d["children_seen"]),
            seen_alone=list(d["seen_alone"]),
        ),
    ),
    "close": CaseAction(
        Action.CLOSURE_REQUEST,
        gettext_lazy("Request closure"),
        gettext_lazy("Closure sent for approval."),
        _versioned(f.ClosureRequestForm),
        lambda r, c, d: case_closure_request(
            actor=r.user,
            case=c,
            version=d["version"],
            reason=d["reason"],
            outcome=d["outcome"],
            note=d["note"],
        ),
    ),
    "closure-decision": CaseAction(
        Action.CLOSURE_APPROVE,
        gettext_lazy("Decide on closure"),
        gettext_lazy("Decision saved."),
        _versioned(f.ClosureDecisionForm),
        lambda r, c, d: case_closure_decide(
            actor=r.user,
            case=c,
            version=d["version"],
            approve=d["decision"] == "approve",
            note=d["note"],
        ),
    ),
    "closure-withdraw": CaseAction(
        Action.CLOSURE_WITHDRAW,
        gettext_lazy("Withdraw the closure request"),
        gettext_lazy("Closure request withdrawn: the case is open again."),
        _versioned(f.ClosureWithdrawForm),
        lambda r, c, d: case_closure_withdraw(
            actor=r.user, case=c, version=d["version"], note=d["note"]
        ),
    ),
    "reopen": CaseAction(
        Action.REOPEN,
        gettext_lazy("Reopen the case"),
        gettext_lazy("Case reopened."),
        _versioned(f.ReopenForm),
        lambda r, c, d: case_reopen(actor=r.user, case=c, version=d["version"], reason=d["reason"]),
    ),
    "transfer": CaseAction(
        Action.TRANSFER,
        gettext_lazy("Transfer the case"),
        gettext_lazy("Transfer requested."),
        _versioned(f.TransferForm, exclude_pk=lambda r, c: c.organisation_id),
        lambda r, c, d: case_transfer_request(
            actor=r.user,
            case=c,
            version=d["version"],
            to_organisation=d["to_organisation"],
            reason=d["reason"],
        ),
    ),
    "transfer-decision": CaseAction(
        Action.TRANSFER_DECIDE,
        gettext_lazy("Accept or decline the transfer"),
        gettext_lazy("Decision saved."),
        _versioned(f.TransferDecisionForm, actor=lambda r, c: r.user),
        lambda r, c, d: case_transfer_decide(
            actor=r.user,
            case=c,
            version=d["version"],
            accept=d["decision"] == "accept",
            worker=d["worker"],
            decline_reason=d["decline_reason"],
        ),
    ),
    "risk-signoff": CaseAction(
        Action.RISK_SIGNOFF,
        gettext_lazy("Sign off the risk level"),
        gettext_lazy("Decision saved."),
        _versioned(f.RiskSignoffForm),
        lambda r, c, d: risk_signoff_decide(
            actor=r.user,
            case=c,
            version=d["version"],
            approve=d["decision"] == "approve",
            note=d["note"],
        ),
    ),
    "reassign": CaseAction(
        Action.REASSIGN,
        gettext_lazy("Reassign the case"),
        gettext_lazy("Case reassigned."),
        _versioned(f.CaseReassignForm, case=lambda r, c: c),
        lambda r, c, d: case_reassign(
            actor=r.user, case=c, version=d["version"], worker=d["worker"], reason=d["reason"]
        ),
    ),
    "reassign-actions": CaseAction(
        Action.PLAN_REASSIGN,
        gettext_lazy("Hand plan actions to other organisations"),
        gettext_lazy("Plan actions handed on."),
        _reassign_form,
        lambda r, c, d: plan_actions_reassign(
            actor=r.user, case=c, version=d["version"], responsible=d["_assignments"]
        ),
    ),
}


@requires(Perm.CASE_VIEW)
def case_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _case_page(request, access_case(request.user, pk))


def _case_page(
    request: AuthedRequest,
    case: Case,
    failed_action: tuple[int, f.PlanActionForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The case page; after a refused plan-action update, with that row's input and errors."""
    allowed = allowed_actions(request.user, case)
    plans = list(case.plans.select_related("decided_by").prefetch_related("actions__responsible"))
    context = {
        "case": case,
        "children": case.children.select_related("place"),
        "reports": case.reports.select_related("screened_by").prefetch_related("concerns"),
        "assessments": latest_assessments(case=case),
        "plan": next((p for p in plans if p.status == CasePlan.Status.APPROVED), None),
        "pending_plan": next((p for p in plans if p.status == CasePlan.Status.SUBMITTED), None),
        "returned_plan": plan_to_revise(case=case, plans=plans) if case.is_open else None,
        "visits": case.visits.select_related("performed_by").prefetch_related(
            "children_seen__child"
        ),
        "contacts": contact_notes(case=case)[:3],
        "notifications": case.police_notifications.select_related("police"),
        "transfers": case_transfers(case),
        "actions_elsewhere": Action.PLAN_REASSIGN in allowed
        and open_plan_actions(case)
        .exclude(responsible__place__kato__startswith=case.region.region_code)
        .exists(),
        "timeline": [(entry, describe(entry)) for entry in case_timeline(case=case)],
        "actions": [(slug, a.title) for slug, a in ACTIONS.items() if a.workflow in allowed],
        "can_revise_plan": Action.PLAN_SUBMIT in allowed,
        "can_police": Action.POLICE in allowed,
        "can_record": Action.VISIT in allowed,
        "action_statuses": PlanAction.Status.choices,
        "outcome_max_length": limits.LINE,
        "police_send_form": f.PoliceSendForm(region_code=case.region.region_code),
        "police_ack_form": f.PoliceAckForm(),
        "emergency": grant_selectors.live_emergency_access(actor=request.user, case=case),
        "referrals": case_referrals(actor=request.user, case=case),
        "housing_needs": case_housing_needs(case=case),
        "screenings": safety_selectors.latest_screenings(case=case),
        "safety_outstanding": safety_selectors.outstanding(case=case),
        "safety_plan": safety_selectors.latest_plan(case=case),
        "failed_action_pk": failed_action[0] if failed_action else None,
        "failed_action_form": failed_action[1] if failed_action else None,
    }
    if request.user.has_perm_code(Perm.CASE_APPROVE) and (
        request.user.organisation_id == case.organisation_id
    ):
        context["grants"] = grant_selectors.live_grants(case=case)
        context["grant_form"] = GrantForm(actor=request.user)
    return render(request, "web/case_detail.html", context, status=status)


@requires(Perm.CASE_VIEW)
def case_action(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    case = access_case(request.user, pk)
    form = spec.form(request, case, request.POST if request.method == "POST" else None)
    reason = refusal(request.user, case, spec.workflow)
    if reason is not None:
        stale = _stale_copy(form, case)
        if stale is None:
            messages.error(request, reason)
            return redirect(case)
        # Posted from a copy loaded before someone else moved the case on: that is the
        # reason to give, and what was typed stays on the page.
        add_service_errors(form, stale)
        return _action_page(request, case, spec, action, form, status=400)
    status = 200
    if request.method == "POST" and action == "assess" and "preview" in request.POST:
        # Without JavaScript: the suggested level for the answers so far, nothing saved.
        form = spec.form(request, case, None)
        form.initial = {**form.initial, **request.POST.dict()}
    elif request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            if isinstance(form, f.AssessmentForm):
                data["_answers"] = form.answers()
            if isinstance(form, f.PlanForm):
                data["_rows"] = form.action_rows()
            if isinstance(form, f.PlanReassignForm):
                data["_assignments"] = form.assignments()
            try:
                spec.perform(request, case, data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, str(spec.done))
                return redirect(case)
        status = 400
    return _action_page(request, case, spec, action, form, status=status)


def _stale_copy(form: forms.Form, case: Case) -> StaleVersion | None:
    """The stale-version refusal, when the form was posted from an older copy of the case."""
    if not form.is_bound or "version" not in form.fields:
        return None
    form.is_valid()  # every field's errors at once, the version among them
    version = form.cleaned_data.get("version")
    if version is None:
        return None
    try:
        check_version(case, version)
    except StaleVersion as error:
        return error
    return None


def _action_page(
    request: AuthedRequest,
    case: Case,
    spec: CaseAction,
    action: str,
    form: forms.Form,
    *,
    status: int,
) -> HttpResponse:
    context = {
        "case": case,
        "form": form,
        "title": spec.title,
        "action": action,
        "pending_plan": case.plans.filter(status=CasePlan.Status.SUBMITTED).first(),
        "returned_plan": plan_to_revise(case=case) if action == "plan" else None,
        "pending_transfer": case.transfers.filter(status=Transfer.Status.PENDING)
        .select_related("from_organisation", "requested_by")
        .first(),
        "pending_signoff": pending_signoff(case) if action == "risk-signoff" else None,
        "suggestion": risk_suggestion(request.POST) if action == "assess" else None,
    }
    return render(request, "web/case_action.html", context, status=status)


def risk_suggestion(data: Any) -> dict[str, Any]:
    """The instrument's level for the answers given so far, and whether the level
    chosen is below it (then a reason and a supervisor's sign-off are needed)."""
    questions = list(AssessmentQuestion.objects.filter(active=True))
    answers = {q.code: data.get(q.code, "") for q in questions}
    score, level = suggest_level(
        questions, answers, immediate_danger=data.get("immediate_danger") in ("on", "true")
    )
    chosen = data.get("risk_level", "")
    return {
        "suggested": RiskLevel(level),
        "score": score,
        "answered": sum(1 for answer in answers.values() if answer in ANSWERS),
        "questions": len(questions),
        "below": chosen in RiskLevel.values and is_below(chosen, level),
    }


@require_POST
@requires(Perm.CASE_WORK)
def assessment_suggestion(request: AuthedRequest, pk: int) -> HttpResponse:
    """The suggested level, live as the answers are given (HTMX, nothing saved)."""
    case = access_case(request.user, pk)
    if refusal(request.user, case, Action.ASSESS) is not None:
        raise Http404
    return render(request, "web/_risk_suggestion.html", risk_suggestion(request.POST))


@require_POST
@requires(Perm.CASE_WORK)
def plan_action(request: AuthedRequest, pk: int, action_pk: int) -> HttpResponse:
    case = access_case(request.user, pk)
    item = get_object_or_404(PlanAction, pk=action_pk, plan__case=case)
    form = f.PlanActionForm(request.POST)
    if form.is_valid():
        try:
            plan_action_update(actor=request.user, case=case, action=item, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Plan action updated."))
            return redirect(case)
    # Shown on the action's own row, with what was typed.
    return _case_page(request, case, failed_action=(item.pk, form), status=400)


@require_POST
@requires(Perm.CASE_WORK)
def police_notification(
    request: AuthedRequest, pk: int, notification_pk: int, step: str
) -> HttpResponse:
    case = access_case(request.user, pk)
    notification = get_object_or_404(case.police_notifications, pk=notification_pk)
    form: forms.Form
    try:
        if step == "send":
            form = f.PoliceSendForm(request.POST, region_code=case.region.region_code)
            if form.is_valid():
                police_notification_send(
                    actor=request.user,
                    case=case,
                    notification=notification,
                    police=form.cleaned_data["police"],
                )
                messages.success(request, _("Police notification recorded as sent."))
                return redirect(case)
        elif step == "acknowledge":
            form = f.PoliceAckForm(request.POST)
            if form.is_valid():
                police_notification_acknowledge(
                    actor=request.user,
                    case=case,
                    notification=notification,
                    police_reference=form.cleaned_data["police_reference"],
                )
                messages.success(request, _("Police acknowledgement recorded."))
                return redirect(case)
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(case)
    messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect(case)
