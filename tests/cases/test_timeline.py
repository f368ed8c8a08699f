"""Timeline entries: written by each transition inside its transaction, rendered with labels."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from personas import (
    assess,
    make_case,
    make_child,
    make_report,
    make_screened_in_case,
    send_police_notifications,
    submit_plan,
    version_of,
)
from qorgau.cases import timeline
from qorgau.cases.models import Case, PoliceNotification, Report, TimelineEntry
from qorgau.cases.services import reports as report_services
from qorgau.cases.services.closure import (
    case_closure_decide,
    case_closure_request,
    case_closure_withdraw,
    case_reopen,
)
from qorgau.cases.services.followup import police_notification_acknowledge, visit_record
from qorgau.cases.services.plans import plan_decide
from qorgau.cases.services.reports import DescribedChild, report_screen_in, report_screen_out
from qorgau.cases.services.transfers import case_transfer_decide, case_transfer_request


def kinds(**where):
    return list(TimelineEntry.objects.filter(**where).values_list("kind", flat=True))


def test_every_step_of_a_case_leaves_its_entry_by_its_actor(personas, settings):
    p = personas
    worker, supervisor = p.caseworker_pavlodar, p.supervisor_pavlodar
    report = make_report(actor=p.school_reporter, concerns=["physical"])
    assert kinds(report=report) == ["report_received"]
    case = make_screened_in_case(screener=supervisor, worker=worker, report=report)
    assert kinds(report=report) == ["report_received", "child_linked", "report_screened_in"]
    assert kinds(case=case) == ["case_opened", "report_screened_in", "police_due"]

    steps = [
        (worker, "assessed", lambda: assess(case, actor=worker)),
        (worker, "plan_submitted", lambda: submit_plan(case, actor=worker)),
        (supervisor, "plan_returned",
         lambda: plan_decide(actor=supervisor, case=case,
                             version=version_of(case), approve=False, note="x")),
        (worker, "plan_submitted", lambda: submit_plan(case, actor=worker)),
        (supervisor, "plan_approved",
         lambda: plan_decide(actor=supervisor, case=case, version=version_of(case), approve=True)),
        (worker, "visit_recorded",
         lambda: visit_record(actor=worker, case=case, kind="home",
                              visited_on=timezone.localdate(case.opened_at), findings="f")),
        (worker, "police_sent",
         lambda: send_police_notifications(case, actor=worker, police=p.police_pavlodar)),
        (worker, "police_acknowledged",
         lambda: police_notification_acknowledge(
             actor=worker, case=case, notification=case.police_notifications.get(),
             police_reference="KUI-7")),
        (worker, "closure_requested",
         lambda: case_closure_request(actor=worker, case=case,
                                      version=version_of(case), reason="goals_met",
                                      outcome="improved", note="n")),
        (worker, "closure_withdrawn",
         lambda: case_closure_withdraw(actor=worker, case=case, version=version_of(case))),
        (worker, "closure_requested",
         lambda: case_closure_request(actor=worker, case=case,
                                      version=version_of(case), reason="goals_met",
                                      outcome="improved", note="n")),
        (supervisor, "closure_rejected",
         lambda: case_closure_decide(actor=supervisor, case=case,
                                     version=version_of(case), approve=False,
                                     note="Not yet")),
        (worker, "closure_requested",
         lambda: case_closure_request(actor=worker, case=case,
                                      version=version_of(case), reason="goals_met",
                                      outcome="improved", note="n")),
        (supervisor, "closure_approved",
         lambda: case_closure_decide(actor=supervisor, case=case,
                                     version=version_of(case), approve=True)),
        (worker, "reopened",
         lambda: case_reopen(actor=worker, case=case,
                             version=version_of(case), reason="New report")),
        (worker, "transfer_requested",
         lambda: case_transfer_request(actor=worker, case=case, version=version_of(case),
                                       to_organisation=p.dept_astana, reason="Moved")),
        (p.caseworker_astana, "transfer_declined",
         lambda: case_transfer_decide(actor=p.caseworker_astana, case=case,
                                      version=version_of(case),
                                      accept=False, decline_reason="No capacity")),
        (worker, "transfer_requested",
         lambda: case_transfer_request(actor=worker, case=case, version=version_of(case),
                                       to_organisation=p.dept_astana, reason="Moved")),
        (p.caseworker_astana, "transfer_accepted",
         lambda: case_transfer_decide(actor=p.caseworker_astana, case=case,
                                      version=version_of(case),
                                      accept=True, worker=p.caseworker_astana)),
    ]  # fmt: skip
    for actor, kind, step in steps:
        before = TimelineEntry.objects.count()
        step()
        new = list(TimelineEntry.objects.order_by("pk")[before:])
        assert [(e.kind, e.actor, e.case_id) for e in new] == [(kind, actor, case.pk)], kind


def test_screening_out_is_recorded_on_the_report(school_reporter, caseworker_pavlodar):
    report = make_report(actor=school_reporter)
    report_screen_out(
        actor=caseworker_pavlodar,
        report=report,
        reason="no_concern",
        note="Checked with the school.",
    )
    entry = TimelineEntry.objects.get(report=report, kind="report_screened_out")
    assert entry.actor == caseworker_pavlodar


def record_then_fail(monkeypatch):
    """Make timeline.record write its entry, then fail as a later step of the service would."""
    real = timeline.record

    def record(**kwargs):
        real(**kwargs)
        raise RuntimeError("a later step failed")

    monkeypatch.setattr(timeline, "record", record)


def case_state(case):
    case = Case.objects.get(pk=case.pk)
    return (case.status, case.version, case.risk_level, case.closed_at, case.organisation_id)


@pytest.mark.parametrize(
    ("status", "service"),
    [
        ("assessment", lambda p, c: assess(c, actor=p.caseworker_pavlodar)),
        ("planning", lambda p, c: submit_plan(c, actor=p.caseworker_pavlodar)),
        ("plan_submitted",
         lambda p, c: plan_decide(actor=p.supervisor_pavlodar, case=c, version=version_of(c),
                                  approve=True)),
        ("closure_requested",
         lambda p, c: case_closure_decide(actor=p.supervisor_pavlodar, case=c,
                                          version=version_of(c),
                                          approve=True)),
        ("closed",
         lambda p, c: case_reopen(actor=p.caseworker_pavlodar, case=c, version=version_of(c),
                                  reason="r")),
        ("active",
         lambda p, c: case_transfer_request(actor=p.caseworker_pavlodar, case=c,
                                            version=version_of(c),
                                            to_organisation=p.dept_astana, reason="r")),
    ],
)  # fmt: skip
def test_a_service_that_fails_after_writing_its_entry_leaves_neither_entry_nor_change(
    personas, monkeypatch, status, service
):
    p = personas
    case = make_case(worker=p.caseworker_pavlodar, supervisor=p.supervisor_pavlodar, status=status)
    before_entries, before_state = TimelineEntry.objects.count(), case_state(case)
    plans = case.plans.count()
    record_then_fail(monkeypatch)
    with pytest.raises(RuntimeError):
        service(p, case)
    assert TimelineEntry.objects.count() == before_entries
    assert case_state(case) == before_state
    assert case.plans.count() == plans
    assert not case.transfers.exists()


def test_a_screening_that_fails_late_leaves_no_case_and_no_entry(
    monkeypatch, school_reporter, supervisor_pavlodar, caseworker_pavlodar
):
    child = make_child(actor=caseworker_pavlodar)
    report = make_report(
        actor=school_reporter, concerns=["sexual"], children=[DescribedChild(child=child)]
    )

    class FailingNotifications:
        class objects:
            @staticmethod
            def create(**kwargs):
                raise RuntimeError("database went away")

    monkeypatch.setattr(report_services, "PoliceNotification", FailingNotifications)
    with pytest.raises(RuntimeError):
        report_screen_in(actor=supervisor_pavlodar, report=report, worker=caseworker_pavlodar)
    assert kinds(report=report) == ["report_received"]
    assert not Case.objects.exists()
    assert not PoliceNotification.objects.exists()
    report.refresh_from_db()
    assert report.status == Report.Status.NEW


def test_a_refused_transition_writes_no_entry(active_case, supervisor_pavlodar):
    before = TimelineEntry.objects.count()
    with pytest.raises(ValidationError):
        case_closure_decide(
            actor=supervisor_pavlodar,
            case=active_case,
            version=version_of(active_case),
            approve=True,
        )
    assert TimelineEntry.objects.count() == before


@pytest.fixture
def active_case(caseworker_pavlodar, supervisor_pavlodar):
    return make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="active")


def describe_latest(**where):
    with translation.override("en"):
        return timeline.describe(TimelineEntry.objects.filter(**where).latest("pk"))


def test_describe_renders_codes_as_labels_in_the_readers_language(personas):
    p = personas
    worker, supervisor = p.caseworker_pavlodar, p.supervisor_pavlodar
    case = make_case(worker=worker, supervisor=supervisor, concerns=["sexual", "physical"])
    assert describe_latest(case=case, kind="police_due") == (
        "Police notification required: Physical violence, Sexual violence"
    )
    assess(case, actor=worker, risk_level="high")
    assert describe_latest(case=case) == "Risk assessed: High"
    send_police_notifications(case, actor=worker, police=p.police_pavlodar)
    case_closure_request(
        actor=worker,
        case=case,
        version=version_of(case),
        reason="no_risk",
        outcome="unchanged",
        note="n",
    )
    assert describe_latest(case=case) == ("Closure requested: Assessment found no significant risk")
    case_closure_decide(actor=supervisor, case=case, version=version_of(case), approve=True)
    assert describe_latest(case=case) == "Case closed: Situation unchanged"
    report = make_report(actor=p.school_reporter)
    report_screen_out(
        actor=worker, report=report, reason="other_agency", note="Checked with the school."
    )
    assert describe_latest(report=report) == "Report screened out: Matter for another agency"


def test_describe_names_a_report_that_joined_the_case(
    school_reporter, caseworker_pavlodar, supervisor_pavlodar
):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar)
    report = make_report(
        actor=school_reporter, children=[DescribedChild(child=case.children.get())]
    )
    report_screen_in(
        actor=supervisor_pavlodar, report=report, worker=caseworker_pavlodar, join_case=case
    )
    assert describe_latest(case=case, kind="report_joined") == (
        f"Report {report.reference} joined this case"
    )


def test_describe_falls_back_to_the_kind_when_details_are_missing(caseworker_pavlodar):
    entry = timeline.record(actor=caseworker_pavlodar, kind="assessed")
    assert timeline.describe(entry) == "assessed"
    entry.kind = "retired_kind"
    assert timeline.describe(entry) == "retired_kind"


def test_an_unknown_kind_cannot_be_recorded(caseworker_pavlodar):
    with pytest.raises(ValueError, match="unknown timeline kind"):
        timeline.record(actor=caseworker_pavlodar, kind="case_deleted")
    assert not TimelineEntry.objects.exists()
