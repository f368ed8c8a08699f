"""Queues and counts: what a person sees first, and what analysts may see."""

import datetime as dt

from django.utils import timezone

from personas import make_case, make_report
from qorgau.cases import selectors
from qorgau.cases.models import Case, PlanAction, Report
from qorgau.monitoring import casedata as stats
from qorgau.monitoring.disclosure import threshold


def test_overdue_items_come_oldest_deadline_first_across_dates_and_times(
    caseworker_pavlodar, supervisor_pavlodar, operator_111, personas
):
    now = timezone.now()
    # Two days back, so that "an hour ago" falls after the action's deadline at any time
    # of day, just after midnight too.
    before_yesterday = timezone.localdate() - dt.timedelta(days=2)
    active = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="active")
    # A plan action due the day before yesterday: overdue since the end of that day ...
    PlanAction.objects.filter(plan__case=active).update(due_date=before_yesterday)
    # ... a report whose screening was due that morning (before the action),
    # one due an hour ago (after it) ...
    morning = timezone.make_aware(dt.datetime.combine(before_yesterday, dt.time(9, 0)))
    old = make_report(actor=operator_111, place=personas.pavlodar_city)
    recent = make_report(actor=operator_111, place=personas.pavlodar_city)
    Report.objects.filter(pk=old.pk).update(screening_due_at=morning)
    Report.objects.filter(pk=recent.pk).update(screening_due_at=now - dt.timedelta(hours=1))
    # ... and a report not yet due.
    make_report(actor=operator_111, place=personas.pavlodar_city)

    items = selectors.overdue_items(actor=caseworker_pavlodar)
    kinds = [(item.kind, item.reference) for item in items]
    assert kinds == [
        ("screening", Report.objects.get(pk=old.pk).reference),
        ("action", active.reference),
        ("screening", Report.objects.get(pk=recent.pk).reference),
    ]


def test_my_cases_put_the_highest_risk_first_and_leave_out_closed_ones(
    caseworker_pavlodar, supervisor_pavlodar
):
    low = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="active")
    Case.objects.filter(pk=low.pk).update(risk_level="low")
    critical = make_case(
        worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="planning"
    )
    Case.objects.filter(pk=critical.pk).update(risk_level="critical")
    unassessed = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar)
    make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="closed")

    order = [case.pk for case in selectors.my_cases(actor=caseworker_pavlodar)]
    assert order == [critical.pk, low.pk, unassessed.pk]


def test_approvals_wait_for_the_supervisor_but_never_their_own_requests(
    caseworker_pavlodar, supervisor_pavlodar, supervisor_astana
):
    theirs = make_case(
        worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="plan_submitted"
    )
    closure = make_case(
        worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="closure_requested"
    )
    own = make_case(
        worker=supervisor_pavlodar, supervisor=supervisor_pavlodar, status="plan_submitted"
    )
    waiting = set(selectors.approvals_waiting(actor=supervisor_pavlodar))
    assert waiting == {theirs, closure}
    assert own not in waiting
    assert not selectors.approvals_waiting(actor=supervisor_astana).exists()
    assert not selectors.approvals_waiting(actor=caseworker_pavlodar).exists()


def test_statistics_suppress_small_counts_and_keep_zero(
    operator_111, personas, regional_analyst_pavlodar, national_analyst, caseworker_pavlodar
):
    for _ in range(threshold() - 1):
        make_report(actor=operator_111, place=personas.pavlodar_city, concerns=("bullying",))
    regional = stats.overview(actor=regional_analyst_pavlodar)
    assert [row.region.kato for row in regional.regions] == ["550000000"]
    assert regional.regions[0].reports is None, "1 to 4 reports are suppressed"
    assert dict(regional.concerns)["Neglect"] == 0

    make_report(actor=operator_111, place=personas.pavlodar_city, concerns=("bullying",))
    national = stats.overview(actor=national_analyst)
    assert len(national.regions) == 20
    pavlodar = next(r for r in national.regions if r.region.kato == "550000000")
    assert pavlodar.reports == threshold()
    assert dict(national.concerns)["Bullying"] == threshold()
    assert stats.overview(actor=caseworker_pavlodar) is None
