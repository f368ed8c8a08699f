"""A merge of records owned by two offices: one office's supervisor asks, a supervisor
of the other approves (the records are merged) or declines (nothing moves)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from linkage.test_merge import state
from personas import make_child, make_screened_in_case
from qorgau.audit.models import AccessLogEntry
from qorgau.cases.models import TimelineEntry
from qorgau.children.services import family_member_add
from qorgau.linkage.models import ChildMerge, MergeRequest
from qorgau.linkage.services import (
    child_merge,
    child_unmerge,
    merge_request_create,
    merge_request_decide,
)

BORN = dt.date(2013, 6, 2)


@pytest.fixture
def records(caseworker_pavlodar, caseworker_astana, pavlodar_city, astana):
    """A girl registered in Pavlodar and again in Astana; the Astana record is also a
    child of the Pavlodar case, so Pavlodar's supervisor sees both."""
    names = {"last_name": "Сериккызы", "first_name": "Амина", "birth_date": BORN}
    ours = make_child(actor=caseworker_pavlodar, place=pavlodar_city, **names)
    theirs = make_child(actor=caseworker_astana, place=astana, **names)
    case = make_screened_in_case(screener=caseworker_pavlodar, child=ours)
    case.children.add(theirs)
    make_screened_in_case(screener=caseworker_astana, child=theirs)
    family_member_add(
        actor=caseworker_astana, child=theirs, relationship="mother", full_name="Гульнар"
    )
    return ours, theirs


@pytest.fixture
def asked(records, supervisor_pavlodar):
    ours, theirs = records
    return merge_request_create(
        actor=supervisor_pavlodar, kept=ours, merged=theirs, reason="Same girl, moved"
    )


def test_one_office_alone_cannot_merge_records_of_two(records, supervisor_pavlodar):
    ours, theirs = records
    with pytest.raises(ValidationError) as refused:
        child_merge(actor=supervisor_pavlodar, kept=ours, merged=theirs, reason="Same girl")
    assert refused.value.code == "offices"
    assert not ChildMerge.objects.exists()


def test_the_request_goes_to_the_other_office_and_moves_nothing(
    records, supervisor_pavlodar, dept_astana
):
    ours, theirs = records
    before = state(ours, theirs)
    request = merge_request_create(
        actor=supervisor_pavlodar, kept=ours, merged=theirs, reason="Same girl, moved"
    )
    assert request.organisation == dept_astana and request.status == "pending"
    assert state(ours, theirs) == before
    logged = AccessLogEntry.objects.filter(action="merge_req")
    assert sorted(logged.values_list("record_id", flat=True)) == sorted([ours.pk, theirs.pk])
    # Both cases (Pavlodar's, with both records, and Astana's) say a merge is asked.
    assert TimelineEntry.objects.filter(kind="child_merge_requested").count() == 2


def test_the_other_office_approves_and_the_records_are_merged_then_unmerged_exactly(
    records, asked, supervisor_astana, supervisor_pavlodar
):
    ours, theirs = records
    before = state(ours, theirs)
    decided = merge_request_decide(actor=supervisor_astana, request=asked, approve=True)
    merge = ChildMerge.objects.get()
    assert decided.status == "approved" and decided.merge == merge
    assert (merge.kept, merge.merged, merge.merged_by) == (ours, theirs, supervisor_astana)
    assert merge.reason == "Same girl, moved"
    assert not theirs.family.exists() and ours.family.filter(full_name="Гульнар").exists()
    logged = AccessLogEntry.objects.filter(action="merge", actor_id=supervisor_astana.pk)
    assert logged.count() == 2
    child_unmerge(actor=supervisor_pavlodar, merge=merge, reason="Two girls after all")
    assert state(ours, theirs) == before


def test_the_asking_office_cannot_approve_its_own_request(
    asked, supervisor_pavlodar, caseworker_astana
):
    for someone in (supervisor_pavlodar, caseworker_astana):
        with pytest.raises(ValidationError) as refused:
            merge_request_decide(actor=someone, request=asked, approve=True)
        assert refused.value.code == "forbidden"
    assert not ChildMerge.objects.exists()


def test_declining_needs_a_reason_and_moves_nothing(records, asked, supervisor_astana):
    ours, theirs = records
    before = state(ours, theirs)
    with pytest.raises(ValidationError):
        merge_request_decide(actor=supervisor_astana, request=asked, approve=False)
    decided = merge_request_decide(
        actor=supervisor_astana, request=asked, approve=False, note="Different mothers"
    )
    assert decided.status == "declined" and decided.decision_note == "Different mothers"
    assert state(ours, theirs) == before and not ChildMerge.objects.exists()
    assert AccessLogEntry.objects.filter(action="merge_decl").count() == 2
    assert TimelineEntry.objects.filter(kind="child_merge_declined").count() == 2
    with pytest.raises(ValidationError) as again:
        merge_request_decide(actor=supervisor_astana, request=asked, approve=True)
    assert again.value.code == "answered"


def test_a_second_request_while_one_waits_is_refused(records, asked, supervisor_pavlodar):
    ours, theirs = records
    with pytest.raises(ValidationError) as refused:
        merge_request_create(actor=supervisor_pavlodar, kept=theirs, merged=ours, reason="Again")
    assert refused.value.code == "pending"


def test_records_of_one_office_are_merged_without_a_request(
    supervisor_pavlodar, caseworker_pavlodar, pavlodar_city
):
    a, b = (make_child(actor=caseworker_pavlodar, place=pavlodar_city) for _ in "ab")
    with pytest.raises(ValidationError) as refused:
        merge_request_create(actor=supervisor_pavlodar, kept=a, merged=b, reason="Same")
    assert refused.value.code == "one_office"


def test_approval_is_refused_when_a_record_was_merged_elsewhere_meanwhile(
    records, asked, supervisor_astana, caseworker_astana, astana
):
    _ours, theirs = records
    third = make_child(actor=caseworker_astana, place=astana, last_name="Сериккызы")
    child_merge(actor=supervisor_astana, kept=third, merged=theirs, reason="Same girl")
    with pytest.raises(ValidationError) as refused:
        merge_request_decide(actor=supervisor_astana, request=asked, approve=True)
    assert refused.value.code == "merged"
    assert MergeRequest.objects.get().status == "pending"


def test_the_offices_ask_and_approve_in_the_pages(
    client, records, supervisor_pavlodar, supervisor_astana, dept_astana
):
    ours, theirs = records
    client.force_login(supervisor_pavlodar)
    url = reverse("child-merge", args=[ours.pk, theirs.pk])
    assert f"Ask {dept_astana.name} to approve the merge" in client.get(url).content.decode()
    assert client.post(url, {"reason": "Same girl, moved"}).status_code == 302
    request = MergeRequest.objects.get()
    assert "awaits its supervisor" in client.get(url).content.decode()
    page = reverse("merge-request", args=[request.pk])
    assert client.get(page).status_code == 404  # the asking office does not answer

    client.force_login(supervisor_astana)
    assert page in client.get(reverse("merge-requests")).content.decode()
    start = AccessLogEntry.objects.order_by("-id").first().pk
    shown = client.get(page).content.decode()
    assert ours.last_name in shown and "Same girl, moved" in shown
    viewed = AccessLogEntry.objects.filter(id__gt=start, action="view")
    assert sorted(viewed.values_list("record_id", flat=True)) == sorted([ours.pk, theirs.pk])
    assert client.post(page, {"decision": "decline"}).status_code == 400  # no reason
    assert client.post(page, {"decision": "approve"}).status_code == 302
    assert ChildMerge.objects.get().request == MergeRequest.objects.get()
    client.force_login(supervisor_pavlodar)
    kept_page = client.get(ours.get_absolute_url()).content.decode()
    assert "asked by supervisor_pavlodar" in kept_page
