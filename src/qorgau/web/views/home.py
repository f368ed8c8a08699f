from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from qorgau.access import sees_personal_data
from qorgau.accounts.roles import Perm, Role
from qorgau.audit import log as audit
from qorgau.audit.forms import RecordLookupForm, UserLookupForm
from qorgau.audit.models import RecordKind
from qorgau.cases import selectors
from qorgau.cases.workflow import may_approve
from qorgau.grants.selectors import emergency_accesses_to_review
from qorgau.pages import AuthedRequest, requires
from qorgau.paging import page_of
from qorgau.referrals.selectors import provider_inbox
from qorgau.safety.selectors import positive_screens_without_plan
from qorgau.surveys.selectors import surveys_visible_to
from qorgau.web.lists import my_cases_list


@login_required
def my_work(request: AuthedRequest) -> HttpResponse:
    user = request.user
    context: dict[str, object] = {"sees_personal_data": sees_personal_data(user)}
    if user.has_perm_code(Perm.CASE_WORK):
        # Each list pages on its own parameter, so paging one keeps the others' pages.
        to_screen = page_of(selectors.reports_to_screen(actor=user), request, param="screen")
        case_filter, cases = my_cases_list(request, selectors.my_cases(actor=user))
        approvals = page_of(selectors.approvals_waiting(actor=user), request, param="approvals")
        incoming = page_of(selectors.incoming_transfers(actor=user), request, param="incoming")
        emergency_reviews = list(emergency_accesses_to_review(actor=user))
        # Positive suicide-risk screens still without a safety plan: the supervisor's alert.
        unplanned_screens = list(positive_screens_without_plan(actor=user)[:25])
        returned_plans = list(selectors.plans_returned_to(actor=user)[:25])
        context.update(
            to_screen=to_screen,
            cases=cases,
            case_filter=case_filter,
            returned_plans=returned_plans,
            overdue=selectors.overdue_items(actor=user),
            approvals=approvals,
            incoming=incoming,
            emergency_reviews=emergency_reviews,
            unplanned_screens=unplanned_screens,
        )
        audit.record_list(actor=user, kind=RecordKind.REPORT, count=len(to_screen))
        shown_cases = (
            len(cases.page.object_list)
            + len(approvals)
            + len(incoming)
            + len(emergency_reviews)
            + len(returned_plans)
            + len(unplanned_screens)
        )
        audit.record_list(actor=user, kind=RecordKind.CASE, count=shown_cases)
    elif user.has_perm_code(Perm.REPORT_CREATE):
        my_reports = page_of(
            selectors.reports_made_by_my_organisation(actor=user), request, param="reports"
        )
        context["my_reports"] = my_reports
        audit.record_list(actor=user, kind=RecordKind.REPORT, count=len(my_reports))
    elif user.has_perm_code(Perm.REFERRAL_RESPOND):
        referrals = page_of(provider_inbox(actor=user), request, param="referrals")
        context.update(home="provider", referrals=referrals)
        audit.record_list(actor=user, kind=RecordKind.REFERRAL, count=len(referrals))
    elif user.has_perm_code(Perm.AUDIT_VIEW):
        context.update(home="auditor", record_form=RecordLookupForm(), user_form=UserLookupForm())
    elif user.has_perm_code(Perm.STATS_VIEW):
        context.update(home="analyst", surveys=surveys_visible_to(user)[:5])
    elif user.role == Role.ADMINISTRATOR:
        context["home"] = "administrator"
    return render(request, "web/my_work.html", context)


@login_required
def approvals(request: AuthedRequest) -> HttpResponse:
    if not may_approve(request.user):  # a supervisor, or their deputy for a period
        raise Http404
    waiting = page_of(selectors.approvals_waiting(actor=request.user), request)
    audit.record_list(actor=request.user, kind=RecordKind.CASE, count=len(waiting))
    return render(
        request,
        "web/approvals.html",
        {"approvals": waiting, "perms_approve": request.user.has_perm_code(Perm.CASE_APPROVE)},
    )


@requires(Perm.CASE_APPROVE)
def risk_overrides(request: AuthedRequest) -> HttpResponse:
    overrides = page_of(selectors.risk_overrides(actor=request.user), request)
    audit.record_list(actor=request.user, kind=RecordKind.CASE, count=len(overrides))
    return render(request, "web/risk_overrides.html", {"overrides": overrides})
