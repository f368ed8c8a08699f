"""The supervisor's team page: caseload per worker by risk, and overdue work by worker."""

from django.http import HttpResponse
from django.shortcuts import render
from django_tables2 import RequestConfig
from django_tables2.paginators import LazyPaginator

from qorgau.accounts.roles import Perm
from qorgau.audit import log as audit
from qorgau.audit.models import RecordKind
from qorgau.caseload.filters import TeamCaseFilter
from qorgau.caseload.selectors import caseload, team_cases, team_of, team_overdue
from qorgau.caseload.tables import CaseloadTable, OverdueTable
from qorgau.pages import AuthedRequest, requires
from qorgau.paging import PAGE_SIZE


@requires(Perm.CASE_APPROVE)
def team(request: AuthedRequest) -> HttpResponse:
    actor = request.user
    members = team_of(actor=actor)
    chosen = TeamCaseFilter(request.GET, queryset=team_cases(actor=actor), team=members)
    cases = chosen.qs if chosen.is_valid() else team_cases(actor=actor).none()
    load = CaseloadTable(caseload(cases=cases), prefix="load-")
    overdue = OverdueTable(team_overdue(cases=cases), prefix="late-")
    # Lazy paging: no COUNT over the list, one row more read to know of a next page.
    paginate = {"per_page": PAGE_SIZE, "paginator_class": LazyPaginator}
    RequestConfig(request, paginate=paginate).configure(load)
    RequestConfig(request, paginate=paginate).configure(overdue)
    shown = len(overdue.page.object_list) if overdue.page else 0
    audit.record_list(actor=actor, kind=RecordKind.CASE, count=shown)
    audit.record_list(actor=actor, kind=RecordKind.CHILD, count=shown)
    return render(
        request, "caseload/team.html", {"filter": chosen, "load": load, "overdue": overdue}
    )
