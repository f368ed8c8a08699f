"""The case-work rollups: every service that changes a figure moves it, the table read
from them equals the raw computation (the hours to within one histogram bucket), and
the statistics page reads them in a fixed number of queries, whatever the regions."""

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from personas import (
    make_case,
    make_child,
    make_report,
    make_screened_in_case,
    send_police_notifications,
    version_of,
)
from qorgau.cases import casework_tallies, rollups
from qorgau.cases.casework_tallies import bucket_hours, bucket_of
from qorgau.cases.models import (
    Case,
    HoursTally,
    OpenCaseTally,
    PlanAction,
    PlanActionTally,
    PoliceNotification,
    PoliceTally,
    RepeatTally,
    Report,
)
from qorgau.cases.services import followup
from qorgau.cases.services.closure import case_reopen
from qorgau.cases.services.followup import visit_record
from qorgau.cases.services.plans import plan_action_update
from qorgau.cases.services.reports import DescribedChild, report_link_child, report_screen_out
from qorgau.cases.services.transfers import case_transfer_decide, case_transfer_request
from qorgau.linkage.services import access_request_create, access_request_decide, child_merge
from qorgau.monitoring import casework
from qorgau.monitoring.casework import TABLE_COLUMNS
from qorgau.monitoring.durations import from_histogram, percentile

HOURS = [i for i, c in enumerate(TABLE_COLUMNS) if "_hours_" in c]


def _widest_bucket(values_in_minutes: list[float], fraction: float) -> float:
    """The wider of the two buckets holding the values percentile_cont interpolates."""
    ordered = sorted(values_in_minutes)
    position = fraction * (len(ordered) - 1)
    around = {ordered[int(position)], ordered[min(int(position) + 1, len(ordered) - 1)]}
    return max(high - low for low, high in (bucket_hours(bucket_of(int(m))) for m in around))


def test_percentiles_from_the_histogram_are_within_one_bucket_of_percentile_cont():
    rng = random.Random(9)
    for _ in range(300):
        minutes = [rng.lognormvariate(7, 1.6) for _ in range(rng.randint(1, 400))]
        found = from_histogram(Counter(bucket_of(int(m)) for m in minutes))
        assert found is not None and found.n == len(minutes)
        hours = [m / 60 for m in minutes]
        for fraction, value in ((0.5, found.p50), (0.9, found.p90)):
            exact = percentile(hours, fraction)
            assert abs(value - exact) <= _widest_bucket(minutes, fraction), (fraction, minutes)


def test_the_buckets_cover_every_minute_once():
    edges = [bucket_hours(b) for b in range(400)]
    assert edges[0] == (0.0, 0.25) and edges[96] == (24.0, 25.0) and edges[240] == (168.0, 192.0)
    assert all(edges[i][1] == edges[i + 1][0] for i in range(399))
    for minute in (0, 14, 15, 1439, 1440, 10079, 10080, 129599, 129600, 500_000):
        low, high = bucket_hours(bucket_of(minute))
        assert low * 60 <= minute < high * 60


def _pin_screening(report: Report, hours: float) -> None:
    Report.objects.filter(pk=report.pk).update(
        screened_at=report.received_at + dt.timedelta(hours=hours)
    )
    rollups.retally_reports([report.pk])  # a pinned time is not a service's change


def test_the_table_from_rollups_equals_the_raw_one_hours_within_a_bucket(
    personas, national_analyst, regional_analyst_pavlodar
):
    p = personas
    rng = random.Random(15)
    screened: dict[str, list[float]] = {"55": [], "71": []}
    for region, place, screener in (
        ("55", p.pavlodar_city, p.supervisor_pavlodar),
        ("71", p.astana, p.supervisor_astana),
    ):
        for _ in range(12):
            report = make_report(actor=p.operator_111, place=place)
            report_screen_out(actor=screener, report=report, reason="no_concern", note="Checked.")
            hours = rng.choice([rng.uniform(0, 24), rng.uniform(24, 300)])
            _pin_screening(report, hours)
            screened[region].append(hours * 60)
    team = {"worker": p.caseworker_pavlodar, "supervisor": p.supervisor_pavlodar}
    for status in ("assessment", "planning", "active", "active", "closed"):
        make_case(**team, status=status, concerns=("physical",))
    for child in (make_child(actor=p.caseworker_pavlodar) for _ in range(6)):
        for days_ago in (200, 3):
            make_report(
                actor=p.operator_111,
                place=p.pavlodar_city,
                received_at=timezone.now() - dt.timedelta(days=days_ago),
                children=[DescribedChild(child=child)],
            )
    assert rollups.differences() == []
    for actor in (national_analyst, regional_analyst_pavlodar):
        rolled = casework.table(actor=actor)
        raw = casework.table(actor=actor, source="raw")
        assert rolled is not None and raw is not None
        for mine, theirs in zip(rolled.rows, raw.rows, strict=True):
            others = [i for i in range(len(TABLE_COLUMNS)) if i not in HOURS]
            assert [mine[i] for i in others] == [theirs[i] for i in others], mine[0]
            values = {"55": screened["55"], "71": screened["71"]}.get(
                str(mine[0]), screened["55"] + screened["71"]
            )
            for i, fraction in zip(HOURS[:2], (0.5, 0.9), strict=True):
                assert (mine[i] is None) == (theirs[i] is None), (mine[0], TABLE_COLUMNS[i])
                if mine[i] is not None:
                    width = _widest_bucket(values, fraction)
                    assert abs(mine[i] - theirs[i]) <= width + 0.01, (mine[0], TABLE_COLUMNS[i])
    national = casework.table(actor=national_analyst)
    assert national is not None
    kz = national.rows[-1]
    assert kz[HOURS[0]] is not None, "24 screenings: the country's median is shown"
    # Eleven children (the five cases' and six reported twice): six of them again.
    assert kz[TABLE_COLUMNS.index("reported_again_pct")] == round(600 / 11, 2)


# Every service path moves its figure ---------------------------------------------------


def _walk(p) -> dict[str, tuple[Callable[[], object], type]]:  # type: ignore[no-untyped-def]
    """Per service: what it does (its setup already done) and the rollup it moves."""
    worker, supervisor = p.caseworker_pavlodar, p.supervisor_pavlodar
    team = {"worker": worker, "supervisor": supervisor}
    girl = make_child(actor=worker)
    twin = make_child(actor=worker, first_name=girl.first_name, last_name=girl.last_name)
    for child in (girl, twin):  # two children now, one after the merge
        make_report(
            actor=p.operator_111, place=p.pavlodar_city, children=[DescribedChild(child=child)]
        )
    described = make_report(actor=worker, children=[DescribedChild(description="Boy, about 4")])
    # A boy registered in Astana, asked for by Pavlodar for a report that describes him.
    asked_about = make_report(actor=worker, children=[DescribedChild(description="Boy, 9")])
    astanas_boy = make_child(actor=p.caseworker_astana, sex="M")
    asked = access_request_create(
        actor=worker, child=astanas_boy, report_child=asked_about.children.get()
    )
    to_screen = make_report(actor=p.operator_111, place=p.pavlodar_city)
    notifiable = make_report(actor=p.operator_111, place=p.pavlodar_city, concerns=("physical",))
    to_visit = make_case(**team)
    to_notify = make_case(**team, concerns=("physical",))
    to_assess = make_case(**team)
    to_approve = make_case(**team, status="plan_submitted")
    active = make_case(**team, status="active")
    to_close = make_case(**team, status="closure_requested")
    closed = make_case(**team, status="closed")
    moving = make_case(**team, status="planning")
    action = PlanAction.objects.get(plan__case=active)
    from personas import assess
    from qorgau.cases.services.closure import case_closure_decide
    from qorgau.cases.services.plans import plan_decide

    def transfer() -> None:
        case_transfer_request(
            actor=worker,
            case=moving,
            version=version_of(moving),
            to_organisation=p.dept_astana,
            reason="The family moved to Astana",
        )
        case_transfer_decide(
            actor=p.supervisor_astana,
            case=moving,
            version=version_of(moving),
            accept=True,
            worker=p.caseworker_astana,
        )

    return {
        "report_create": (
            lambda: make_report(
                actor=p.operator_111, place=p.pavlodar_city, children=[DescribedChild(child=girl)]
            ),
            RepeatTally,
        ),
        "report_link_child": (
            lambda: report_link_child(
                actor=worker, report=described, link=described.children.get(), child=girl
            ),
            RepeatTally,
        ),
        "report_screen_out": (
            lambda: report_screen_out(
                actor=supervisor, report=to_screen, reason="no_concern", note="Checked."
            ),
            HoursTally,
        ),
        "report_screen_in": (
            lambda: make_screened_in_case(screener=supervisor, worker=worker, report=notifiable),
            PoliceTally,
        ),
        "visit_record": (
            lambda: visit_record(
                actor=worker,
                case=to_visit,
                kind="home",
                visited_on=timezone.localdate(),
                findings="Synthetic visit.",
            ),
            HoursTally,
        ),
        "police_notification_send": (
            lambda: send_police_notifications(to_notify, actor=worker, police=p.police_pavlodar),
            PoliceTally,
        ),
        "case_assess": (lambda: assess(to_assess, actor=worker), OpenCaseTally),
        "plan_decide": (
            lambda: plan_decide(
                actor=supervisor, case=to_approve, version=version_of(to_approve), approve=True
            ),
            PlanActionTally,
        ),
        "plan_action_update": (
            lambda: plan_action_update(
                actor=worker,
                case=active,
                version=version_of(active),
                action=action,
                status="done",
                outcome_note="Met the teacher.",
            ),
            PlanActionTally,
        ),
        "case_closure_decide": (
            lambda: case_closure_decide(
                actor=supervisor, case=to_close, version=version_of(to_close), approve=True
            ),
            OpenCaseTally,
        ),
        "case_reopen": (
            lambda: case_reopen(
                actor=supervisor, case=closed, version=version_of(closed), reason="New report"
            ),
            OpenCaseTally,
        ),
        "case_transfer_decide": (transfer, OpenCaseTally),
        "child_merge": (
            lambda: child_merge(actor=supervisor, kept=girl, merged=twin, reason="One girl"),
            RepeatTally,
        ),
        "access_request_decide": (
            lambda: access_request_decide(actor=p.supervisor_astana, request=asked, accept=True),
            RepeatTally,
        ),
    }


SERVICES = [
    "report_create",
    "report_link_child",
    "report_screen_out",
    "report_screen_in",
    "visit_record",
    "police_notification_send",
    "case_assess",
    "plan_decide",
    "plan_action_update",
    "case_closure_decide",
    "case_reopen",
    "case_transfer_decide",
    "child_merge",
    "access_request_decide",
]


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_moves_its_case_work_figure_and_the_check_finds_no_difference(
    personas, service
):
    walk = _walk(personas)
    assert sorted(walk) == sorted(SERVICES)
    run, moved = walk[service]
    assert rollups.differences() == []
    before = rollups.stored()[moved]
    run()
    assert rollups.stored()[moved] != before, f"{service} moved nothing in {moved.__name__}"
    assert rollups.differences() == []


def test_a_service_that_stops_counting_is_found_by_the_check(personas, monkeypatch):
    """What the tests above guard: take the counting out of visit_record and the check
    goes red."""
    p = personas
    case = make_case(worker=p.caseworker_pavlodar, supervisor=p.supervisor_pavlodar)

    class NotCounting:
        @staticmethod
        def retally_cases(ids) -> None:  # type: ignore[no-untyped-def]
            pass

    monkeypatch.setattr(followup, "rollups", NotCounting)
    visit_record(
        actor=p.caseworker_pavlodar,
        case=case,
        kind="home",
        visited_on=timezone.localdate(),
        findings="Synthetic visit.",
    )
    assert any(line.startswith("HoursTally") for line in rollups.differences())


def test_overdue_actions_move_with_the_day_not_with_a_job(personas, national_analyst):
    """An action due yesterday is overdue, one due today not yet: the tally is by due
    day and the reader compares with today."""
    p = personas
    team = {"worker": p.caseworker_pavlodar, "supervisor": p.supervisor_pavlodar}
    cases = [make_case(**team, status="active") for _ in range(6)]
    today = timezone.localdate()
    for case, days in zip(cases, (-1, -1, -2, -30, -3, 0), strict=True):
        PlanAction.objects.filter(plan__case=case).update(due_date=today + dt.timedelta(days=days))
    rollups.retally_cases([c.pk for c in cases])  # the pinned dates are not a service's
    assert casework._rollup_figures(None).overdue == {("55",): 5}
    assert casework._raw_figures("", None).overdue == {("55",): 5}


def test_a_notification_not_sent_is_late_from_its_deadline_today(personas):
    p = personas
    team = {"worker": p.caseworker_pavlodar, "supervisor": p.supervisor_pavlodar}
    case = make_case(**team, concerns=("physical",))
    PoliceNotification.objects.filter(case=case).update(
        due_at=timezone.now() - dt.timedelta(minutes=5)
    )
    rollups.retally_cases([case.pk])
    figures = casework._rollup_figures(None)
    assert (figures.police_in_time.get(("55",), 0), figures.police_due[("55",)]) == (0, 1)
    raw = casework._raw_figures("", None)
    assert raw.police_due[("55",)] == 1


# The page reads the rollups once, not once per region ----------------------------------

CASEWORK_TABLES = ("cases_hourstally", "cases_opencasetally", "cases_planactiontally")
RAW_TABLES = ("cases_report", "cases_visit", "cases_planaction", "cases_reportchild")


def _casework_reads(client) -> list[str]:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("statistics"))
    assert response.status_code == 200
    return [q["sql"] for q in queries]


def test_the_statistics_page_reads_each_case_work_rollup_once_whatever_the_regions(
    client, personas, national_analyst
):
    p = personas
    make_case(worker=p.caseworker_pavlodar, supervisor=p.supervisor_pavlodar, status="active")
    client.force_login(national_analyst)
    one_region = _casework_reads(client)
    make_case(worker=p.caseworker_astana, supervisor=p.supervisor_astana, status="active")
    two_regions = _casework_reads(client)
    assert len(two_regions) == len(one_region), "a query per region with data"
    for table in CASEWORK_TABLES:
        assert sum(f'"{table}"' in q for q in two_regions) == 1, table
    casework_reads = [q for q in two_regions if any(f'"{t}"' in q for t in CASEWORK_TABLES)]
    assert casework_reads and not [
        q for q in casework_reads if any(f'"{t}"' in q for t in RAW_TABLES)
    ]
    # The case-work table itself touches no raw table but today's police notifications.
    with CaptureQueriesContext(connection) as queries:
        casework.table(actor=national_analyst)
    raw = [q["sql"] for q in queries if any(f'"{t}"' in q["sql"] for t in RAW_TABLES)]
    assert raw == [], raw
    assert len(queries) <= 8, [q["sql"] for q in queries]


def test_rebuild_gives_the_cells_the_services_kept(personas):
    """The set-based rebuild and the services' incremental path are two computations:
    they must agree cell for cell."""
    p = personas
    for status in ("assessment", "active", "closed"):
        make_case(
            worker=p.caseworker_pavlodar,
            supervisor=p.supervisor_pavlodar,
            status=status,
            concerns=("physical",),
        )
    child = make_child(actor=p.caseworker_pavlodar)
    for days_ago in (400, 30, 2):
        make_report(
            actor=p.operator_111,
            place=p.pavlodar_city,
            received_at=timezone.now() - dt.timedelta(days=days_ago),
            children=[DescribedChild(child=child)],
        )
    kept = rollups.stored()
    assert all(kept[m] for m in casework_tallies.TALLIES if m is not PlanActionTally) and kept
    rollups.rebuild()
    assert rollups.stored() == kept
    assert Case.objects.count() == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans are PostgreSQL's")
def test_the_notifications_late_since_this_morning_are_read_through_their_index(personas):
    """The one raw read of the case-work table: 20,000 notifications of other days,
    sent or not, stay out of it (partial index on the deadlines of the ones not sent)."""
    from cases.test_access_query_plans import _query_plan

    case = make_case(
        worker=personas.caseworker_pavlodar,
        supervisor=personas.supervisor_pavlodar,
        concerns=("physical",),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO cases_policenotification (case_id, concerns, due_at, sent_at,
              police_reference)
            SELECT %(case)s, 'physical', now() - (g %% 300 + 1) * interval '1 day',
              CASE WHEN g %% 5 > 0 THEN now() - (g %% 300) * interval '1 day' END, ''
            FROM generate_series(1, 20000) g;
            ANALYZE cases_policenotification;
            """,
            {"case": case.pk},
        )
    plan = _query_plan(casework.late_today())
    assert "Seq Scan on cases_policenotification" not in plan, plan
    assert "police_unsent_due" in plan, plan
