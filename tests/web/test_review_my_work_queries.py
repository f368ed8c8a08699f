"""Review finding: a reporter's "My work" page queried each report's concerns apart."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from personas import make_report


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("my-work"))
    assert response.status_code == 200
    return len(queries)


def test_a_reporters_page_costs_the_same_queries_for_two_reports_or_six(
    client, personas, school_reporter
):
    client.force_login(school_reporter)
    for _ in range(2):
        make_report(actor=school_reporter, place=personas.pavlodar_city)
    with_two = _queries(client)
    for _ in range(4):
        make_report(actor=school_reporter, place=personas.pavlodar_city)
    assert _queries(client) == with_two
