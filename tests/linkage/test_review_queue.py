"""`qorgau link run` fills the review queue; supervisors decide; administrators see weights."""

import datetime as dt
from unittest import mock

import pandas as pd
import pytest
from django.core.management import call_command
from django.urls import reverse

from personas import make_child
from qorgau.linkage import batch, runs
from qorgau.linkage.models import CandidatePair, LinkRun
from qorgau.linkage.services import child_merge

MODEL = {
    "comparisons": [
        {
            "output_column_name": "birth_date",
            "comparison_levels": [
                {"sql_condition": "x IS NULL", "label_for_charts": "null", "is_null_level": True},
                {"label_for_charts": "Exact match", "m_probability": 0.9, "u_probability": 0.001},
                {"label_for_charts": "All other", "m_probability": 0.1, "u_probability": 0.999},
            ],
        }
    ]
}


def fake_score(frame, *, thresholds=batch.DEFAULT):
    """Every pair of consecutive children, as a model would score them."""
    ids = sorted(frame.unique_id.astype(int))
    pairs = pd.DataFrame(
        {
            "unique_id_l": [str(a) for a in ids[:-1]],
            "unique_id_r": [str(b) for b in ids[1:]],
            "match_probability": [0.9] * (len(ids) - 1),
            "match_weight": [3.2] * (len(ids) - 1),
            "gamma_birth_date": [1] * (len(ids) - 1),
            "bf_birth_date": [900.0] * (len(ids) - 1),
            "maybe_twins": [False] * (len(ids) - 1),
        }
    )
    return batch.Scored(pairs=pairs, model=MODEL)


@pytest.fixture
def two(caseworker_pavlodar, pavlodar_city):
    names = {"last_name": "Ахметова", "first_name": "Дана", "birth_date": dt.date(2015, 3, 1)}
    a = make_child(actor=caseworker_pavlodar, place=pavlodar_city, **names)
    b = make_child(actor=caseworker_pavlodar, place=pavlodar_city, **names)
    return a, b


@pytest.fixture
def ran(two):
    with mock.patch.object(batch, "score", fake_score):
        call_command("link", "run")
    return LinkRun.objects.get()


def test_a_run_stores_the_pairs_with_their_evidence(ran, two):
    pair = CandidatePair.objects.get()
    assert (pair.left, pair.right) == two
    assert pair.evidence == [{"field": "birth_date", "level": "Exact match", "bayes_factor": 900.0}]
    assert ran.children == 2 and ran.pairs == 1 and ran.finished_at is not None


def test_every_pair_is_written_as_scored_the_lower_id_first(caseworker_pavlodar, pavlodar_city):
    # Written by COPY on PostgreSQL, by bulk_create elsewhere: the same rows either way.
    a, b, c = (
        make_child(actor=caseworker_pavlodar, place=pavlodar_city, first_name=name)
        for name in ("Дана", "Дина", "Диана")
    )
    scored = pd.DataFrame(
        {
            "unique_id_l": [str(b.pk), str(c.pk)],
            "unique_id_r": [str(a.pk), str(a.pk)],
            "match_probability": [0.95, 0.6],
            "match_weight": [4.25, 0.5],
            "gamma_birth_date": [1, 1],
            "bf_birth_date": [900.0, 900.0],
            "maybe_twins": [True, False],
        }
    )

    def score(frame, *, thresholds=batch.DEFAULT):
        return batch.Scored(pairs=scored, model=MODEL)

    with mock.patch.object(batch, "score", score):
        run = runs.link_run()
    written = CandidatePair.objects.filter(run=run).order_by("right_id")
    assert list(
        written.values_list("left_id", "right_id", "probability", "weight", "maybe_twins", "status")
    ) == [(a.pk, b.pk, 0.95, 4.25, True, "pending"), (a.pk, c.pk, 0.6, 0.5, False, "pending")]
    assert [p.evidence[0]["bayes_factor"] for p in written] == [900.0, 900.0]
    assert run.pairs == 2


def test_a_new_run_supersedes_pending_pairs_and_skips_decided_ones(ran, two, supervisor_pavlodar):
    runs.pair_decide_distinct(actor=supervisor_pavlodar, pair=CandidatePair.objects.get())
    with mock.patch.object(batch, "score", fake_score):
        runs.link_run()
    assert CandidatePair.objects.count() == 1  # the decided pair is not proposed again


def test_a_merge_decides_the_pair(ran, two, supervisor_pavlodar):
    child_merge(actor=supervisor_pavlodar, kept=two[0], merged=two[1], reason="Same girl")
    assert CandidatePair.objects.get().status == "merged"


def test_the_supervisor_sees_the_queue_and_the_pair_others_do_not(
    client, ran, two, supervisor_pavlodar, supervisor_astana, caseworker_pavlodar
):
    pair = CandidatePair.objects.get()
    client.force_login(supervisor_pavlodar)
    queue = client.get(reverse("review-queue")).content.decode()
    assert reverse("review-pair", args=[pair.pk]) in queue
    page = client.get(reverse("review-pair", args=[pair.pk])).content.decode()
    assert "Ахметова" in page and "900" in page
    for other in (supervisor_astana, caseworker_pavlodar):
        client.force_login(other)
        assert client.get(reverse("review-pair", args=[pair.pk])).status_code == 404
        assert reverse("review-pair", args=[pair.pk]) not in (
            client.get(reverse("review-queue")).content.decode()
        )


def test_the_supervisor_records_two_children(client, ran, supervisor_pavlodar):
    pair = CandidatePair.objects.get()
    client.force_login(supervisor_pavlodar)
    assert client.post(reverse("review-pair", args=[pair.pk])).status_code == 302
    pair.refresh_from_db()
    assert pair.status == "distinct" and pair.decided_by == supervisor_pavlodar


def test_the_administrator_sees_the_match_weights_and_no_child(client, ran, administrator):
    client.force_login(administrator)
    page = client.get(reverse("link-model")).content.decode()
    assert "Exact match" in page and "9.81" in page  # log2(0.9 / 0.001)
    assert "Ахметова" not in page
