"""The supervisor's team page: caseload per worker by risk, and overdue work by worker."""

from django.http import HttpResponse
from django.shortcuts import render

from qorgau.accounts.roles import Perm
from qorgau.audit import log as audit
from qorgau.audit.models import RecordKind
from qorgau.caseload.filters import TeamCaseFilter
from qorgau.caseload.selectors import caseload, team_cases, team_of, team_overdue
from qorgau.caseload.tables import CaseloadTable, OverdueTable
from qorgau.pages import AuthedRequest, requires
from qorgau.tables import shown, table_of


@requires(Perm.CASE_APPROVE)
def team(request: AuthedRequest) -> HttpResponse:
    actor = request.user
    members = team_of(actor=actor)
    chosen = TeamCaseFilter(request.GET, queryset=team_cases(actor=actor), team=members)
    cases = chosen.qs if chosen.is_valid() else team_cases(actor=actor).none()
    # Lazy paging (qorgau.tables): no COUNT over the list, one row more read to know
    # of a next page; ?load=2&load-sort=-total, ?late=2&late-sort=due.
    _, load = table_of(request, CaseloadTable, caseload(cases=cases), prefix="load")
    _, overdue = table_of(request, OverdueTable, team_overdue(cases=cases), prefix="late")
    listed = len(shown(overdue))
    audit.record_list(actor=actor, kind=RecordKind.CASE, count=listed)
    audit.record_list(actor=actor, kind=RecordKind.CHILD, count=listed)
    return render(
        request, "caseload/team.html", {"filter": chosen, "load": load, "overdue": overdue}
    )
