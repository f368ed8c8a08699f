"""Every successful access through the gate writes exactly one entry; a 404 none."""

import itertools
import os
import subprocess
import sys

import pytest
from django.urls import reverse

from personas import make_report
from qorgau.access import access_case, access_child
from qorgau.audit.context import system_job
from qorgau.audit.log import seal
from qorgau.audit.models import AccessLogEntry


def _new_entries(since: int) -> list[AccessLogEntry]:
    return list(AccessLogEntry.objects.filter(id__gt=since).order_by("id"))


def _head() -> int:
    last = AccessLogEntry.objects.order_by("-id").first()
    return last.pk if last else 0


def test_opening_a_case_writes_one_entry_with_who_what_and_where(client, caseworker_pavlodar, case):
    client.force_login(caseworker_pavlodar)
    before = _head()
    response = client.get(reverse("case-detail", args=[case.pk]), REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    [entry] = _new_entries(before)
    assert entry.actor_id == caseworker_pavlodar.pk
    assert entry.actor_username == "caseworker_pavlodar"
    assert (entry.action, entry.record_kind, entry.record_id) == ("view", "case", case.pk)
    assert (entry.channel, entry.url_name, entry.method) == ("web", "case-detail", "GET")
    assert entry.path == f"/cases/{case.pk}/"
    assert entry.ip == "10.1.2.3"
    assert entry.query_hash == "" and entry.result_count is None


@pytest.mark.parametrize(
    ("route", "kind"), [("child-detail", "child"), ("report-detail", "report")]
)
def test_opening_a_child_or_a_report_writes_one_entry(
    client, caseworker_pavlodar, child, route, kind
):
    record = child if kind == "child" else make_report(actor=caseworker_pavlodar)
    client.force_login(caseworker_pavlodar)
    before = _head()
    assert client.get(reverse(route, args=[record.pk])).status_code == 200
    [entry] = _new_entries(before)
    assert (entry.record_kind, entry.record_id, entry.url_name) == (kind, record.pk, route)


def test_a_real_record_outside_ones_scope_is_a_404_logged_as_refused(
    client, caseworker_astana, case
):
    client.force_login(caseworker_astana)
    before = _head()
    assert client.get(reverse("case-detail", args=[case.pk])).status_code == 404
    assert client.get(reverse("api-case-detail", args=[case.pk])).status_code == 404
    entries = _new_entries(before)
    assert [(e.action, e.record_kind, e.record_id, e.channel) for e in entries] == [
        ("refused", "case", case.pk, "web"),
        ("refused", "case", case.pk, "api"),
    ]
    assert entries[0].actor_username == caseworker_astana.username


def test_a_child_or_report_refused_is_logged_too(client, caseworker_astana, child):
    report = make_report(actor=child.created_by, place=child.place)
    client.force_login(caseworker_astana)
    before = _head()
    assert client.get(reverse("child-detail", args=[child.pk])).status_code == 404
    assert client.get(reverse("report-detail", args=[report.pk])).status_code == 404
    assert [(e.action, e.record_kind, e.record_id) for e in _new_entries(before)] == [
        ("refused", "child", child.pk),
        ("refused", "report", report.pk),
    ]


def test_a_number_that_is_no_record_is_a_404_and_writes_nothing(client, caseworker_astana):
    client.force_login(caseworker_astana)
    before = _head()
    assert client.get(reverse("case-detail", args=[987654])).status_code == 404
    assert client.get(reverse("child-detail", args=[2**62])).status_code == 404
    assert _new_entries(before) == []


def test_a_save_is_logged_as_a_change_not_a_view(client, caseworker_pavlodar, child):
    client.force_login(caseworker_pavlodar)
    before = _head()
    response = client.post(
        reverse("child-edit", args=[child.pk]),
        {
            "version": 1,
            "last_name": "Zhaksylykova",
            "first_name": "Aru",
            "sex": "F",
            "place": child.place_id,
            "address": "Lenin 2",
        },
    )
    assert response.status_code in (200, 302)
    actions = {e.action for e in _new_entries(before) if e.record_id == child.pk}
    assert actions == {"change"}
    before = _head()
    client.get(reverse("child-detail", args=[child.pk]))
    assert [e.action for e in _new_entries(before)] == ["view"]


def test_the_api_goes_through_the_same_gate_and_is_logged_as_api(client, caseworker_pavlodar, case):
    client.force_login(caseworker_pavlodar)
    report = case.reports.get()
    before = _head()
    assert client.get(reverse("api-case-detail", args=[case.pk])).status_code == 200
    assert client.get(reverse("api-report-status", args=[report.pk])).status_code == 200
    assert client.get(reverse("api-case-list")).status_code == 200
    entries = _new_entries(before)
    assert [(e.channel, e.action, e.record_kind, e.record_id, e.url_name) for e in entries] == [
        ("api", "view", "case", case.pk, "api-case-detail"),
        ("api", "view", "report", report.pk, "api-report-status"),
        ("api", "list", "case", None, "api-case-list"),
    ]
    assert entries[2].result_count == 1


def test_an_access_outside_a_request_is_logged_as_system(caseworker_pavlodar, case, child):
    before = _head()
    access_case(caseworker_pavlodar, case.pk)
    with system_job("nightly-deadlines"):
        access_child(caseworker_pavlodar, child.pk)
    first, second = _new_entries(before)
    assert (first.channel, first.url_name, first.ip, first.path) == ("system", "", "", "")
    assert (second.channel, second.url_name) == ("system", "nightly-deadlines")


def test_a_forwarded_address_is_ignored_unless_proxies_are_trusted(
    client, settings, caseworker_pavlodar, case
):
    client.force_login(caseworker_pavlodar)
    url = reverse("case-detail", args=[case.pk])
    headers = {"REMOTE_ADDR": "10.0.0.9", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.7"}
    before = _head()
    client.get(url, **headers)
    settings.QORGAU_TRUSTED_PROXY_COUNT = 1
    client.get(url, **headers)
    settings.QORGAU_TRUSTED_PROXY_COUNT = 2
    client.get(url, **headers)
    assert [e.ip for e in _new_entries(before)] == ["10.0.0.9", "203.0.113.7", "6.6.6.6"]


def test_a_search_logs_its_count_and_a_hash_never_the_query(client, caseworker_pavlodar, child):
    client.force_login(caseworker_pavlodar)
    before = _head()
    url = reverse("child-search")
    assert client.get(url, {"q": "Zhaksylykova"}).status_code == 200
    client.get(url, {"q": "zhaksylykova "})  # the same search, typed differently
    client.get(url, {"q": "791028302728"})
    first, again, by_iin = _new_entries(before)
    assert (first.action, first.record_kind, first.result_count) == ("search", "child", 1)
    assert len(first.query_hash) == 64
    assert again.query_hash == first.query_hash
    assert by_iin.query_hash != first.query_hash and by_iin.result_count == 0
    for entry in (first, by_iin):
        stored = " ".join(str(getattr(entry, f.attname)) for f in entry._meta.fields).lower()
        assert "zhaksylykova" not in stored
        assert "791028302728" not in stored


def test_an_empty_search_is_no_search_and_writes_nothing(client, caseworker_pavlodar):
    client.force_login(caseworker_pavlodar)
    before = _head()
    client.get(reverse("child-search"), {"q": ""})
    assert _new_entries(before) == []


def test_an_access_appends_an_unsealed_entry(caseworker_pavlodar, case):
    access_case(caseworker_pavlodar, case.pk)
    entry = AccessLogEntry.objects.get()
    assert (entry.seq, entry.prev_hash, entry.hash) == (None, None, None)


def test_once_sealed_each_entry_links_to_the_one_before(caseworker_pavlodar, case):
    for _ in range(3):
        access_case(caseworker_pavlodar, case.pk)
    seal()
    entries = list(AccessLogEntry.objects.order_by("seq"))
    assert entries[0].prev_hash == ""
    for before, after in itertools.pairwise(entries):
        assert after.prev_hash == before.hash
        assert after.seq == before.seq + 1


def test_logging_can_be_switched_off_for_the_benchmark_only(settings, caseworker_pavlodar, case):
    settings.QORGAU_AUDIT_ENABLED = False
    access_case(caseworker_pavlodar, case.pk)
    assert not AccessLogEntry.objects.exists()


def _production_env(**extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "QORGAU_ENV": "production",
        "DJANGO_SECRET_KEY": "a-long-random-test-only-key-0123456789-abcdefghijkl",
        "DJANGO_ALLOWED_HOSTS": "qorgau.example.kz",
        "DATABASE_URL": "sqlite:///:memory:",
        "QORGAU_DATA_KEYS": "dGVzdC1vbmx5LWRhdGEta2V5LTAxMjM0NTY3ODlhYmM=",
        "QORGAU_IIN_HASH_KEY": "test-only-iin-hash-key-0123456789abcdef",
        **extra,
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("QORGAU_AUDIT_KEY", None)
    env.update(extra)
    return env


def test_production_refuses_to_start_without_an_audit_key():
    result = subprocess.run(
        [sys.executable, "-m", "qorgau.manage", "check"],
        env=_production_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0 and "QORGAU_AUDIT_KEY" in result.stderr


def test_production_settings_log_every_access():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import qorgau.settings as s; "
            "print(s.QORGAU_AUDIT_ENABLED, s.QORGAU_AUDIT_KEY, s.QORGAU_TRUSTED_PROXY_COUNT)",
        ],
        env=_production_env(QORGAU_AUDIT_KEY="production-audit-key-0123456789abcdef"),
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["True", "production-audit-key-0123456789abcdef", "0"]
