"""Auditors find a child's access log by name, IIN or case number, not by database id.

They see the child's number and where it lives, never the file; the lookup itself is
logged as a search without its text. Nobody else may look children up this way.
"""

import datetime as dt

import pytest
from django.urls import reverse

from personas import make_case, make_child
from qorgau.audit.models import AccessLogEntry

IIN = "080615510903"


@pytest.fixture
def child(caseworker_pavlodar, pavlodar_city):
    return make_child(
        actor=caseworker_pavlodar,
        place=pavlodar_city,
        last_name="Zhaksylykova",
        first_name="Aigerim",
        iin=IIN,
        birth_date=dt.date(2008, 6, 15),
        sex="M",
    )


def _lookup(client, text):
    return client.get(reverse("audit-search"), {"child": text})


@pytest.mark.parametrize("how", ["name", "other script", "iin", "case number"])
def test_an_auditor_finds_a_child_by_name_iin_or_case_number(
    client, auditor, caseworker_pavlodar, supervisor_pavlodar, child, how
):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, child=child)
    text = {
        "name": "zhaksylykova aigerim",
        "other script": "Жаксылыкова",
        "iin": IIN,
        "case number": case.reference,
    }[how]
    client.force_login(auditor)
    response = _lookup(client, text)
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("audit-child", args=[child.pk]) in page
    assert "Aigerim" not in page.replace(text, ""), "the page shows the number, not the name"
    assert IIN not in page.replace(text, "")


def test_the_lookup_is_logged_as_a_search_without_its_text(client, auditor, child):
    client.force_login(auditor)
    _lookup(client, "Zhaksylykova")
    entry = AccessLogEntry.objects.filter(action="search").latest("id")
    assert (entry.actor_username, entry.record_kind, entry.result_count) == ("auditor", "child", 1)
    assert entry.query_hash and "Zhaksylykova" not in entry.query_hash


def test_a_lookup_that_matches_nobody_says_so(client, auditor, child):
    client.force_login(auditor)
    assert "No child found." in _lookup(client, "Nobodyova").content.decode()
    assert "Type a name" in _lookup(client, "   ").content.decode()


@pytest.mark.parametrize("persona", ["caseworker_pavlodar", "supervisor_pavlodar", "administrator"])
def test_nobody_but_auditors_may_look_children_up_here(client, personas, child, persona):
    client.force_login(getattr(personas, persona))
    assert _lookup(client, "Zhaksylykova").status_code == 404


def test_the_gate_gives_non_auditors_no_children_to_look_up(caseworker_pavlodar, child):
    from qorgau.access import cases_for_audit, children_for_audit

    assert not children_for_audit(caseworker_pavlodar).exists()
    assert not cases_for_audit(caseworker_pavlodar).exists()
