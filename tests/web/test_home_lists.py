"""The home page's lists and the supervisors' queues: django-tables2 tables with
django-filter filters, each paged, sorted and filtered on its own parameters, and none
of them counting the rows the user may see."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from personas import make_case, make_referral, make_report
from qorgau import paging
from qorgau.cases.models import Case, PlanAction, Report
from qorgau.cases.services.reports import report_screen_out


def _html(client, name: str, **params) -> str:
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    return response.content.decode()


def _order(html: str, *references: str) -> list[str]:
    return sorted(references, key=html.index)


# Reports to screen ----------------------------------------------------------------------


def test_reports_to_screen_filter_by_urgency_and_sort_by_received(
    client, operator_111, caseworker_pavlodar, pavlodar_city
):
    routine = make_report(actor=operator_111, place=pavlodar_city, urgency="routine")
    urgent = make_report(actor=operator_111, place=pavlodar_city, urgency="immediate")
    client.force_login(caseworker_pavlodar)
    only_urgent = _html(client, "my-work", **{"screen-urgency": "immediate"})
    assert urgent.reference in only_urgent and routine.reference not in only_urgent
    # By default the most pressing deadline first: immediate danger, received later.
    default = _html(client, "my-work")
    assert _order(default, routine.reference, urgent.reference) == [
        urgent.reference,
        routine.reference,
    ]
    newest_first = _html(client, "my-work", **{"screen-sort": "-reference"})
    assert _order(newest_first, routine.reference, urgent.reference)[0] == urgent.reference
    oldest_first = _html(client, "my-work", **{"screen-sort": "reference"})
    assert _order(oldest_first, routine.reference, urgent.reference)[0] == routine.reference


def test_a_bad_urgency_shows_no_report_rather_than_every_one(
    client, operator_111, caseworker_pavlodar, pavlodar_city
):
    report = make_report(actor=operator_111, place=pavlodar_city)
    client.force_login(caseworker_pavlodar)
    assert report.reference not in _html(client, "my-work", **{"screen-urgency": "soon"})


# Approvals ---------------------------------------------------------------------------


@pytest.fixture
def waiting(caseworker_pavlodar, supervisor_pavlodar) -> tuple[Case, Case]:
    plan = make_case(
        worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="plan_submitted"
    )
    closure = make_case(
        worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="closure_requested"
    )
    return plan, closure


@pytest.mark.parametrize("name", ["my-work", "approvals"])
def test_approvals_filter_by_what_waits(client, supervisor_pavlodar, waiting, name):
    plan, closure = waiting
    client.force_login(supervisor_pavlodar)
    both = _html(client, name)
    assert plan.reference in both and closure.reference in both
    plans = _html(client, name, **{"approvals-waiting": "plan"})
    assert plan.reference in plans and closure.reference not in plans
    closures = _html(client, name, **{"approvals-waiting": "closure"})
    assert closure.reference in closures and plan.reference not in closures


def test_approvals_sort_by_risk_either_way(client, supervisor_pavlodar, waiting):
    plan, closure = waiting
    Case.objects.filter(pk=plan.pk).update(risk_level="high")
    Case.objects.filter(pk=closure.pk).update(risk_level="low")
    client.force_login(supervisor_pavlodar)
    highest = _html(client, "approvals", **{"approvals-sort": "-risk_level"})
    lowest = _html(client, "approvals", **{"approvals-sort": "risk_level"})
    assert _order(highest, plan.reference, closure.reference)[0] == plan.reference
    assert _order(lowest, plan.reference, closure.reference)[0] == closure.reference


def test_approvals_come_in_pages_of_their_own(
    client, monkeypatch, caseworker_pavlodar, supervisor_pavlodar
):
    monkeypatch.setattr(paging, "PAGE_SIZE", 1)
    first, second = (
        make_case(
            worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="plan_submitted"
        )
        for _ in "ab"
    )
    client.force_login(supervisor_pavlodar)
    page_one = _html(client, "my-work")
    page_two = _html(client, "my-work", approvals=2)
    assert first.reference in page_one and second.reference not in page_one
    # The second page of approvals, the other lists still on their first.
    approvals_two = page_two.split('id="approvals-h"')[1].split("</section>")[0]
    assert second.reference in approvals_two and first.reference not in approvals_two
    assert "approvals=2" in page_one


# Overdue -----------------------------------------------------------------------------


def test_overdue_work_filters_by_kind(client, caseworker_pavlodar, supervisor_pavlodar):
    late_assessment = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar)
    Case.objects.filter(pk=late_assessment.pk).update(
        assessment_due_at=timezone.now() - dt.timedelta(hours=3)
    )
    active = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="active")
    PlanAction.objects.filter(plan__case=active).update(
        due_date=timezone.localdate() - dt.timedelta(days=2)
    )
    client.force_login(caseworker_pavlodar)

    def overdue_section(html: str) -> str:
        return html.split('id="overdue-h"')[1].split("</section>")[0]

    every = overdue_section(_html(client, "my-work"))
    assert late_assessment.reference in every and active.reference in every
    actions = overdue_section(_html(client, "my-work", **{"overdue-kind": "action"}))
    assert active.reference in actions and late_assessment.reference not in actions
    bad = overdue_section(_html(client, "my-work", **{"overdue-kind": "everything"}))
    assert active.reference not in bad and late_assessment.reference not in bad


# A reporter's reports -------------------------------------------------------------------


def test_a_reporters_reports_filter_by_status_newest_first_in_pages(
    client, monkeypatch, school_reporter, caseworker_pavlodar, pavlodar_city
):
    older = make_report(actor=school_reporter, place=pavlodar_city)
    newer = make_report(actor=school_reporter, place=pavlodar_city)
    Report.objects.filter(pk=older.pk).update(received_at=timezone.now() - dt.timedelta(days=1))
    report_screen_out(actor=caseworker_pavlodar, report=older, reason="duplicate", note="Дубль.")
    client.force_login(school_reporter)
    default = _html(client, "my-work")
    assert _order(default, older.reference, newer.reference) == [newer.reference, older.reference]
    new_only = _html(client, "my-work", **{"reports-status": "new"})
    assert newer.reference in new_only and older.reference not in new_only
    monkeypatch.setattr(paging, "PAGE_SIZE", 1)
    second = _html(client, "my-work", reports=2)
    assert older.reference in second and newer.reference not in second


# A provider's referrals -------------------------------------------------------------------


def test_a_providers_referrals_filter_by_status(
    client, personas, caseworker_pavlodar, supervisor_pavlodar, provider_pavlodar
):
    sent = make_referral(
        make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="active"),
        actor=caseworker_pavlodar,
    )
    accepted = make_referral(
        make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="active"),
        actor=caseworker_pavlodar,
    )
    client.force_login(provider_pavlodar)
    client.post(reverse("referral-step", args=[accepted.pk, "accept"]))
    both = _html(client, "my-work")
    assert sent.reference in both and accepted.reference in both
    waiting = _html(client, "my-work", **{"referrals-status": "sent"})
    assert sent.reference in waiting and accepted.reference not in waiting


# Cost ---------------------------------------------------------------------------------

_LISTED_TABLES = re.compile(r'COUNT\(.*FROM "(cases_|referrals_|grants_|safety_)', re.S)


@pytest.mark.parametrize(
    "persona",
    ["caseworker_pavlodar", "supervisor_pavlodar", "school_reporter", "provider_pavlodar"],
)
def test_no_home_list_counts_what_the_user_may_see(
    client, personas, persona, caseworker_pavlodar, supervisor_pavlodar, waiting
):
    make_referral(waiting[0], actor=caseworker_pavlodar)
    make_report(actor=personas.school_reporter, place=personas.pavlodar_city)
    client.force_login(personas[persona])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("my-work")).status_code == 200
    counts = [q["sql"] for q in queries.captured_queries if _LISTED_TABLES.search(q["sql"])]
    assert counts == []


def test_the_page_size_is_not_the_requests_to_choose(
    client, monkeypatch, caseworker_pavlodar, supervisor_pavlodar
):
    monkeypatch.setattr(paging, "PAGE_SIZE", 1)
    first, second = (
        make_case(
            worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="plan_submitted"
        )
        for _ in "ab"
    )
    client.force_login(supervisor_pavlodar)
    html = _html(client, "approvals", per_page=1000, **{"approvals-per_page": 1000})
    assert first.reference in html and second.reference not in html
    odd = _html(client, "approvals", approvals="²")  # not a page number: the first page
    assert first.reference in odd
    beyond = _html(client, "approvals", approvals=99)  # past the end: the first page
    assert first.reference in beyond
