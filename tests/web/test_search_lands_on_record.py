"""A case or report number sent from the search lands on the record; a number of no
record and one the user may not see get the same answer, the second logged as refused."""

import pytest
from django.urls import reverse

from personas import make_case, make_report
from qorgau.audit.models import AccessLogEntry

SEARCH_FORM = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TRIGGER": "child-search-form"}
TYPING = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TRIGGER": "id_q"}


@pytest.fixture
def case(caseworker_pavlodar, supervisor_pavlodar):
    return make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar)


def _search(client, text: str, **headers):
    return client.get(reverse("child-search"), {"q": text}, **headers)


def _refusals() -> list[tuple[str, int]]:
    return list(
        AccessLogEntry.objects.filter(action="refused").values_list("record_kind", "record_id")
    )


def test_a_case_number_lands_on_the_case(client, caseworker_pavlodar, case):
    client.force_login(caseworker_pavlodar)
    response = _search(client, case.reference)
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    cyrillic = _search(client, "с" + case.reference[1:].lower())  # a Russian keyboard
    assert cyrillic["Location"] == case.get_absolute_url()


def test_a_report_number_lands_on_the_report(
    client, operator_111, caseworker_pavlodar, pavlodar_city
):
    report = make_report(actor=operator_111, place=pavlodar_city)
    client.force_login(caseworker_pavlodar)
    response = _search(client, report.reference)
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()


def test_the_search_sent_by_htmx_redirects_the_browser(client, caseworker_pavlodar, case):
    client.force_login(caseworker_pavlodar)
    response = _search(client, case.reference, **SEARCH_FORM)
    assert response.status_code == 200
    assert response["HX-Redirect"] == case.get_absolute_url()


def test_typing_a_number_lists_its_children_and_does_not_jump(client, caseworker_pavlodar, case):
    client.force_login(caseworker_pavlodar)
    response = _search(client, case.reference, **TYPING)
    assert response.status_code == 200 and "HX-Redirect" not in response
    assert case.children.get().full_name in response.content.decode()


def test_an_unknown_and_a_forbidden_number_get_the_same_answer(
    client, caseworker_pavlodar, caseworker_astana, supervisor_astana, case
):
    elsewhere = make_case(worker=caseworker_astana, supervisor=supervisor_astana)
    unknown = f"C-{elsewhere.opened_at:%Y}-{elsewhere.pk + 1000:06d}"
    wrong_year = f"C-{case.opened_at.year - 1}-{case.pk:06d}"
    client.force_login(caseworker_pavlodar)
    answers = []
    for number in (unknown, elsewhere.reference, wrong_year):
        response = _search(client, number)
        assert response.status_code == 200
        results = response.content.decode().split('<div id="results"')[1].split("</div>")[0]
        answers.append(results)
    assert answers[0] == answers[1] == answers[2]
    assert "No child found." in answers[0]
    # Only the real record refused is in the log, as a refusal.
    assert _refusals() == [("case", elsewhere.pk)]


def test_a_report_of_another_organisation_is_not_reached_by_its_number(
    client, school_reporter, operator_111, pavlodar_city, caseworker_astana
):
    report = make_report(actor=operator_111, place=pavlodar_city)
    client.force_login(caseworker_astana)
    response = _search(client, report.reference)
    assert response.status_code == 200 and "No child found." in response.content.decode()
    assert _refusals() == [("report", report.pk)]


def test_looking_for_a_reports_child_lists_children_instead(
    client, operator_111, caseworker_pavlodar, pavlodar_city, case
):
    report = make_report(actor=operator_111, place=pavlodar_city)
    link = report.children.get()
    client.force_login(caseworker_pavlodar)
    response = client.get(
        reverse("child-search"), {"q": case.reference, "report": report.pk, "link": link.pk}
    )
    assert response.status_code == 200
    assert case.children.get().full_name in response.content.decode()
