"""Referral indicators registered with the monitoring definitions (issue 11)."""

import pytest
from django.utils import timezone

from personas import make_case, make_referral
from qorgau.monitoring.indicators import Dim, compute, indicators
from qorgau.referrals.services import referral_answer, referral_close

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
    assert {"referrals.sent", "referrals.accepted_share", "referrals.completed_share"} <= codes


def test_referrals_by_service_and_region(personas, referrals):
    region = personas.pavlodar.kato[:2]
    year = timezone.now().year
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
