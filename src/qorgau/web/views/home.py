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
from qorgau.referrals.selectors import provider_inbox
from qorgau.referrals.tables import ReferralsFilter, ReferralsTable
from qorgau.safety.selectors import positive_screens_without_plan
from qorgau.surveys.selectors import surveys_visible_to
from qorgau.tables import shown, table_of
from qorgau.web import lists


def _case_work_lists(request: AuthedRequest) -> dict[str, object]:
    """A caseworker's and a supervisor's lists, each on its own parameters, so paging,
    sorting or filtering one keeps the others as they were."""
    user = request.user
    screen_filter, to_screen = table_of(
        request,
        lists.ReportsToScreenTable,
        selectors.reports_to_screen(actor=user),
        prefix="screen",
        filterset=lists.ReportsToScreenFilter,
    )
    case_filter, cases = table_of(
        request,
        lists.MyCasesTable,
        selectors.my_cases(actor=user),
        prefix=lists.PAGE_PARAM,
        filterset=lists.MyCasesFilter,
    )
    approval_filter, approvals = table_of(
        request,
        lists.ApprovalsTable,
        selectors.approvals_waiting(actor=user),
        prefix="approvals",
        filterset=lists.ApprovalsFilter,
    )
    incoming_filter, incoming = table_of(
        request,
        lists.IncomingTransfersTable,
        selectors.incoming_transfers(actor=user),
        prefix="incoming",
        filterset=lists.IncomingTransfersFilter,
    )
    overdue_form, kinds = lists.overdue_kinds(request.GET, prefix="overdue")
    _, overdue = table_of(
        request,
        lists.OverdueTable,
        selectors.overdue_items(actor=user, kinds=kinds),
        prefix="overdue",
    )
    _, returned_plans = table_of(
        request,
        lists.ReturnedPlansTable,
        selectors.plans_returned_to(actor=user),
        prefix="returned",
    )
    _, emergency_reviews = table_of(
        request,
        lists.EmergencyReviewsTable,
        emergency_accesses_to_review(actor=user),
        prefix="emergency",
    )
    # Positive suicide-risk screens still without a safety plan: the supervisor's alert.
    screens_filter, unplanned_screens = table_of(
        request,
        lists.UnplannedScreensTable,
        positive_screens_without_plan(actor=user),
        prefix="screens",
        filterset=lists.UnplannedScreensFilter,
    )
    audit.record_list(actor=user, kind=RecordKind.REPORT, count=len(shown(to_screen)))
    shown_cases = sum(
        len(shown(table))
        for table in (
            cases,
            approvals,
            incoming,
            emergency_reviews,
            returned_plans,
            unplanned_screens,
        )
    )
    audit.record_list(actor=user, kind=RecordKind.CASE, count=shown_cases)
    return {
        "to_screen": to_screen,
        "screen_filter": screen_filter,
        "cases": cases,
        "case_filter": case_filter,
        "approvals": approvals,
        "approval_filter": approval_filter,
        "approves": may_approve(user),
        "incoming": incoming,
        "incoming_filter": incoming_filter,
        "overdue": overdue,
        "overdue_form": overdue_form,
        "returned_plans": returned_plans,
        "emergency_reviews": emergency_reviews,
        "unplanned_screens": unplanned_screens,
        "screens_filter": screens_filter,
    }


@login_required
def my_work(request: AuthedRequest) -> HttpResponse:
    user = request.user
    context: dict[str, object] = {"sees_personal_data": sees_personal_data(user)}
    if user.has_perm_code(Perm.CASE_WORK):
        context.update(_case_work_lists(request))
    elif user.has_perm_code(Perm.REPORT_CREATE):
        report_filter, my_reports = table_of(
            request,
            lists.MyReportsTable,
            selectors.reports_made_by_my_organisation(actor=user),
            prefix="reports",
            filterset=lists.MyReportsFilter,
        )
        context.update(my_reports=my_reports, report_filter=report_filter)
        audit.record_list(actor=user, kind=RecordKind.REPORT, count=len(shown(my_reports)))
    elif user.has_perm_code(Perm.REFERRAL_RESPOND):
        referral_filter, referrals = table_of(
            request,
            ReferralsTable,
            provider_inbox(actor=user),
            prefix="referrals",
            filterset=ReferralsFilter,
        )
        context.update(home="provider", referrals=referrals, referral_filter=referral_filter)
        audit.record_list(actor=user, kind=RecordKind.REFERRAL, count=len(shown(referrals)))
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
    chosen, waiting = table_of(
        request,
        lists.ApprovalsTable,
        selectors.approvals_waiting(actor=request.user),
        prefix="approvals",
        filterset=lists.ApprovalsFilter,
    )
    audit.record_list(actor=request.user, kind=RecordKind.CASE, count=len(shown(waiting)))
    return render(
        request,
        "web/approvals.html",
        {
            "approvals": waiting,
            "approval_filter": chosen,
            "perms_approve": request.user.has_perm_code(Perm.CASE_APPROVE),
        },
    )


@requires(Perm.CASE_APPROVE)
def risk_overrides(request: AuthedRequest) -> HttpResponse:
    chosen, overrides = table_of(
        request,
        lists.RiskOverridesTable,
        selectors.risk_overrides(actor=request.user),
        prefix="overrides",
        filterset=lists.RiskOverridesFilter,
    )
    audit.record_list(actor=request.user, kind=RecordKind.CASE, count=len(shown(overrides)))
    return render(
        request, "web/risk_overrides.html", {"overrides": overrides, "override_filter": chosen}
    )
