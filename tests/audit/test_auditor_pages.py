"""Auditors: who opened a record, what a user opened, by period, as CSV."""

import csv
import datetime as dt
import io

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from personas import make_user
from qorgau.access import access_case, access_child
from qorgau.audit import views
from qorgau.audit.models import AccessLogEntry


def test_an_auditor_sees_who_opened_a_child_but_not_the_child(
    client, caseworker_pavlodar, auditor, child
):
    access_child(caseworker_pavlodar, child.pk)
    client.force_login(auditor)
    response = client.get(reverse("audit-child", args=[child.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "caseworker_pavlodar" in page
    assert "Zhaksylykova" not in page and "Aruzhan" not in page


def test_an_auditor_sees_what_a_user_opened(client, caseworker_pavlodar, auditor, case, child):
    access_case(caseworker_pavlodar, case.pk)
    access_child(caseworker_pavlodar, child.pk)
    client.force_login(auditor)
    page = client.get(reverse("audit-user", args=["caseworker_pavlodar"])).content.decode()
    assert reverse("audit-record", args=["case", case.pk]) in page
    assert reverse("audit-record", args=["child", child.pk]) in page
    assert "Zhaksylykova" not in page


def test_the_period_filter_keeps_only_accesses_in_it(client, caseworker_pavlodar, auditor, case):
    access_case(caseworker_pavlodar, case.pk)
    client.force_login(auditor)
    url = reverse("audit-record", args=["case", case.pk])
    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    inside = client.get(url, {"since": today, "until": today}).content.decode()
    before = client.get(url, {"until": yesterday}).content.decode()
    assert "caseworker_pavlodar" in inside
    assert "caseworker_pavlodar" not in before and "No accesses in this period." in before


def test_the_log_is_paginated(client, monkeypatch, caseworker_pavlodar, auditor, case):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for _ in range(3):
        access_case(caseworker_pavlodar, case.pk)
    client.force_login(auditor)
    url = reverse("audit-record", args=["case", case.pk])
    first = client.get(url).content.decode()
    assert first.count("caseworker_pavlodar</a>") == 2
    assert "Page 1" in first and "page=2" in first
    second = client.get(url, {"page": 2}).content.decode()
    assert second.count("caseworker_pavlodar</a>") == 1 and 'rel="next"' not in second


def test_the_search_form_leads_to_the_record_or_the_user(client, auditor):
    client.force_login(auditor)
    search = reverse("audit-search")
    assert client.get(search).status_code == 200
    by_record = client.get(search, {"kind": "report", "record_id": 12})
    assert by_record["Location"] == reverse("audit-record", args=["report", 12])
    by_user = client.get(search, {"username": "caseworker_astana"})
    assert by_user["Location"] == reverse("audit-user", args=["caseworker_astana"])


def test_an_unknown_record_kind_is_a_404(client, auditor):
    client.force_login(auditor)
    assert client.get(reverse("audit-record", args=["access_log", 1])).status_code == 404


def test_reading_the_log_is_itself_logged(client, auditor, case):
    client.force_login(auditor)
    client.get(reverse("audit-record", args=["case", case.pk]))
    entry = AccessLogEntry.objects.exclude(record_kind="account").get()
    assert (entry.actor_username, entry.action) == ("auditor", "view")
    assert entry.record_kind == "access_log"
    assert entry.path == f"/audit/records/case/{case.pk}/"


def _csv(response) -> list[dict[str, str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


def test_the_csv_export_has_every_entry_and_is_logged(client, caseworker_pavlodar, auditor, case):
    access_case(caseworker_pavlodar, case.pk)
    access_case(caseworker_pavlodar, case.pk)
    client.force_login(auditor)
    response = client.get(reverse("audit-record-export", args=["case", case.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _csv(response)
    assert [r["actor_username"] for r in rows] == ["caseworker_pavlodar"] * 2
    assert rows[0]["record_id"] == str(case.pk) and rows[0]["url_name"] == ""
    export = AccessLogEntry.objects.order_by("id").last()
    assert (export.action, export.record_kind, export.result_count) == ("export", "access_log", 2)
    assert export.url_name == "audit-record-export"


def test_the_user_export_respects_the_period(client, caseworker_pavlodar, auditor, case):
    access_case(caseworker_pavlodar, case.pk)
    client.force_login(auditor)
    url = reverse("audit-user-export", args=["caseworker_pavlodar"])
    assert len(_csv(client.get(url))) == 1
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert _csv(client.get(url, {"since": tomorrow})) == []


def test_a_cell_that_looks_like_a_formula_is_exported_as_text(client, auditor, dept_pavlodar, case):
    tricky = make_user("=HYPERLINK(1)", role="supervisor", organisation=dept_pavlodar)
    access_case(tricky, case.pk)
    client.force_login(auditor)
    rows = _csv(client.get(reverse("audit-record-export", args=["case", case.pk])))
    assert rows[0]["actor_username"] == "'=HYPERLINK(1)"


def test_the_log_filters_by_action_and_sorts_by_time(
    client, caseworker_pavlodar, caseworker_astana, auditor, case
):
    access_case(caseworker_pavlodar, case.pk)  # a view
    with pytest.raises(Http404):
        access_case(caseworker_astana, case.pk)  # a refusal: another region
    client.force_login(auditor)
    url = reverse("audit-record", args=["case", case.pk])
    refused = client.get(url, {"page-action": "refused"}).content.decode()
    assert "caseworker_astana</a>" in refused and "caseworker_pavlodar</a>" not in refused
    newest = client.get(url).content.decode()
    oldest = client.get(url, {"page-sort": "at"}).content.decode()
    assert newest.index("caseworker_astana</a>") < newest.index("caseworker_pavlodar</a>")
    assert oldest.index("caseworker_pavlodar</a>") < oldest.index("caseworker_astana</a>")
