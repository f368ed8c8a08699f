"""What one person writes is shown where the next one needs it, not only in the history."""

from django.utils import timezone

from personas import make_child, make_report
from qorgau.cases.services.followup import visit_record
from qorgau.cases.services.reports import DescribedChild, report_screen_in

SCREENING_NOTE = "Mother already known to the school social pedagogue; call before visiting."


def _screened_in_with_a_note(screener, worker):
    child = make_child(actor=screener)
    report = make_report(actor=screener, children=[DescribedChild(child=child)])
    case = report_screen_in(actor=screener, report=report, worker=worker, note=SCREENING_NOTE)
    return report, case


def test_the_case_page_shows_the_screening_note_and_who_wrote_it(
    client, caseworker_pavlodar, supervisor_pavlodar
):
    _, case = _screened_in_with_a_note(supervisor_pavlodar, caseworker_pavlodar)
    client.force_login(caseworker_pavlodar)
    html = client.get(case.get_absolute_url()).content.decode()
    assert f'<span class="screening-note">{SCREENING_NOTE}</span>' in html
    assert str(supervisor_pavlodar) in html


def test_the_report_page_shows_the_screening_note(client, caseworker_pavlodar, supervisor_pavlodar):
    report, _ = _screened_in_with_a_note(supervisor_pavlodar, caseworker_pavlodar)
    client.force_login(caseworker_pavlodar)
    html = client.get(report.get_absolute_url()).content.decode()
    assert SCREENING_NOTE in html


def test_the_reporter_does_not_see_the_screening_note(
    client, school_reporter, caseworker_pavlodar, supervisor_pavlodar
):
    child = make_child(actor=caseworker_pavlodar)
    report = make_report(actor=school_reporter, children=[DescribedChild(child=child)])
    report_screen_in(
        actor=supervisor_pavlodar, report=report, worker=caseworker_pavlodar, note=SCREENING_NOTE
    )
    client.force_login(school_reporter)
    page = client.get(report.get_absolute_url())
    assert page.status_code == 200
    assert SCREENING_NOTE not in page.content.decode()


def test_the_visit_entry_on_the_case_page_names_who_was_present(
    client, caseworker_pavlodar, supervisor_pavlodar
):
    _, case = _screened_in_with_a_note(supervisor_pavlodar, caseworker_pavlodar)
    visit_record(
        actor=caseworker_pavlodar,
        case=case,
        kind="home",
        visited_on=timezone.localdate(),
        findings="Flat heated, food in the fridge.",
        participants="Mother, grandmother, the child",
    )
    client.force_login(caseworker_pavlodar)
    html = client.get(case.get_absolute_url()).content.decode()
    assert '<span class="visit-participants">Mother, grandmother, the child</span>' in html
