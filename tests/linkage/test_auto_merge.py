"""Automatic merging above the high threshold: off unless an administrator switched it
on (every change kept); never possible twins, different IINs or two offices; each
automatic merge undone like a manual one."""

import datetime as dt
from unittest import mock

import pandas as pd
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from linkage.test_merge import state
from personas import make_child
from qorgau.audit.models import AccessLogEntry
from qorgau.children.services import family_member_add
from qorgau.linkage import batch, runs
from qorgau.linkage.models import AutoMergeSwitch, CandidatePair, ChildMerge, LinkRun
from qorgau.linkage.selectors import auto_merge_enabled
from qorgau.linkage.services import (
    LINKAGE_USERNAME,
    auto_merge_switch,
    child_register_checked,
    child_unmerge,
    pairs_auto_merge,
)

BORN = dt.date(2015, 3, 1)


def scorer(probability=0.995, twins=False):
    """A model that scores every pair of consecutive children alike."""

    def score(frame, *, thresholds=batch.DEFAULT):
        ids = sorted(frame.unique_id.astype(int))
        n = len(ids) - 1
        pairs = pd.DataFrame(
            {
                "unique_id_l": [str(a) for a in ids[:-1]],
                "unique_id_r": [str(b) for b in ids[1:]],
                "match_probability": [probability] * n,
                "match_weight": [7.6] * n,
                "maybe_twins": [twins] * n,
            }
        )
        return batch.Scored(pairs=pairs, model={"comparisons": []})

    return score


def run(**kwargs) -> LinkRun:
    """`qorgau link run`, the model replaced."""
    with mock.patch.object(batch, "score", scorer(**kwargs)):
        call_command("link", "run")
    return LinkRun.objects.first()


@pytest.fixture
def two(caseworker_pavlodar, pavlodar_city):
    names = {"last_name": "Ахметова", "first_name": "Дана", "birth_date": BORN}
    return tuple(make_child(actor=caseworker_pavlodar, place=pavlodar_city, **names) for _ in "ab")


@pytest.fixture
def switched_on(administrator):
    return auto_merge_switch(actor=administrator, enabled=True, reason="Pilot in Pavlodar")


def test_auto_merge_is_off_until_an_administrator_switches_it_on(two):
    assert not auto_merge_enabled()
    run()
    assert not ChildMerge.objects.exists()
    assert CandidatePair.objects.get().status == "pending"


def test_when_on_a_run_merges_the_pairs_above_the_high_threshold(two, switched_on):
    run()
    merge = ChildMerge.objects.get()
    assert (merge.kept, merge.merged) == two
    assert merge.automatic and merge.merged_by.username == LINKAGE_USERNAME
    assert not merge.merged_by.is_active  # nobody logs in as the linkage
    assert CandidatePair.objects.get().status == "merged"
    logged = AccessLogEntry.objects.filter(action="merge")
    assert {(e.channel, e.url_name) for e in logged} == {("system", "link run")}


def test_pairs_below_the_threshold_or_maybe_twins_are_left_to_a_person(two, switched_on):
    run(probability=0.98)
    run(twins=True)
    assert not ChildMerge.objects.exists()
    assert CandidatePair.objects.filter(status="pending").count() == 1


def test_records_with_different_valid_iins_are_never_merged_automatically(
    caseworker_pavlodar, pavlodar_city, switched_on
):
    born = dt.date(2006, 12, 11)
    for iin in ("061211600012", "061211600024"):
        make_child(actor=caseworker_pavlodar, place=pavlodar_city, iin=iin, birth_date=born)
    with mock.patch.object(batch, "score", scorer()):
        found = runs.link_run()
    assert pairs_auto_merge(run=found) == {"merged": 0, "different_iin": 1}
    assert not ChildMerge.objects.exists()


def test_records_of_two_offices_wait_for_their_supervisors(
    caseworker_pavlodar, caseworker_astana, pavlodar_city, astana, switched_on
):
    make_child(actor=caseworker_pavlodar, place=pavlodar_city, last_name="Ахметова")
    make_child(actor=caseworker_astana, place=astana, last_name="Ахметова")
    with mock.patch.object(batch, "score", scorer()):
        found = runs.link_run()
    assert pairs_auto_merge(run=found) == {"merged": 0, "offices": 1}


def test_a_child_a_person_registered_as_new_is_not_merged_back(
    caseworker_pavlodar, pavlodar_city, switched_on
):
    make_child(
        actor=caseworker_pavlodar,
        place=pavlodar_city,
        last_name="Ахметова",
        first_name="Дана",
        birth_date=BORN,
    )
    second = child_register_checked(
        actor=caseworker_pavlodar,
        place=pavlodar_city,
        confirmed_new=True,
        last_name="Ахметова",
        first_name="Дана",
        birth_date=BORN,
        sex="F",
    )
    with mock.patch.object(batch, "score", scorer()):
        found = runs.link_run()
    assert pairs_auto_merge(run=found) == {"merged": 0, "confirmed": 1}
    assert not ChildMerge.objects.filter(merged=second).exists()


def test_an_automatic_merge_is_undone_exactly_and_not_made_again(
    two, switched_on, supervisor_pavlodar, caseworker_pavlodar
):
    family_member_add(
        actor=caseworker_pavlodar, child=two[1], relationship="mother", full_name="Елена"
    )
    before = state(*two)
    run()
    merge = ChildMerge.objects.get()
    assert state(*two) != before
    child_unmerge(actor=supervisor_pavlodar, merge=merge, reason="Two girls")
    assert state(*two) == before
    run()  # the pair was decided: the next run neither proposes nor merges it
    assert (
        ChildMerge.objects.count() == 1
        and not CandidatePair.objects.filter(status="pending").exists()
    )


def test_only_an_administrator_switches_it_and_every_change_is_kept(
    administrator, supervisor_pavlodar
):
    with pytest.raises(ValidationError) as refused:
        auto_merge_switch(actor=supervisor_pavlodar, enabled=True, reason="Faster")
    assert refused.value.code == "forbidden"
    with pytest.raises(ValidationError):
        auto_merge_switch(actor=administrator, enabled=True, reason=" ")
    with pytest.raises(ValidationError) as unchanged:
        auto_merge_switch(actor=administrator, enabled=False, reason="Off")
    assert unchanged.value.code == "unchanged"
    auto_merge_switch(actor=administrator, enabled=True, reason="Pilot")
    auto_merge_switch(actor=administrator, enabled=False, reason="Pilot over")
    assert not auto_merge_enabled()
    assert list(AutoMergeSwitch.objects.values_list("enabled", "reason", "changed_by")) == [
        (False, "Pilot over", administrator.pk),
        (True, "Pilot", administrator.pk),
    ]


def test_the_administrator_switches_it_in_the_page(client, administrator, supervisor_pavlodar):
    url = reverse("link-auto-merge")
    client.force_login(supervisor_pavlodar)
    assert client.post(url, {"enabled": "1", "reason": "Faster"}).status_code == 404
    client.force_login(administrator)
    assert client.post(url, {"enabled": "1", "reason": ""}).status_code == 400
    assert client.post(url, {"enabled": "1", "reason": "Pilot"}).status_code == 302
    assert auto_merge_enabled()
    page = client.get(reverse("link-model")).content.decode()
    assert "On: each run merges" in page and "Pilot" in page
