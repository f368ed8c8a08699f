"""Screening in a report about a child who already has an open case: the page warns,
offers to join that case first, and opens a second case only when asked in words."""

import pytest
from django.urls import reverse

from personas import make_case, make_child, make_report
from qorgau.cases.models import Case
from qorgau.cases.services.reports import DescribedChild


@pytest.fixture
def report_about_a_child_with_an_open_case(
    personas, caseworker_pavlodar, supervisor_pavlodar, operator_111
):
    child = make_child(actor=caseworker_pavlodar, place=personas.pavlodar_city)
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, child=child)
    report = make_report(
        actor=operator_111, place=personas.pavlodar_city, children=[DescribedChild(child=child)]
    )
    return report, case


def _screen_in(client, report, worker, **fields):
    data = {"decision": "in", "in-worker": worker.pk, "in-note": "", **fields}
    return client.post(reverse("report-screen", args=[report.pk]), data)


def test_the_report_page_warns_and_offers_to_join_the_open_case(
    client, caseworker_pavlodar, report_about_a_child_with_an_open_case
):
    report, case = report_about_a_child_with_an_open_case
    client.force_login(caseworker_pavlodar)
    html = client.get(reverse("report-detail", args=[report.pk])).content.decode()
    assert 'id="open-case-warning"' in html and case.reference in html
    assert f'<option value="{case.pk}" selected>' in html


def test_a_second_case_is_refused_unless_confirmed(
    client, caseworker_pavlodar, report_about_a_child_with_an_open_case
):
    report, case = report_about_a_child_with_an_open_case
    client.force_login(caseworker_pavlodar)
    refused = _screen_in(client, report, caseworker_pavlodar, **{"in-join_case": ""})
    assert refused.status_code == 400
    assert "already has an open case" in refused.content.decode()
    assert case.reference in refused.content.decode()
    assert Case.objects.count() == 1

    opened = _screen_in(
        client, report, caseworker_pavlodar, **{"in-join_case": "", "in-second_case": "on"}
    )
    assert opened.status_code == 302
    assert Case.objects.count() == 2


def test_joining_the_open_case_needs_no_confirmation(
    client, caseworker_pavlodar, report_about_a_child_with_an_open_case
):
    report, case = report_about_a_child_with_an_open_case
    client.force_login(caseworker_pavlodar)
    response = _screen_in(client, report, caseworker_pavlodar, **{"in-join_case": case.pk})
    assert response["Location"] == case.get_absolute_url()
    assert Case.objects.count() == 1
