"""Referral indicators registered with the monitoring definitions (issue 11)."""

import datetime as dt
import math

import pytest
from django.db.models import F
from django.utils import timezone

from personas import make_case, make_referral
from qorgau.monitoring.indicators import Dim, compute, indicators, measure_fn
from qorgau.referrals.models import Referral
from qorgau.referrals.services import (
    housing_need_record,
    housing_need_resolve,
    referral_answer,
    referral_close,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def referrals(personas):
    case = make_case(worker=personas.caseworker_pavlodar, supervisor=personas.supervisor_pavlodar)
    worker, provider = personas.caseworker_pavlodar, personas.provider_pavlodar
    done, declined, _waiting, dropped = (make_referral(case, actor=worker) for _ in range(4))
    for referral in (done, dropped):
        referral_answer(actor=provider, referral=referral, accept=True)
    referral_answer(actor=provider, referral=declined, accept=False, reason="Full")
    for referral, completed in ((done, True), (dropped, False)):
        referral_close(
            actor=provider,
            referral=referral,
            completed=completed,
            outcome="Reported.",
            ended_on=timezone.localdate(),
        )
    return case


def test_the_referral_indicators_are_registered():
    codes = {i.code for i in indicators()}
    assert {
        "referrals.sent",
        "referrals.accepted_share",
        "referrals.completed_share",
        "referrals.acceptance_hours_p50",
        "referrals.acceptance_hours_p90",
        "housing.open_needs",
    } <= codes


def test_referrals_by_service_and_region(personas, referrals):
    region = personas.pavlodar.kato[:2]
    year = timezone.localdate().year
    assert compute("referrals.sent", {}, (Dim.SERVICE,)) == {("family_support",): (4, None, 4)}
    assert compute("referrals.sent", {Dim.YEAR: year}, (Dim.REGION,)) == {(region,): (4, None, 4)}
    assert compute("referrals.sent", {Dim.REGION: personas.astana.kato[:2]}) == {}


def test_the_shares_accepted_and_completed(referrals):
    # Accepted: 2 of the 3 answered (the one still waiting is not answered).
    ((accepted, answered, share),) = compute("referrals.accepted_share", {}).values()
    assert (accepted, answered) == (2, 3)
    assert share == pytest.approx(200 / 3)
    # Completed: 1 of the 2 the provider closed.
    assert compute("referrals.completed_share", {}, (Dim.SERVICE,)) == {
        ("family_support",): (1, 2, 50.0)
    }


# Time to acceptance, districts, open housing needs (session 4) --------------------------


def _accepted_after(case, worker, provider, hours: float):
    referral = make_referral(case, actor=worker)
    referral_answer(actor=provider, referral=referral, accept=True)
    # Pin how long the provider took: sent `hours` before the acceptance.
    Referral.objects.filter(pk=referral.pk).update(
        sent_at=F("answered_at") - dt.timedelta(hours=hours)
    )
    return referral


def _independent_percentile(values, fraction):
    """percentile_cont by its definition, written apart from the code under test: the
    value at rank fraction * (n - 1) of the sorted values, linearly interpolated."""
    ordered = sorted(values)
    rank = fraction * (len(ordered) - 1)
    below = math.floor(rank)
    above = math.ceil(rank)
    return ordered[below] + (ordered[above] - ordered[below]) * (rank - below)


HOURS = [1.5, 4, 9, 26, 30, 47, 120]


def test_hours_to_acceptance_median_and_90th_percentile(personas):
    case = make_case(worker=personas.caseworker_pavlodar, supervisor=personas.supervisor_pavlodar)
    for hours in HOURS:
        _accepted_after(case, personas.caseworker_pavlodar, personas.provider_pavlodar, hours)
    declined = make_referral(case, actor=personas.caseworker_pavlodar)
    referral_answer(
        actor=personas.provider_pavlodar, referral=declined, accept=False, reason="Full"
    )
    make_referral(case, actor=personas.caseworker_pavlodar)  # waiting: not accepted yet

    ((_p50, _none, value),) = compute("referrals.acceptance_hours_p50", {}).values()
    assert value == pytest.approx(_independent_percentile(HOURS, 0.5)) == pytest.approx(26)
    ((p90, _none, _v),) = compute("referrals.acceptance_hours_p90", {}).values()
    # rank 5.4 of 7 values: 47 + 0.4 * (120 - 47)
    assert p90 == pytest.approx(_independent_percentile(HOURS, 0.9)) == pytest.approx(76.2)
    assert measure_fn("referrals.acceptance_hours_n").counts({}, ()) == {(): 7.0}
    by_service = compute("referrals.acceptance_hours_p50", {}, (Dim.SERVICE,))
    assert by_service[("family_support",)][0] == pytest.approx(26)


def test_referrals_by_district_of_the_childs_place(personas):
    case = make_case(worker=personas.caseworker_pavlodar, supervisor=personas.supervisor_pavlodar)
    make_referral(case, actor=personas.caseworker_pavlodar)
    place = case.children.get().place.kato
    expected = "" if place.endswith("0000000") else place[:4]
    assert compute("referrals.sent", {}, (Dim.REGION, Dim.DISTRICT)) == {
        ("55", expected): (1, None, 1)
    }
    assert compute("referrals.sent", {Dim.DISTRICT: "5599"}) == {}


def test_open_housing_needs_by_type_and_region(personas):
    worker = personas.caseworker_pavlodar
    cases = [make_case(worker=worker, supervisor=personas.supervisor_pavlodar) for _ in range(3)]
    for case, kind in zip(cases, ("homelessness", "eviction_risk", "eviction_risk"), strict=True):
        housing_need_record(
            actor=worker, case=case, child=case.children.get(), kind=kind,
            identified_on=timezone.localdate(),
        )  # fmt: skip
    resolved = housing_need_record(
        actor=worker, case=cases[0], child=cases[0].children.get(), kind="unsafe_housing",
        identified_on=timezone.localdate(),
    )  # fmt: skip
    housing_need_resolve(
        actor=worker, need=resolved, outcome="Repaired", resolved_on=timezone.localdate()
    )
    assert compute("housing.open_needs", {}, (Dim.HOUSING_NEED,)) == {
        ("eviction_risk",): (2, None, 2),
        ("homelessness",): (1, None, 1),
    }
    assert compute("housing.open_needs", {Dim.REGION: "71"}) == {}
    assert compute("housing.open_needs", {Dim.REGION: "55"}) == {(): (3, None, 3)}
