"""The supervisor's team page: caseload by risk per worker, overdue work with the child."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from personas import make_case
from qorgau.cases.models import Case


@pytest.fixture
def team_cases(caseworker_pavlodar, caseworker2_pavlodar, supervisor_pavlodar):
    high = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="planning")
    Case.objects.filter(pk=high.pk).update(
        risk_level="high", plan_due_at=timezone.now() - dt.timedelta(days=3, hours=1)
    )
    waiting = make_case(worker=caseworker2_pavlodar, supervisor=supervisor_pavlodar)
    Case.objects.filter(pk=waiting.pk).update(
        assessment_due_at=timezone.now() - dt.timedelta(hours=5)
    )
    make_case(worker=caseworker2_pavlodar, supervisor=supervisor_pavlodar, status="closed")
    return high, waiting


def test_the_supervisor_sees_each_workers_open_cases_by_risk(
    client, supervisor_pavlodar, team_cases
):
    client.force_login(supervisor_pavlodar)
    response = client.get(reverse("team"))
    assert response.status_code == 200
    rows = {row["worker_id"]: row for row in response.context["load"].data.data}
    high, waiting = team_cases
    assert rows[high.worker_id]["high"] == 1 and rows[high.worker_id]["total"] == 1
    # The closed case is not open work.
    assert rows[waiting.worker_id]["unassessed"] == 1 and rows[waiting.worker_id]["total"] == 1


def test_overdue_work_names_the_worker_the_child_and_how_late(
    client, supervisor_pavlodar, team_cases
):
    high, waiting = team_cases
    client.force_login(supervisor_pavlodar)
    page = client.get(reverse("team")).content.decode()
    assert high.reference in page and waiting.reference in page
    assert high.children.get().full_name in page
    assert "3 days" in page and "5 hours" in page


def test_the_filter_narrows_to_one_worker(
    client, supervisor_pavlodar, caseworker2_pavlodar, team_cases
):
    high, waiting = team_cases
    client.force_login(supervisor_pavlodar)
    page = client.get(reverse("team"), {"worker": caseworker2_pavlodar.pk}).content.decode()
    assert waiting.reference in page and high.reference not in page


def test_a_worker_outside_the_team_cannot_be_chosen(
    client, supervisor_pavlodar, caseworker_astana, supervisor_astana, team_cases
):
    outsider = make_case(worker=caseworker_astana, supervisor=supervisor_astana)
    client.force_login(supervisor_pavlodar)
    response = client.get(reverse("team"), {"worker": caseworker_astana.pk})
    assert response.status_code == 200
    assert outsider.reference not in response.content.decode()
    assert response.context["filter"].errors


def test_the_tables_sort_by_a_column(client, supervisor_pavlodar, team_cases):
    high, waiting = team_cases
    client.force_login(supervisor_pavlodar)
    oldest_first = client.get(reverse("team"), {"late-sort": "due"}).content.decode()
    newest_first = client.get(reverse("team"), {"late-sort": "-due"}).content.decode()
    assert oldest_first.index(high.reference) < oldest_first.index(waiting.reference)
    assert newest_first.index(waiting.reference) < newest_first.index(high.reference)


def test_another_supervisor_sees_none_of_this_team(client, supervisor_astana, team_cases):
    client.force_login(supervisor_astana)
    page = client.get(reverse("team")).content.decode()
    assert all(case.reference not in page for case in team_cases)


def test_a_caseworker_gets_a_404(client, caseworker_pavlodar):
    client.force_login(caseworker_pavlodar)
    assert client.get(reverse("team")).status_code == 404


def test_sorting_by_lateness_puts_the_latest_first(client, supervisor_pavlodar, team_cases):
    high, waiting = team_cases  # the plan is 3 days late, the assessment 5 hours
    client.force_login(supervisor_pavlodar)
    most_late_first = client.get(reverse("team"), {"late-sort": "-late"}).content.decode()
    least_late_first = client.get(reverse("team"), {"late-sort": "late"}).content.decode()
    assert most_late_first.index(high.reference) < most_late_first.index(waiting.reference)
    assert least_late_first.index(waiting.reference) < least_late_first.index(high.reference)
