"""The access gate (qorgau/access.py): one test per rule of its docstring."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from personas import make_case, make_child, make_report, make_user, version_of
from qorgau.access import (
    access_case,
    access_child,
    access_report,
    cases_visible_to,
    children_visible_to,
    reports_visible_to,
    sees_personal_data,
)
from qorgau.accounts.roles import Role
from qorgau.cases.services.reports import DescribedChild
from qorgau.cases.services.transfers import case_transfer_decide, case_transfer_request

NO_PERSONAL_DATA = ("regional_analyst_pavlodar", "national_analyst", "auditor", "administrator")


@pytest.fixture
def pavlodar_case(caseworker_pavlodar, supervisor_pavlodar):
    return make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar)


@pytest.fixture
def restricted_case(caseworker_pavlodar, supervisor_pavlodar):
    return make_case(
        worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, concerns=["sexual"]
    )


# --- region scope ----------------------------------------------------------------------


def test_case_staff_see_the_cases_of_their_region(personas, pavlodar_case):
    for name in ("caseworker_pavlodar", "caseworker2_pavlodar", "supervisor_pavlodar"):
        assert access_case(personas[name], pavlodar_case.pk) == pavlodar_case


@pytest.mark.parametrize("name", ["caseworker_astana", "supervisor_astana"])
def test_a_case_of_another_region_is_a_404(personas, pavlodar_case, name):
    assert pavlodar_case not in cases_visible_to(personas[name])
    with pytest.raises(Http404):
        access_case(personas[name], pavlodar_case.pk)


def test_a_case_that_does_not_exist_is_the_same_404(caseworker_pavlodar, pavlodar_case):
    with pytest.raises(Http404):
        access_case(caseworker_pavlodar, pavlodar_case.pk + 1000)


def test_case_staff_see_reports_and_children_of_their_region_only(
    personas, operator_111, pavlodar_city, astana
):
    p = personas
    in_pavlodar = make_report(actor=operator_111, place=pavlodar_city)
    in_astana = make_report(actor=operator_111, place=astana)
    assert list(reports_visible_to(p.caseworker_pavlodar)) == [in_pavlodar]
    assert list(reports_visible_to(p.caseworker_astana)) == [in_astana]
    with pytest.raises(Http404):
        access_report(p.caseworker_astana, in_pavlodar.pk)
    child = make_child(actor=p.caseworker_pavlodar, place=pavlodar_city)
    assert access_child(p.supervisor_pavlodar, child.pk) == child
    with pytest.raises(Http404):
        access_child(p.caseworker_astana, child.pk)


# --- restricted cases ------------------------------------------------------------------


def test_a_restricted_case_is_seen_by_its_worker_and_the_supervisors(
    personas, restricted_case, dept_pavlodar
):
    assert restricted_case.restricted
    other_supervisor = make_user(
        "supervisor2_pavlodar", role=Role.SUPERVISOR, organisation=dept_pavlodar
    )
    for user in (personas.caseworker_pavlodar, personas.supervisor_pavlodar, other_supervisor):
        assert access_case(user, restricted_case.pk) == restricted_case


@pytest.mark.parametrize("name", ["caseworker2_pavlodar", "caseworker_astana", "supervisor_astana"])
def test_a_restricted_case_is_a_404_for_other_caseworkers(personas, restricted_case, name):
    with pytest.raises(Http404):
        access_case(personas[name], restricted_case.pk)


def test_the_reports_of_a_restricted_case_are_as_restricted_as_the_case(personas, restricted_case):
    report = restricted_case.reports.get()
    assert access_report(personas.caseworker_pavlodar, report.pk) == report
    assert access_report(personas.supervisor_pavlodar, report.pk) == report
    with pytest.raises(Http404):
        access_report(personas.caseworker2_pavlodar, report.pk)


def test_a_sensitive_report_awaiting_screening_is_seen_by_the_regions_screeners(
    personas, operator_111, pavlodar_city
):
    report = make_report(actor=operator_111, place=pavlodar_city, concerns=["sexual"])
    assert access_report(personas.caseworker2_pavlodar, report.pk) == report


# --- transfers -------------------------------------------------------------------------


def test_a_receiving_organisation_sees_a_case_only_while_it_is_offered(personas, restricted_case):
    p = personas
    case_transfer_request(
        actor=p.caseworker_pavlodar,
        case=restricted_case,
        version=version_of(restricted_case),
        to_organisation=p.dept_astana,
        reason="Moved",
    )
    assert access_case(p.caseworker_astana, restricted_case.pk) == restricted_case
    case_transfer_decide(
        actor=p.caseworker_astana,
        case=restricted_case,
        version=version_of(restricted_case),
        accept=False,
        decline_reason="No capacity",
    )
    with pytest.raises(Http404):
        access_case(p.caseworker_astana, restricted_case.pk)


# --- reporters -------------------------------------------------------------------------


def test_reporters_see_the_reports_of_their_organisation_only(personas, centre_111):
    p = personas
    by_school = make_report(actor=p.school_reporter)
    by_111 = make_report(actor=p.operator_111, place=p.pavlodar_city)
    colleague = make_user("operator2_111", role=Role.OPERATOR_111, organisation=centre_111)
    assert list(reports_visible_to(p.school_reporter)) == [by_school]
    assert access_report(colleague, by_111.pk) == by_111
    with pytest.raises(Http404):
        access_report(p.operator_111, by_school.pk)
    with pytest.raises(Http404):
        access_report(p.school_reporter, by_111.pk)


@pytest.mark.parametrize("name", ["operator_111", "school_reporter"])
def test_reporters_see_no_cases_and_no_children(personas, name):
    p = personas
    child = make_child(actor=p.caseworker_pavlodar)
    report = make_report(
        actor=p[name], place=p.pavlodar_city, children=[DescribedChild(child=child)]
    )
    from personas import make_screened_in_case

    case = make_screened_in_case(screener=p.supervisor_pavlodar, report=report)
    assert not cases_visible_to(p[name]).exists()
    assert not children_visible_to(p[name]).exists()
    with pytest.raises(Http404):
        access_case(p[name], case.pk)
    with pytest.raises(Http404):
        access_child(p[name], child.pk)
    assert access_report(p[name], report.pk) == report  # still their own report
    assert sees_personal_data(p[name])


# --- aggregates only -------------------------------------------------------------------


@pytest.mark.parametrize("name", NO_PERSONAL_DATA)
def test_analysts_auditors_and_administrators_see_no_personal_records(
    personas, pavlodar_case, name
):
    p = personas
    report = pavlodar_case.reports.get()
    child = pavlodar_case.children.get()
    user = p[name]
    assert not sees_personal_data(user)
    assert not cases_visible_to(user).exists()
    assert not reports_visible_to(user).exists()
    assert not children_visible_to(user).exists()
    for gate, pk in (
        (access_case, pavlodar_case.pk),
        (access_report, report.pk),
        (access_child, child.pk),
    ):
        with pytest.raises(Http404):
            gate(user, pk)


def test_an_anonymous_visitor_sees_nothing(pavlodar_case):
    anonymous = AnonymousUser()
    assert not sees_personal_data(anonymous)
    assert not cases_visible_to(anonymous).exists()
    assert not reports_visible_to(anonymous).exists()
    assert not children_visible_to(anonymous).exists()


def test_a_deactivated_caseworker_sees_nothing(caseworker_pavlodar, pavlodar_case):
    caseworker_pavlodar.is_active = False
    assert not cases_visible_to(caseworker_pavlodar).exists()
    assert not reports_visible_to(caseworker_pavlodar).exists()
    assert not children_visible_to(caseworker_pavlodar).exists()
