"""The region keys on children and reports: set by the services, relied on by the gate."""

import pytest
from django.db import IntegrityError, transaction

from personas import make_child, make_report, make_screened_in_case
from qorgau.access import reports_to_screen_visible_to, reports_visible_to
from qorgau.cases.models import Report
from qorgau.cases.selectors import reports_to_screen
from qorgau.children.services import child_update


def test_a_report_and_a_child_carry_their_places_region(personas):
    p = personas
    report = make_report(actor=p.operator_111, place=p.pavlodar_city)
    child = make_child(actor=p.caseworker_pavlodar, place=p.pavlodar_city)
    assert (report.region_code, child.region_code) == ("55", "55")
    assert Report.objects.get(pk=report.pk).region_code == "55"
    moved = child_update(
        actor=p.caseworker_pavlodar, child=child, version=child.version, place=p.astana
    )
    assert moved.region_code == "71"
    assert moved.linked_beyond_region  # it may have cases of its old region


def test_a_correction_that_keeps_the_place_does_not_mark_the_child(personas):
    child = make_child(actor=personas.caseworker_pavlodar)
    kept = child_update(
        actor=personas.caseworker_pavlodar,
        child=child,
        version=child.version,
        place=child.place,
        address="ул. Ленина, 1",
    )
    assert not kept.linked_beyond_region


def test_a_report_awaiting_screening_cannot_belong_to_a_case(personas):
    p = personas
    case = make_screened_in_case(screener=p.supervisor_pavlodar, worker=p.caseworker_pavlodar)
    report = make_report(actor=p.operator_111, place=p.pavlodar_city)
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.filter(pk=report.pk).update(case=case)


def test_a_region_key_must_be_two_digits(personas):
    report = make_report(actor=personas.operator_111, place=personas.pavlodar_city)
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.filter(pk=report.pk).update(region_code="")


@pytest.mark.parametrize(
    "name",
    [
        "caseworker_pavlodar",
        "supervisor_pavlodar",
        "caseworker_astana",
        "operator_111",
        "school_reporter",
        "national_analyst",
        "administrator",
    ],
)
def test_the_screening_queue_holds_exactly_the_visible_reports_awaiting_screening(personas, name):
    p = personas
    for actor, place in (
        (p.operator_111, p.pavlodar_city),
        (p.operator_111, p.pavlodar),
        (p.operator_111, p.astana),
        (p.school_reporter, p.pavlodar_city),
    ):
        make_report(actor=actor, place=place)
    make_screened_in_case(screener=p.supervisor_pavlodar, worker=p.caseworker_pavlodar)
    user = p[name]
    expected = set(reports_visible_to(user).filter(status=Report.Status.NEW))
    assert set(reports_to_screen_visible_to(user)) == expected
    if name in ("caseworker_pavlodar", "supervisor_pavlodar"):
        assert len(expected) == 3
        assert set(reports_to_screen(actor=user)) == expected
