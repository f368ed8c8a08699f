"""The linkage gate logs a refusal of a real record as children and cases do: the
same 404 to the user, a `refused` entry for each child the record is about."""

import datetime as dt

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from personas import make_child
from qorgau.access import (
    access_candidate_pair,
    access_merge,
    access_merge_request,
    access_request_to_office,
)
from qorgau.audit.models import AccessLogEntry
from qorgau.linkage.models import CandidatePair, LinkRun, MergeRequest
from qorgau.linkage.services import access_request_create, child_merge

BORN = dt.date(2015, 3, 1)


def refusals_since(head: int) -> list[tuple[str, str, int | None]]:
    entries = AccessLogEntry.objects.filter(id__gt=head, action="refused").order_by("id")
    return [(e.actor_username, e.record_kind, e.record_id) for e in entries]


def head() -> int:
    last = AccessLogEntry.objects.order_by("-id").first()
    return last.pk if last else 0


@pytest.fixture
def two(caseworker_pavlodar, pavlodar_city):
    names = {"last_name": "Ахметова", "first_name": "Дана", "birth_date": BORN}
    return tuple(make_child(actor=caseworker_pavlodar, place=pavlodar_city, **names) for _ in "ab")


def test_a_merge_refused_to_another_office_or_role_is_logged_on_both_records(
    two, supervisor_pavlodar, supervisor_astana, caseworker_pavlodar
):
    kept, other = two
    merge = child_merge(actor=supervisor_pavlodar, kept=kept, merged=other, reason="One girl")
    start = head()
    for outsider in (supervisor_astana, caseworker_pavlodar):
        with pytest.raises(Http404):
            access_merge(outsider, merge.pk)
    assert refusals_since(start) == [
        ("supervisor_astana", "child", kept.pk),
        ("supervisor_astana", "child", other.pk),
        ("caseworker_pavlodar", "child", kept.pk),
        ("caseworker_pavlodar", "child", other.pk),
    ]


def test_a_request_to_another_office_refused_is_logged_on_its_child(
    caseworker_astana, caseworker_pavlodar, supervisor_pavlodar, astana
):
    theirs = make_child(actor=caseworker_astana, place=astana, last_name="Ахметова")
    asked = access_request_create(actor=caseworker_pavlodar, child=theirs)
    start = head()
    for outsider in (supervisor_pavlodar, caseworker_astana):
        with pytest.raises(Http404):
            access_request_to_office(outsider, asked.pk)
    assert refusals_since(start) == [
        ("supervisor_pavlodar", "child", theirs.pk),
        ("caseworker_astana", "child", theirs.pk),
    ]


def test_a_candidate_pair_refused_is_logged_on_both_records(two, supervisor_astana):
    run = LinkRun.objects.create(
        started_at=timezone.now(), review_threshold=0.5, high_threshold=0.99
    )
    pair = CandidatePair.objects.create(
        run=run, left=two[0], right=two[1], probability=0.8, weight=2.0
    )
    start = head()
    with pytest.raises(Http404):
        access_candidate_pair(supervisor_astana, pair.pk)
    assert refusals_since(start) == [
        ("supervisor_astana", "child", two[0].pk),
        ("supervisor_astana", "child", two[1].pk),
    ]


def test_a_merge_request_refused_outside_the_office_asked_is_logged(
    two, supervisor_pavlodar, caseworker_astana, dept_astana
):
    asked = MergeRequest.objects.create(
        kept=two[0],
        merged=two[1],
        reason="One girl",
        requested_by=supervisor_pavlodar,
        requested_at=timezone.now(),
        organisation=dept_astana,
    )
    start = head()
    for outsider in (supervisor_pavlodar, caseworker_astana):
        with pytest.raises(Http404):
            access_merge_request(outsider, asked.pk)
    assert refusals_since(start) == [
        (outsider.username, "child", child.pk)
        for outsider in (supervisor_pavlodar, caseworker_astana)
        for child in two
    ]


def test_a_number_that_is_no_linkage_record_logs_nothing(supervisor_astana):
    start = head()
    for gate in (access_merge, access_request_to_office, access_candidate_pair):
        with pytest.raises(Http404):
            gate(supervisor_astana, 987654)
    with pytest.raises(Http404):
        access_merge_request(supervisor_astana, 2**62)
    assert refusals_since(start) == []


def test_undoing_a_merge_of_another_office_in_the_page_is_a_logged_404(
    client, two, supervisor_pavlodar, supervisor_astana
):
    merge = child_merge(actor=supervisor_pavlodar, kept=two[0], merged=two[1], reason="One")
    client.force_login(supervisor_astana)
    start = head()
    response = client.post(reverse("merge-undo", args=[merge.pk]), {"reason": "Probing"})
    assert response.status_code == 404
    assert [kind for _, kind, _ in refusals_since(start)] == ["child", "child"]
    merge.refresh_from_db()
    assert merge.is_active
