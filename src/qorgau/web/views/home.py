from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from qorgau.access import sees_personal_data
from qorgau.accounts.roles import Perm, Role
from qorgau.audit import log as audit
from qorgau.audit.forms import RecordLookupForm, UserLookupForm
from qorgau.audit.models import RecordKind
from qorgau.cases import selectors, stats
from qorgau.grants.selectors import emergency_accesses_to_review
from qorgau.pages import AuthedRequest, requires
from qorgau.paging import page_of
from qorgau.replicas import replica_reads
from qorgau.surveys.selectors import latest_headline, surveys_visible_to
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
        )
        audit.record_list(actor=user, kind=RecordKind.REPORT, count=len(to_screen))
        shown_cases = (
            len(cases.page.object_list)
            + len(approvals)
            + len(incoming)
            + len(emergency_reviews)
            + len(returned_plans)
        )
        audit.record_list(actor=user, kind=RecordKind.CASE, count=shown_cases)
    elif user.has_perm_code(Perm.REPORT_CREATE):
        my_reports = page_of(
            selectors.reports_made_by_my_organisation(actor=user), request, param="reports"
        )
        context["my_reports"] = my_reports
        audit.record_list(actor=user, kind=RecordKind.REPORT, count=len(my_reports))
    elif user.has_perm_code(Perm.AUDIT_VIEW):
        context.update(home="auditor", record_form=RecordLookupForm(), user_form=UserLookupForm())
    elif user.has_perm_code(Perm.STATS_VIEW):
        context.update(home="analyst", surveys=surveys_visible_to(user)[:5])
    elif user.role == Role.ADMINISTRATOR:
        context["home"] = "administrator"
    return render(request, "web/my_work.html", context)


@requires(Perm.CASE_APPROVE)
def approvals(request: AuthedRequest) -> HttpResponse:
    waiting = page_of(selectors.approvals_waiting(actor=request.user), request)
    audit.record_list(actor=request.user, kind=RecordKind.CASE, count=len(waiting))
    return render(request, "web/approvals.html", {"approvals": waiting})


@requires(Perm.STATS_VIEW)
@replica_reads  # aggregates over the scope: seconds of replica lag do not matter
def statistics(request: AuthedRequest) -> HttpResponse:
    data = stats.overview(actor=request.user)
    if data is None:
        raise Http404
    # The latest MICS survey's headline indicators for the same scope, if one is imported.
    survey = latest_headline(region_prefix=stats.stats_scope(request.user) or "")
    return render(
        request,
        "web/statistics.html",
        {"overview": data, "survey": survey, "threshold": stats.SUPPRESS_BELOW},
    )
