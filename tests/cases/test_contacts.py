"""The contact log, and the children seen (alone) on a visit."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from personas import make_case, make_child, make_report
from qorgau.cases.models import ContactNote
from qorgau.cases.services.contacts import contact_record
from qorgau.cases.services.followup import visit_record
from qorgau.cases.services.reports import DescribedChild, report_screen_in
from qorgau.cases.workflow import TransitionError

TODAY = timezone.localdate


@pytest.fixture
def case(caseworker_pavlodar, supervisor_pavlodar):
    return make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="active")


@pytest.fixture
def siblings(caseworker_pavlodar, supervisor_pavlodar):
    older = make_child(actor=supervisor_pavlodar, first_name="Aruzhan")
    younger = make_child(actor=supervisor_pavlodar, first_name="Timur")
    report = make_report(
        actor=supervisor_pavlodar,
        children=[DescribedChild(child=older), DescribedChild(child=younger)],
    )
    case = report_screen_in(actor=supervisor_pavlodar, report=report, worker=caseworker_pavlodar)
    return case, older, younger


def record(case, actor, **overrides):
    values = {
        "kind": "call",
        "contacted_on": TODAY(),
        "with_whom": "Мать, Гульмира",
        "summary": "Договорились о визите в четверг.",
        **overrides,
    }
    return contact_record(actor=actor, case=case, **values)


def test_a_call_is_logged_with_who_with_whom_and_in_the_timeline(case, caseworker_pavlodar):
    note = record(case, caseworker_pavlodar)
    assert (note.recorded_by, note.with_whom, note.kind) == (
        caseworker_pavlodar,
        "Мать, Гульмира",
        "call",
    )
    entry = case.timeline.order_by("pk").last()
    assert (entry.kind, entry.details) == (
        "contact_recorded",
        {"contact": "call", "visited_on": TODAY().isoformat()},
    )


def test_the_personal_text_is_encrypted_at_rest(case, caseworker_pavlodar):
    note = record(case, caseworker_pavlodar)
    with connection.cursor() as cursor:
        cursor.execute("SELECT with_whom, summary FROM cases_contactnote WHERE id = %s", [note.pk])
        with_whom, summary = cursor.fetchone()
    assert "Гульмира" not in with_whom and "четверг" not in summary
    assert ContactNote.objects.get(pk=note.pk).summary == "Договорились о визите в четверг."


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("with_whom", {"with_whom": " "}),
        ("summary", {"summary": ""}),
        ("contacted_on", {"contacted_on": TODAY() + dt.timedelta(days=1)}),
        ("contacted_on", {"contacted_on": dt.date(2000, 1, 1)}),
        ("summary", {"summary": "x" * 10_001}),
    ],
)
def test_a_bad_contact_is_refused_on_its_field(case, caseworker_pavlodar, field, overrides):
    with pytest.raises(ValidationError) as exc:
        record(case, caseworker_pavlodar, **overrides)
    assert field in exc.value.message_dict
    assert not ContactNote.objects.exists()


@pytest.mark.parametrize("name", ["caseworker2_pavlodar", "supervisor_astana", "auditor"])
def test_only_the_worker_and_supervisor_log_contacts(personas, case, name):
    with pytest.raises(TransitionError):
        record(case, personas[name])
    assert not ContactNote.objects.exists()


def test_a_closed_case_takes_no_contact(caseworker_pavlodar, supervisor_pavlodar):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="closed")
    with pytest.raises(TransitionError):
        record(case, caseworker_pavlodar)


def test_a_contact_about_one_of_the_siblings(siblings, caseworker_pavlodar):
    case, older, _ = siblings
    note = record(case, caseworker_pavlodar, child=older)
    assert note.child == older
    stranger = make_child(actor=caseworker_pavlodar)
    with pytest.raises(ValidationError) as exc:
        record(case, caseworker_pavlodar, child=stranger)
    assert "child" in exc.value.message_dict


def test_a_visit_records_which_children_were_seen_and_alone(siblings, caseworker_pavlodar):
    case, older, younger = siblings
    visit = visit_record(
        actor=caseworker_pavlodar,
        case=case,
        kind="home",
        visited_on=TODAY(),
        findings="Both at home; the older girl spoke alone.",
        children_seen=[older, younger],
        seen_alone=[older],
    )
    seen = {row.child: row.seen_alone for row in visit.children_seen.all()}
    assert seen == {older: True, younger: False}


def test_a_child_seen_alone_must_be_seen(siblings, caseworker_pavlodar):
    case, older, younger = siblings
    with pytest.raises(ValidationError) as exc:
        visit_record(
            actor=caseworker_pavlodar,
            case=case,
            kind="home",
            visited_on=TODAY(),
            findings="Only the younger one was at home.",
            children_seen=[younger],
            seen_alone=[older],
        )
    assert "seen_alone" in exc.value.message_dict
    assert not case.visits.exists()
