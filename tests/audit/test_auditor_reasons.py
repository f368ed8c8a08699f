"""A written reason may name a child: auditors read it one entry at a time, logged."""

import csv
import io
import time

import pytest
from django.urls import reverse

from qorgau.accounts import sessions
from qorgau.audit.models import AccessLogEntry
from qorgau.grants.services import emergency_access_start

REASON = "Police found Aruzhan Zhaksylykova alone at the station at night"


@pytest.fixture
def emergency_entry(case, caseworker_astana):
    emergency_access_start(actor=caseworker_astana, case=case, reason=REASON)
    return AccessLogEntry.objects.get(action="emergency")


def _confirm_password(client) -> None:
    session = client.session
    session[sessions.REAUTH] = int(time.time())
    session.save()


def test_the_log_pages_show_that_there_is_a_reason_not_the_text(
    client, auditor, case, emergency_entry
):
    client.force_login(auditor)
    for url in (
        reverse("audit-record", args=["case", case.pk]),
        reverse("audit-user", args=["caseworker_astana"]),
    ):
        page = client.get(url).content.decode()
        assert "Zhaksylykova" not in page and "Aruzhan" not in page
        assert reverse("audit-entry-reason", args=[emergency_entry.pk]) in page


def test_the_csv_export_carries_no_reason_text(client, auditor, case, emergency_entry):
    client.force_login(auditor)
    response = client.get(reverse("audit-user-export", args=["caseworker_astana"]))
    body = b"".join(response.streaming_content).decode()
    assert "Zhaksylykova" not in body
    [row] = [r for r in csv.DictReader(io.StringIO(body)) if r["action"] == "emergency"]
    assert row["reason_given"] == "yes" and "reason" not in row


def test_reading_a_reason_asks_for_the_password_and_is_logged(client, auditor, emergency_entry):
    client.force_login(auditor)
    url = reverse("audit-entry-reason", args=[emergency_entry.pk])
    assert client.get(url)["Location"].startswith(reverse("reauthenticate"))
    _confirm_password(client)
    page = client.get(url)
    assert page.status_code == 200 and REASON in page.content.decode()
    read = AccessLogEntry.objects.order_by("id").last()
    assert (read.actor_username, read.action, read.record_kind, read.record_id) == (
        "auditor",
        "view",
        "access_log",
        emergency_entry.pk,
    )


def test_an_entry_without_a_reason_has_no_reason_page(client, auditor, caseworker_pavlodar, case):
    from qorgau.access import access_case

    access_case(caseworker_pavlodar, case.pk)
    plain = AccessLogEntry.objects.get(action="view")
    client.force_login(auditor)
    _confirm_password(client)
    assert client.get(reverse("audit-entry-reason", args=[plain.pk])).status_code == 404
