"""The screened-out reports' review through the pages."""

import pytest
from django.urls import reverse

from personas import make_report
from qorgau.cases.services.reports import report_screen_out


@pytest.fixture
def screened_out(operator_111, caseworker_pavlodar, pavlodar_city):
    report = make_report(actor=operator_111, place=pavlodar_city)
    return report_screen_out(
        actor=caseworker_pavlodar, report=report, reason="duplicate", note="Дубликат звонка 111."
    )


def test_the_screening_form_asks_for_a_note(
    client, operator_111, caseworker_pavlodar, pavlodar_city
):
    report = make_report(actor=operator_111, place=pavlodar_city)
    client.force_login(caseworker_pavlodar)
    response = client.post(
        reverse("report-screen", args=[report.pk]), {"decision": "out", "out-reason": "duplicate"}
    )
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.status == "new"


def test_the_supervisor_reviews_from_the_list(client, screened_out, supervisor_pavlodar):
    client.force_login(supervisor_pavlodar)
    listing = client.get(reverse("screen-out-reviews")).content.decode()
    url = reverse("screen-out-review", args=[screened_out.pk])
    assert url in listing and "Дубликат звонка 111." in listing
    refused = client.post(url, {"decision": "reopen", "note": ""})
    assert refused.status_code == 400
    response = client.post(url, {"decision": "reopen", "note": "Проверить семью."})
    assert response.status_code == 302
    screened_out.refresh_from_db()
    assert (screened_out.status, screened_out.review) == ("new", "reopened")


@pytest.mark.parametrize("name", ["caseworker_pavlodar", "supervisor_astana", "auditor"])
def test_others_cannot_review(client, personas, screened_out, name):
    client.force_login(personas[name])
    url = reverse("screen-out-review", args=[screened_out.pk])
    assert client.post(url, {"decision": "uphold"}).status_code == 404
    screened_out.refresh_from_db()
    assert screened_out.review == "pending"
