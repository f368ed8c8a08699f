"""Screening out needs a reason and a note; supervisors review the screened-out reports
(all of them, or a share set by QORGAU_SCREEN_OUT_REVIEW)."""

import pytest
from django.core.exceptions import ValidationError

from personas import make_report
from qorgau.cases.models import Report, ScreenOutReview
from qorgau.cases.selectors import reports_to_screen, screened_out_to_review
from qorgau.cases.services.reports import report_screen_out, report_screen_out_review
from qorgau.cases.workflow import TransitionError

NOTE = "Called the school: the bruise was a sports injury, seen by the nurse."


@pytest.fixture
def screened_out(operator_111, caseworker_pavlodar, pavlodar_city):
    report = make_report(actor=operator_111, place=pavlodar_city)
    return report_screen_out(
        actor=caseworker_pavlodar, report=report, reason="no_concern", note=NOTE
    )


def test_screening_out_needs_a_note(operator_111, caseworker_pavlodar, pavlodar_city):
    report = make_report(actor=operator_111, place=pavlodar_city)
    with pytest.raises(ValidationError) as exc:
        report_screen_out(actor=caseworker_pavlodar, report=report, reason="no_concern", note=" ")
    assert set(exc.value.message_dict) == {"note"}
    report.refresh_from_db()
    assert report.status == Report.Status.NEW


def test_every_screened_out_report_is_drawn_for_review_by_default(
    screened_out, supervisor_pavlodar, supervisor_astana, caseworker_pavlodar
):
    assert screened_out.review == ScreenOutReview.PENDING
    assert list(screened_out_to_review(actor=supervisor_pavlodar)) == [screened_out]
    assert not screened_out_to_review(actor=supervisor_astana).exists()
    assert not screened_out_to_review(actor=caseworker_pavlodar).exists()


@pytest.mark.parametrize(("share", "drawn"), [(0, ""), (1, "pending")])
def test_the_share_reviewed_is_a_setting(
    settings, operator_111, caseworker_pavlodar, pavlodar_city, share, drawn
):
    settings.QORGAU_SCREEN_OUT_REVIEW = share
    report = make_report(actor=operator_111, place=pavlodar_city)
    report_screen_out(actor=caseworker_pavlodar, report=report, reason="duplicate", note=NOTE)
    report.refresh_from_db()
    assert report.review == drawn


def test_a_sample_draws_some_and_not_others(
    settings, operator_111, caseworker_pavlodar, pavlodar_city
):
    settings.QORGAU_SCREEN_OUT_REVIEW = 0.5
    for _ in range(40):
        report = make_report(actor=operator_111, place=pavlodar_city)
        report_screen_out(actor=caseworker_pavlodar, report=report, reason="duplicate", note=NOTE)
    drawn = Report.objects.filter(review=ScreenOutReview.PENDING).count()
    assert 0 < drawn < 40  # chance of failing: 2 in 2^40


def test_the_supervisor_upholds_it_in_the_timeline(screened_out, supervisor_pavlodar):
    report_screen_out_review(actor=supervisor_pavlodar, report=screened_out, uphold=True, note="")
    screened_out.refresh_from_db()
    assert (screened_out.review, screened_out.reviewed_by) == ("upheld", supervisor_pavlodar)
    assert screened_out.status == Report.Status.SCREENED_OUT
    assert screened_out.timeline.order_by("pk").last().kind == "screen_out_upheld"
    assert not screened_out_to_review(actor=supervisor_pavlodar).exists()


def test_reopening_needs_a_note_and_puts_it_back_in_the_queue(
    screened_out, supervisor_pavlodar, caseworker_pavlodar
):
    with pytest.raises(ValidationError):
        report_screen_out_review(
            actor=supervisor_pavlodar, report=screened_out, uphold=False, note=""
        )
    report_screen_out_review(
        actor=supervisor_pavlodar,
        report=screened_out,
        uphold=False,
        note="Second report from the same school: visit the family.",
    )
    screened_out.refresh_from_db()
    assert (screened_out.status, screened_out.review) == (Report.Status.NEW, "reopened")
    assert screened_out in reports_to_screen(actor=caseworker_pavlodar)
    entry = screened_out.timeline.order_by("pk").last()
    assert (entry.kind, entry.actor) == ("screen_out_reopened", supervisor_pavlodar)
    kinds = list(screened_out.timeline.values_list("kind", flat=True))
    assert "report_screened_out" in kinds  # the first screening stays in the history


def test_nobody_reviews_their_own_screening(operator_111, supervisor_pavlodar, pavlodar_city):
    report = make_report(actor=operator_111, place=pavlodar_city)
    report_screen_out(actor=supervisor_pavlodar, report=report, reason="duplicate", note=NOTE)
    assert not screened_out_to_review(actor=supervisor_pavlodar).exists()
    with pytest.raises(TransitionError):
        report_screen_out_review(actor=supervisor_pavlodar, report=report, uphold=True, note="")


@pytest.mark.parametrize("name", ["caseworker_pavlodar", "caseworker2_pavlodar", "auditor"])
def test_only_supervisors_review(personas, screened_out, name):
    with pytest.raises(TransitionError):
        report_screen_out_review(actor=personas[name], report=screened_out, uphold=True, note="")
    screened_out.refresh_from_db()
    assert screened_out.review == "pending"
