"""Case-work indicators: exact figures from reports and cases built through the services."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from personas import (
    make_case,
    make_child,
    make_report,
    make_screened_in_case,
    send_police_notifications,
)
from qorgau.cases import rollups
from qorgau.cases.models import Case, PlanAction, PoliceNotification, Report
from qorgau.cases.services.followup import visit_record
from qorgau.cases.services.reports import DescribedChild, report_screen_out
from qorgau.monitoring import casework
from qorgau.monitoring.disclosure import suppress_share
from qorgau.monitoring.indicators import Dim, compute

PAVLODAR = {Dim.REGION: "55"}


def _panel(actor) -> dict[str, object]:
    return {row.label: row.value for row in casework.panel(actor=actor)}


def _screened_report(*, actor, screener, place, hours: float) -> Report:
    report = make_report(actor=actor, place=place)
    report_screen_out(actor=screener, report=report, reason="no_concern", note="Checked.")
    # Screening happens now in the service; pin the time it took exactly.
    report.refresh_from_db()
    Report.objects.filter(pk=report.pk).update(
        screened_at=report.received_at + dt.timedelta(hours=hours)
    )
    rollups.retally_reports([report.pk])  # the pinned time is not a service's change
    return report


def test_hours_to_screening_median_and_90th_percentile_by_region_hidden_below_five(
    operator_111, supervisor_pavlodar, supervisor_astana, regional_analyst_pavlodar,
    national_analyst, personas, client,
):  # fmt: skip
    for hours in (2, 4, 6, 8):
        _screened_report(
            actor=operator_111, screener=supervisor_pavlodar, place=personas.pavlodar_city,
            hours=hours,
        )  # fmt: skip
    median = "Hours from report to screening, median"
    assert _panel(regional_analyst_pavlodar)[median] is None, "4 reports: one person's time"

    _screened_report(
        actor=operator_111, screener=supervisor_pavlodar, place=personas.pavlodar_city, hours=50
    )
    for hours in (100, 100, 100, 100, 100):
        _screened_report(
            actor=operator_111, screener=supervisor_astana, place=personas.astana, hours=hours
        )
    # Pavlodar: 2, 4, 6, 8, 50 h; percentile_cont interpolates: p90 = 8 + 0.6 * 42.
    by_region = casework.screening_times({}, (Dim.REGION,))
    assert {k: (d.n, d.p50, pytest.approx(d.p90)) for k, d in by_region.items()} == {
        ("55",): (5, 6.0, 33.2),
        ("71",): (5, 100.0, 100.0),
    }
    assert compute("casework.screening_hours_p90", PAVLODAR)[()][2] == pytest.approx(33.2)
    regional = _panel(regional_analyst_pavlodar)
    assert regional[median] == 6.0
    assert regional["Hours from report to screening, 90th percentile"] == pytest.approx(33.2)
    # The country: 2, 4, 6, 8, 50, 100 × 5 -> median 75 (between 50 and 100).
    assert _panel(national_analyst)[median] == 75.0

    client.force_login(regional_analyst_pavlodar)
    page = client.get(reverse("statistics")).content.decode()
    assert 'Hours from report to screening, median</th><td class="num">6.0 h' in page


def test_hours_to_first_visit_count_to_the_end_of_the_visit_day(
    operator_111, supervisor_pavlodar, caseworker_pavlodar, regional_analyst_pavlodar, personas
):
    zone = timezone.get_current_timezone()
    today = timezone.localdate()
    day_end = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(), zone)
    for hours in (24, 30, 36, 48, 72):
        child = make_child(actor=supervisor_pavlodar)
        report = make_report(
            actor=operator_111, place=personas.pavlodar_city, children=[DescribedChild(child=child)]
        )
        case = make_screened_in_case(
            screener=supervisor_pavlodar, worker=caseworker_pavlodar, report=report
        )
        Report.objects.filter(pk=report.pk).update(received_at=day_end - dt.timedelta(hours=hours))
        rollups.retally_reports([report.pk])  # the pinned time is not a service's change
        visit_record(
            actor=caseworker_pavlodar, case=case, kind="home", visited_on=today,
            findings="Synthetic visit.",
        )  # fmt: skip
    # A case without a visit is not timed.
    make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar)

    times = casework.first_visit_times(PAVLODAR)[()]
    assert (times.n, times.p50, pytest.approx(times.p90)) == (5, 36.0, 62.4)
    panel = _panel(regional_analyst_pavlodar)
    assert panel["Hours from report to first visit, median"] == 36.0
    assert panel["Hours from report to first visit, 90th percentile"] == pytest.approx(62.4)


def test_open_cases_by_risk_and_overdue_plan_actions(
    caseworker_pavlodar, supervisor_pavlodar, caseworker_astana, supervisor_astana,
    regional_analyst_pavlodar,
):  # fmt: skip
    pavlodar = {"worker": caseworker_pavlodar, "supervisor": supervisor_pavlodar}
    make_case(**pavlodar)  # not assessed yet
    make_case(**pavlodar)
    make_case(**pavlodar, status=Case.Status.PLANNING)  # assessed medium
    overdue = make_case(**pavlodar, status=Case.Status.ACTIVE)
    make_case(**pavlodar, status=Case.Status.ACTIVE)  # its action due in 14 days
    make_case(**pavlodar, status=Case.Status.CLOSED)
    astana = make_case(
        worker=caseworker_astana, supervisor=supervisor_astana, status=Case.Status.ACTIVE
    )
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    PlanAction.objects.filter(plan__case__in=[overdue, astana]).update(due_date=yesterday)
    rollups.retally_cases([overdue.pk, astana.pk])  # the pinned dates are not a service's

    by_risk = compute("casework.open_cases_by_risk", PAVLODAR, (Dim.RISK_LEVEL,))
    assert {k: v[0] for k, v in by_risk.items()} == {("not_assessed",): 2, ("medium",): 3}
    assert compute("casework.open_cases_by_risk", {Dim.RISK_LEVEL: "medium"})[()][0] == 4
    overdue_by_region = compute("casework.overdue_plan_actions", {}, (Dim.REGION,))
    assert {k: v[0] for k, v in overdue_by_region.items()} == {("55",): 1, ("71",): 1}

    panel = _panel(regional_analyst_pavlodar)
    assert panel["Open cases, risk: not assessed yet"] is None  # 2 and 3: hidden
    assert panel["Open cases, risk: Medium"] is None
    assert panel["Open cases, risk: High"] == 0
    assert panel["Overdue plan actions"] is None


def test_police_notifications_in_time_late_and_unsent(
    caseworker_pavlodar, supervisor_pavlodar, police_pavlodar
):
    team = {"worker": caseworker_pavlodar, "supervisor": supervisor_pavlodar}
    cases = [make_case(**team, concerns=("physical",)) for _ in range(4)]
    for case in cases[:3]:
        send_police_notifications(case, actor=caseworker_pavlodar, police=police_pavlodar)
    now = timezone.now()
    # cases[2]: sent, but after its deadline; cases[3]: not sent and overdue.
    PoliceNotification.objects.filter(case=cases[2]).update(due_at=now - dt.timedelta(hours=1))
    PoliceNotification.objects.filter(case=cases[3]).update(due_at=now - dt.timedelta(hours=2))
    rollups.retally_cases([cases[2].pk, cases[3].pk])  # the pinned times are not a service's
    share = compute("casework.police_notified_in_time", PAVLODAR, (Dim.REGION,))
    assert share == {("55",): (2, 4, 50.0)}
    # A notification not yet due and not sent is neither in time nor late.
    make_case(**team, concerns=("physical",))
    assert compute("casework.police_notified_in_time", PAVLODAR)[()] == (2, 4, 50.0)


def test_children_reported_again_within_12_months(operator_111, supervisor_pavlodar, personas):
    now = timezone.now()
    again, once, long_ago = (make_child(actor=supervisor_pavlodar) for _ in range(3))
    for child, days_ago in ((again, 100), (again, 10), (once, 20), (long_ago, 400), (long_ago, 5)):
        make_report(
            actor=operator_111,
            place=personas.pavlodar_city,
            received_at=now - dt.timedelta(days=days_ago),
            children=[DescribedChild(child=child)],
        )
    # Three children reported in the last 365 days; one of them within 12 months of an
    # earlier report (the other earlier report is 395 days before the later one).
    share = compute("casework.reported_again_12m", PAVLODAR)
    assert share[()][:2] == (1, 3)
    assert share[()][2] == pytest.approx(100 / 3)
    assert compute("casework.reported_again_12m", {Dim.REGION: "71"}) == {}


def test_a_share_is_shown_only_when_its_part_and_the_rest_are_both_shown():
    assert suppress_share(5, 10) == 50.0
    assert suppress_share(4, 10) is None, "4 in time would be disclosed"
    assert suppress_share(6, 10) is None, "4 late would be disclosed"
    assert suppress_share(0, 0) is None
