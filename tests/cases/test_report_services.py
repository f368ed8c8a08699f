"""Intake and screening: report_create, report_link_child, report_screen_out, report_screen_in."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from personas import make_case, make_child, make_report, make_screened_in_case
from qorgau.cases.choices import Concern, Urgency
from qorgau.cases.models import Case, PoliceNotification, Report, TimelineEntry
from qorgau.cases.services.reports import (
    DescribedChild,
    report_create,
    report_link_child,
    report_screen_in,
    report_screen_out,
)
from qorgau.cases.workflow import TransitionError

# --- report_create ---------------------------------------------------------------------


def test_a_school_reporter_records_a_report_about_a_described_child(school_reporter):
    report = make_report(
        actor=school_reporter,
        concerns=["bullying", "cyberbullying", "bullying"],
        children=[DescribedChild(description="  Boy, grade 6, class 6B "), DescribedChild()],
    )
    report.refresh_from_db()
    assert report.status == Report.Status.NEW
    assert report.created_by == school_reporter
    assert sorted(report.concern_codes) == ["bullying", "cyberbullying"]
    assert [c.description for c in report.children.all()] == ["Boy, grade 6, class 6B"]
    assert TimelineEntry.objects.filter(report=report, kind="report_received").count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"concerns": []}, "concerns"),
        ({"children": [DescribedChild(description="   ")]}, "children"),
        ({"received_at": timezone.now() + dt.timedelta(hours=1)}, "received_at"),
        ({"incident_date": timezone.localdate() + dt.timedelta(days=1)}, "incident_date"),
        ({"narrative": ""}, "narrative"),
        ({"urgency": "whenever"}, "urgency"),
        ({"reporter_type": "astrologer"}, "reporter_type"),
    ],
)
def test_an_incomplete_report_is_refused_on_its_field(operator_111, pavlodar_city, change, field):
    values = {
        "reporter_type": "hotline_111",
        "place": pavlodar_city,
        "narrative": "A child called about her stepfather.",
        "urgency": Urgency.URGENT,
        "concerns": ["domestic"],
        "children": [DescribedChild(description="Girl, 12")],
        **change,
    }
    with pytest.raises(ValidationError) as exc:
        report_create(actor=operator_111, **values)
    assert field in exc.value.message_dict
    assert not Report.objects.exists()


def test_a_report_received_a_minute_ago_by_the_clock_of_another_machine_is_accepted(
    operator_111, pavlodar_city
):
    report = make_report(
        actor=operator_111,
        place=pavlodar_city,
        received_at=timezone.now() + dt.timedelta(minutes=1),
    )
    assert report.pk is not None


@pytest.mark.parametrize("name", ["regional_analyst_pavlodar", "auditor", "administrator"])
def test_roles_without_intake_cannot_record_reports(personas, name):
    with pytest.raises(ValidationError) as exc:
        make_report(actor=personas[name], place=personas.pavlodar_city)
    assert exc.value.code == "forbidden"
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("urgency", "deadline"),
    [
        (Urgency.ROUTINE, "screening"),
        (Urgency.URGENT, "screening"),
        (Urgency.IMMEDIATE, "screening_immediate"),
    ],
)
def test_the_screening_deadline_comes_from_settings(
    settings, operator_111, pavlodar_city, urgency, deadline
):
    # Distinct, unusual values: the deadline must follow configuration, not a constant.
    settings.QORGAU_DEADLINES = {
        **settings.QORGAU_DEADLINES,
        "screening": 31,
        "screening_immediate": 3,
    }
    received = timezone.now() - dt.timedelta(hours=1)
    report = make_report(
        actor=operator_111, place=pavlodar_city, urgency=urgency, received_at=received
    )
    hours = settings.QORGAU_DEADLINES[deadline]
    assert report.screening_due_at == received + dt.timedelta(hours=hours)


# --- linking children ------------------------------------------------------------------


def test_a_screener_links_a_registered_child_to_a_described_one(
    school_reporter, caseworker_pavlodar
):
    report = make_report(actor=school_reporter)
    link = report.children.get()
    child = make_child(actor=caseworker_pavlodar)
    report_link_child(actor=caseworker_pavlodar, report=report, link=link, child=child)
    link.refresh_from_db()
    assert link.child == child
    assert link.description  # what the reporter said is kept
    assert TimelineEntry.objects.filter(report=report, kind="child_linked").exists()


def test_a_school_reporter_cannot_link_children(school_reporter, caseworker_pavlodar):
    report = make_report(actor=school_reporter)
    child = make_child(actor=caseworker_pavlodar)
    with pytest.raises(TransitionError):
        report_link_child(
            actor=school_reporter, report=report, link=report.children.get(), child=child
        )
    assert report.children.get().child is None


def test_one_child_cannot_be_linked_twice_to_one_report(school_reporter, caseworker_pavlodar):
    report = make_report(
        actor=school_reporter,
        children=[DescribedChild(description="Boy A"), DescribedChild(description="Boy B")],
    )
    first, second = report.children.order_by("pk")
    child = make_child(actor=caseworker_pavlodar)
    report_link_child(actor=caseworker_pavlodar, report=report, link=first, child=child)
    with pytest.raises(TransitionError) as exc:
        report_link_child(actor=caseworker_pavlodar, report=report, link=second, child=child)
    assert exc.value.code == "linked"


def test_a_link_of_another_report_is_refused(school_reporter, caseworker_pavlodar):
    report = make_report(actor=school_reporter)
    other = make_report(actor=school_reporter)
    child = make_child(actor=caseworker_pavlodar)
    with pytest.raises(TransitionError) as exc:
        report_link_child(
            actor=caseworker_pavlodar, report=report, link=other.children.get(), child=child
        )
    assert exc.value.code == "wrong_report"


# --- screening out ---------------------------------------------------------------------


def test_a_report_is_screened_out_with_a_reason(school_reporter, caseworker_pavlodar):
    report = make_report(actor=school_reporter)
    report_screen_out(actor=caseworker_pavlodar, report=report, reason="no_concern", note="Checked")
    report.refresh_from_db()
    assert report.status == Report.Status.SCREENED_OUT
    assert (report.screen_out_reason, report.screened_by) == ("no_concern", caseworker_pavlodar)
    assert report.screened_at is not None
    assert not Case.objects.exists()


def test_screening_out_needs_a_reason(school_reporter, caseworker_pavlodar):
    report = make_report(actor=school_reporter)
    with pytest.raises(ValidationError) as exc:
        report_screen_out(
            actor=caseworker_pavlodar, report=report, reason="", note="Checked with the school."
        )
    assert "reason" in exc.value.message_dict
    report.refresh_from_db()
    assert report.status == Report.Status.NEW


@pytest.mark.parametrize("name", ["operator_111", "school_reporter", "regional_analyst_pavlodar"])
def test_only_case_staff_screen_reports(personas, name):
    report = make_report(actor=personas.school_reporter)
    with pytest.raises(TransitionError):
        report_screen_out(
            actor=personas[name],
            report=report,
            reason="no_concern",
            note="Checked with the school.",
        )
    with pytest.raises(TransitionError):
        report_screen_in(actor=personas[name], report=report, worker=personas.caseworker_pavlodar)
    report.refresh_from_db()
    assert report.status == Report.Status.NEW


def test_a_report_cannot_be_screened_twice(caseworker_pavlodar, supervisor_pavlodar):
    report = make_report(
        actor=caseworker_pavlodar,
        children=[DescribedChild(child=make_child(actor=caseworker_pavlodar))],
    )
    report_screen_out(
        actor=caseworker_pavlodar,
        report=report,
        reason="duplicate",
        note="Checked with the school.",
    )
    with pytest.raises(TransitionError) as exc:
        report_screen_in(actor=supervisor_pavlodar, report=report, worker=caseworker_pavlodar)
    assert exc.value.code == "screened"
    with pytest.raises(TransitionError):
        report_screen_out(
            actor=supervisor_pavlodar,
            report=report,
            reason="no_concern",
            note="Checked with the school.",
        )
    report.refresh_from_db()
    assert (report.status, report.screen_out_reason) == (Report.Status.SCREENED_OUT, "duplicate")


# --- screening in ----------------------------------------------------------------------


def test_screening_in_opens_a_case_for_the_linked_children(
    settings, school_reporter, supervisor_pavlodar, caseworker_pavlodar, pavlodar, pavlodar_city
):
    settings.QORGAU_DEADLINES = {**settings.QORGAU_DEADLINES, "assessment": 50, "plan": 170}
    child = make_child(actor=caseworker_pavlodar, place=pavlodar_city)
    report = make_report(actor=school_reporter, children=[DescribedChild(child=child)])
    case = report_screen_in(actor=supervisor_pavlodar, report=report, worker=caseworker_pavlodar)
    case.refresh_from_db()
    report.refresh_from_db()
    assert (report.status, report.case) == (Report.Status.SCREENED_IN, case)
    assert case.status == Case.Status.ASSESSMENT
    assert (case.worker, case.organisation) == (
        caseworker_pavlodar,
        supervisor_pavlodar.organisation,
    )
    assert case.region == pavlodar  # the region, not the district the report came from
    assert list(case.children.all()) == [child]
    assert not case.restricted
    assert case.assessment_due_at == case.opened_at + dt.timedelta(hours=50)
    assert case.plan_due_at == case.opened_at + dt.timedelta(hours=170)
    assert not PoliceNotification.objects.exists()  # neglect is not notifiable


def test_screening_in_requires_every_described_child_to_be_linked(
    school_reporter, caseworker_pavlodar
):
    report = make_report(actor=school_reporter)
    with pytest.raises(TransitionError) as exc:
        report_screen_in(actor=caseworker_pavlodar, report=report, worker=caseworker_pavlodar)
    assert exc.value.code == "unlinked_children"
    assert not Case.objects.exists()
    report.refresh_from_db()
    assert report.status == Report.Status.NEW


def test_the_worker_must_be_case_staff_of_the_screeners_organisation(
    school_reporter, supervisor_pavlodar, caseworker_astana, regional_analyst_pavlodar
):
    child = make_child(actor=supervisor_pavlodar)
    report = make_report(actor=school_reporter, children=[DescribedChild(child=child)])
    for worker in (caseworker_astana, regional_analyst_pavlodar):
        with pytest.raises(ValidationError) as exc:
            report_screen_in(actor=supervisor_pavlodar, report=report, worker=worker)
        assert "worker" in exc.value.message_dict
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("concerns", "notifiable"),
    [
        (["physical", "neglect"], "physical"),
        (["sexual"], "sexual"),
        (["suicide", "bullying"], "suicide"),
        (["trafficking", "sexual"], "sexual,trafficking"),
    ],
)
def test_screening_in_a_possible_offence_creates_a_police_notification(
    settings, supervisor_pavlodar, caseworker_pavlodar, concerns, notifiable
):
    settings.QORGAU_DEADLINES = {**settings.QORGAU_DEADLINES, "police_notification": 5}
    case = make_screened_in_case(
        screener=supervisor_pavlodar, worker=caseworker_pavlodar, concerns=concerns
    )
    notification = PoliceNotification.objects.get(case=case)
    assert set(notification.concerns.split(",")) == set(notifiable.split(","))
    assert notification.sent_at is None
    assert notification.due_at == case.opened_at + dt.timedelta(hours=5)
    assert TimelineEntry.objects.filter(case=case, kind="police_due").count() == 1


@pytest.mark.parametrize("concerns", [["bullying"], ["neglect", "psychological"], ["missing"]])
def test_other_concerns_need_no_police_notification(
    supervisor_pavlodar, caseworker_pavlodar, concerns
):
    case = make_screened_in_case(
        screener=supervisor_pavlodar, worker=caseworker_pavlodar, concerns=concerns
    )
    assert not case.police_notifications.exists()
    assert not case.restricted


@pytest.mark.parametrize("concerns", [["sexual"], ["suicide"], ["bullying", "suicide"]])
def test_sexual_violence_and_suicide_risk_restrict_the_case(
    supervisor_pavlodar, caseworker_pavlodar, concerns
):
    case = make_screened_in_case(
        screener=supervisor_pavlodar, worker=caseworker_pavlodar, concerns=concerns
    )
    assert case.restricted


def test_a_report_joins_an_open_case_of_the_same_child(
    school_reporter, supervisor_pavlodar, caseworker_pavlodar
):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar)
    child = case.children.get()
    report = make_report(
        actor=school_reporter, concerns=["sexual"], children=[DescribedChild(child=child)]
    )
    joined = report_screen_in(
        actor=supervisor_pavlodar, report=report, worker=caseworker_pavlodar, join_case=case
    )
    assert joined.pk == case.pk
    assert Case.objects.count() == 1
    report.refresh_from_db()
    case.refresh_from_db()
    assert report.case == case
    assert case.restricted  # the new report brings a sensitive concern
    assert case.police_notifications.count() == 1
    assert TimelineEntry.objects.filter(case=case, kind="report_joined").count() == 1


def test_a_closed_case_takes_no_new_reports(
    school_reporter, supervisor_pavlodar, caseworker_pavlodar, police_pavlodar
):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="closed")
    report = make_report(
        actor=school_reporter, children=[DescribedChild(child=case.children.get())]
    )
    with pytest.raises(ValidationError) as exc:
        report_screen_in(
            actor=supervisor_pavlodar, report=report, worker=caseworker_pavlodar, join_case=case
        )
    assert "join_case" in exc.value.message_dict
    report.refresh_from_db()
    assert report.status == Report.Status.NEW


def test_concern_codes_are_stable(school_reporter):
    # Statistics are built on these codes: renaming one is a migration, not a refactor.
    assert {"sexual", "suicide", "physical", "trafficking", "neglect"} <= set(Concern.values)


def test_a_report_cannot_join_a_case_about_other_children(personas):
    worker = personas["caseworker_pavlodar"]
    case = make_case(worker=worker, supervisor=personas["supervisor_pavlodar"])
    other_child = make_child(actor=worker)
    report = make_report(actor=personas["operator_111"], place=personas.pavlodar_city)
    report_link_child(actor=worker, report=report, link=report.children.get(), child=other_child)
    with pytest.raises(ValidationError) as refused:
        report_screen_in(actor=worker, report=report, worker=worker, join_case=case)
    assert "join_case" in refused.value.message_dict
    report.refresh_from_db()
    assert report.status == Report.Status.NEW
