"""Dates are checked against the case, the report and the child; free text has limits.

The services hold these rules, so a page, the API and a direct call are refused alike,
with every problem named at once.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from personas import make_case, make_child, make_report
from qorgau import limits
from qorgau.cases.models import Report, Visit
from qorgau.cases.services.followup import visit_record
from qorgau.cases.services.plans import PlannedAction, plan_submit
from qorgau.cases.services.reports import DescribedChild, report_link_child, report_screen_out

# Called in each test: a run that crosses local midnight must not keep yesterday's date.
TODAY = timezone.localdate


@pytest.fixture
def case(caseworker_pavlodar, supervisor_pavlodar):
    return make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar)


def test_a_visit_before_the_case_opened_is_refused_with_the_opening_date(case, caseworker_pavlodar):
    case.opened_at = timezone.now() - dt.timedelta(days=10)
    case.save(update_fields=["opened_at"])
    opened = timezone.localdate(case.opened_at)
    with pytest.raises(ValidationError) as exc:
        visit_record(
            actor=caseworker_pavlodar,
            case=case,
            kind="home",
            visited_on=dt.date(2020, 1, 1),
            findings="Calm home.",
        )
    assert exc.value.message_dict == {
        "visited_on": [f"The case was opened on {opened:%d.%m.%Y}: a visit cannot be earlier."]
    }
    # The day it opened is fine.
    visit_record(
        actor=caseworker_pavlodar, case=case, kind="home", visited_on=opened, findings="Calm."
    )
    assert Visit.objects.count() == 1


def test_a_visit_names_every_problem_at_once(case, caseworker_pavlodar):
    with pytest.raises(ValidationError) as exc:
        visit_record(
            actor=caseworker_pavlodar,
            case=case,
            kind="home",
            visited_on=TODAY() + dt.timedelta(days=1),
            findings=" ",
            participants="p" * (limits.LINE + 1),
        )
    assert set(exc.value.message_dict) == {"visited_on", "findings", "participants"}


def test_a_narrative_over_the_limit_is_refused_by_the_service(operator_111, personas):
    with pytest.raises(ValidationError) as exc:
        make_report(actor=operator_111, narrative="N" * 300_000, reporter_name="R" * 201)
    assert set(exc.value.message_dict) == {"narrative", "reporter_name"}
    assert exc.value.message_dict["narrative"] == [
        f"At most {limits.NARRATIVE} characters, please (this has 300000)."
    ]
    assert not Report.objects.exists()


def test_a_nul_character_is_refused_by_the_service_with_the_field_named(operator_111):
    with pytest.raises(ValidationError) as exc:
        make_report(actor=operator_111, narrative="a\x00b")
    assert exc.value.message_dict == {"narrative": ["Null characters are not allowed."]}


def test_a_report_of_too_many_children_is_refused_by_the_service(operator_111):
    many = [DescribedChild(description=f"Child {i}") for i in range(21)]
    with pytest.raises(ValidationError) as exc:
        make_report(actor=operator_111, children=many)
    assert "children" in exc.value.message_dict


def test_an_incident_after_the_report_was_received_is_refused(operator_111):
    received = timezone.now() - dt.timedelta(days=3)
    with pytest.raises(ValidationError) as exc:
        make_report(actor=operator_111, received_at=received, incident_date=TODAY())
    assert exc.value.message_dict["incident_date"] == [
        f"The report was received on {timezone.localdate(received):%d.%m.%Y}: "
        "the incident cannot be later."
    ]


def test_a_child_born_after_the_incident_cannot_be_linked_to_the_report(
    operator_111, caseworker_pavlodar, personas
):
    report = make_report(actor=operator_111, incident_date=dt.date(2015, 6, 1))
    younger = make_child(actor=caseworker_pavlodar, birth_date=dt.date(2016, 1, 1))
    with pytest.raises(ValidationError, match=r"before .* was born"):
        report_link_child(
            actor=caseworker_pavlodar, report=report, link=report.children.get(), child=younger
        )
    older = make_child(actor=caseworker_pavlodar, birth_date=dt.date(2012, 1, 1))
    report_link_child(
        actor=caseworker_pavlodar, report=report, link=report.children.get(), child=older
    )
    assert report.children.get().child == older


def test_a_screening_note_over_the_limit_is_refused(operator_111, caseworker_pavlodar):
    report = make_report(actor=operator_111)
    with pytest.raises(ValidationError) as exc:
        report_screen_out(
            actor=caseworker_pavlodar, report=report, reason="", note="n" * (limits.NOTE + 1)
        )
    assert set(exc.value.message_dict) == {"reason", "note"}


def test_plan_actions_due_in_the_past_or_a_decade_away_are_refused_row_by_row(
    caseworker_pavlodar, supervisor_pavlodar
):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="planning")
    organisation = case.organisation

    def action(due):
        return PlannedAction(goal="Safety", action="Visits", responsible=organisation, due_date=due)

    with pytest.raises(ValidationError) as exc:
        plan_submit(
            actor=caseworker_pavlodar,
            case=case,
            version=case.version,
            summary="Plan",
            actions=[
                action(TODAY() - dt.timedelta(days=1)),
                action(TODAY() + dt.timedelta(days=30)),
                action(dt.date(TODAY().year + 11, 1, 1)),
            ],
        )
    assert exc.value.message_dict == {
        "actions": [
            "Action 1: The due date is in the past.",
            "Action 3: The due date is more than ten years away: check the year.",
        ]
    }
