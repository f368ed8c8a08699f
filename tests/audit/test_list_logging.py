"""Lists that show children's names or concerns write one access-log entry per view."""

from django.urls import reverse

from personas import make_case, make_report
from qorgau.audit.models import AccessLogEntry


def _lists():
    return list(
        AccessLogEntry.objects.filter(action="list")
        .order_by("id")
        .values_list("actor_username", "record_kind", "result_count", "url_name")
    )


def test_my_work_logs_each_kind_it_lists_once_with_the_count(
    client, personas, caseworker_pavlodar, supervisor_pavlodar
):
    for _ in range(2):
        make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar)
    for _ in range(3):
        make_report(actor=personas.operator_111, place=personas.pavlodar_city)
    client.force_login(caseworker_pavlodar)
    page = client.get(reverse("my-work"))
    cases = page.context["cases"].page.object_list  # a django-tables2 table, paged
    shown = {"case": len(cases), "report": len(page.context["to_screen"].page.object_list)}
    assert shown == {"case": 2, "report": 3}
    assert sorted(_lists()) == [
        ("caseworker_pavlodar", "case", 2, "my-work"),
        ("caseworker_pavlodar", "report", 3, "my-work"),
    ]
    client.get(reverse("my-work"))
    assert len(_lists()) == 4, "every view of the list is logged again"


def test_a_reporters_own_reports_are_logged_as_a_list(client, personas, school_reporter):
    for _ in range(2):
        make_report(actor=school_reporter, place=personas.pavlodar_city)
    client.force_login(school_reporter)
    client.get(reverse("my-work"))
    assert _lists() == [("school_reporter", "report", 2, "my-work")]


def test_the_approvals_queue_is_logged_with_its_count(
    client, caseworker_pavlodar, supervisor_pavlodar
):
    make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="plan_submitted")
    client.force_login(supervisor_pavlodar)
    client.get(reverse("approvals"))
    assert _lists() == [("supervisor_pavlodar", "case", 1, "approvals")]


def test_an_empty_list_shows_nobody_and_logs_nothing(client, caseworker_astana):
    client.force_login(caseworker_astana)
    assert client.get(reverse("my-work")).status_code == 200
    assert _lists() == []
