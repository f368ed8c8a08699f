"""The referral indicators page: who sees which scope, and figures that match an
independent count of the rows, suppressed below the threshold."""

import datetime as dt

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from personas import make_case, make_referral
from qorgau.referrals import boards
from qorgau.referrals.models import Referral
from qorgau.referrals.services import housing_need_record, referral_answer, referral_close

pytestmark = pytest.mark.django_db
URL = "referral-indicators"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("supervisor_pavlodar", 200),
        ("supervisor_astana", 200),
        ("regional_analyst_pavlodar", 200),
        ("national_analyst", 200),
        ("caseworker_pavlodar", 404),
        ("provider_pavlodar", 404),
        ("auditor", 404),
        ("operator_111", 404),
        ("coordinator_pavlodar", 404),
        ("administrator", 404),
    ],
)
def test_who_sees_the_page(personas, client, persona, status):
    client.force_login(personas[persona])
    assert client.get(reverse(URL)).status_code == status


def test_the_scope_follows_the_role(personas):
    from qorgau.access import referral_indicator_scope

    assert referral_indicator_scope(personas.national_analyst) == ""
    assert referral_indicator_scope(personas.regional_analyst_pavlodar) == "55"
    assert referral_indicator_scope(personas.supervisor_pavlodar) == "55"
    assert referral_indicator_scope(personas.caseworker_pavlodar) is None
    assert referral_indicator_scope(personas.auditor) is None


@pytest.fixture
def five_accepted(personas):
    """Five referrals in Pavlodar accepted after 2, 4, 6, 8 and 50 hours, four of them
    completed, one not; one declined; one waiting."""
    worker, provider = personas.caseworker_pavlodar, personas.provider_pavlodar
    case = make_case(worker=worker, supervisor=personas.supervisor_pavlodar)
    made = []
    for hours in (2, 4, 6, 8, 50):
        referral = make_referral(case, actor=worker)
        referral_answer(actor=provider, referral=referral, accept=True)
        Referral.objects.filter(pk=referral.pk).update(
            sent_at=F("answered_at") - dt.timedelta(hours=hours)
        )
        made.append(referral)
    for referral, completed in zip(made, (True, True, True, True, False), strict=True):
        referral_close(
            actor=provider, referral=referral, completed=completed, outcome="Done.",
            ended_on=timezone.localdate(),
        )  # fmt: skip
    declined = make_referral(case, actor=worker)
    referral_answer(actor=provider, referral=declined, accept=False, reason="Full")
    make_referral(case, actor=worker)
    return case


def _independent(region: str) -> dict[str, object]:
    """The same figures counted straight from the rows, apart from the definitions."""
    rows = Referral.objects.filter(case__region__kato__startswith=region)
    answered = rows.filter(answered_at__isnull=False)
    accepted = answered.exclude(status="declined")
    ended = rows.filter(status__in=["completed", "not_completed"])
    hours = sorted((r.answered_at - r.sent_at).total_seconds() / 3600 for r in accepted)
    return {
        "sent": rows.count(),
        "accepted": accepted.count() / answered.count() * 100,
        "completed": ended.filter(status="completed").count() / ended.count() * 100,
        "median": hours[len(hours) // 2],  # five values: the middle one
    }


def _row(rows, name):
    return next(r for r in rows if name in r.label)


def test_the_national_figures_match_an_independent_count(personas, five_accepted, settings):
    settings.QORGAU_SUPPRESS_BELOW = 1  # nothing hidden: the figures themselves
    board = boards.build(scope="", year=timezone.localdate().year)
    expected = _independent("55")
    sent, accepted, completed, median, p90 = _row(board.by_area, "Pavlodar").values
    assert sent == expected["sent"] == 7
    assert accepted == pytest.approx(expected["accepted"]) == pytest.approx(500 / 6)
    assert completed == pytest.approx(expected["completed"]) == pytest.approx(80)
    assert median == pytest.approx(expected["median"]) == pytest.approx(6)
    assert p90 == pytest.approx(8 + 0.6 * 42)  # percentile_cont of 2, 4, 6, 8, 50
    assert _row(board.by_service, "Family support").values[0] == 7
    # Every other region: no referral, no share, no hours.
    assert _row(board.by_area, "Astana").values == [0, None, None, None, None]
    assert board.area_total.values[0] == board.service_total.values[0] == 7


def test_shares_of_few_are_hidden_and_counts_of_many_are_not(personas, five_accepted, settings):
    settings.QORGAU_SUPPRESS_BELOW = 5
    board = boards.build(scope="", year=None)
    sent, accepted, completed, median, _p90 = _row(board.by_area, "Pavlodar").values
    assert sent == 7
    assert accepted is None  # 5 of 6: the one declined would be told
    assert completed is None  # 4 of 5
    assert median == pytest.approx(6)  # five durations: enough


def test_small_figures_are_hidden(personas, settings):
    settings.QORGAU_SUPPRESS_BELOW = 5
    worker = personas.caseworker_pavlodar
    case = make_case(worker=worker, supervisor=personas.supervisor_pavlodar)
    for _ in range(2):
        referral = make_referral(case, actor=worker)
        referral_answer(actor=personas.provider_pavlodar, referral=referral, accept=True)
    board = boards.build(scope="55", year=None)
    assert board.area_total.values == [None, None, None, None, None]
    assert board.service_total.values == [None, None, None, None, None]


def test_a_regional_scope_is_broken_down_by_district_and_shows_housing(personas, settings):
    settings.QORGAU_SUPPRESS_BELOW = 2
    worker = personas.caseworker_pavlodar
    for kind in ("homelessness", "homelessness", "eviction_risk", "eviction_risk"):
        case = make_case(worker=worker, supervisor=personas.supervisor_pavlodar)
        housing_need_record(
            actor=worker, case=case, child=case.children.get(), kind=kind,
            identified_on=timezone.localdate(),
        )  # fmt: skip
    board = boards.build(scope="55", year=None)
    labels = [label for label, _cells, _total in board.housing.rows]
    assert "District not recorded" in labels
    assert board.housing.total == 4
    assert board.housing.totals == [2, 0, 2]  # homelessness, unsafe housing, eviction risk


def test_the_page_shows_no_personal_data(personas, five_accepted, client):
    client.force_login(personas.national_analyst)
    page = client.get(reverse(URL)).content.decode()
    child = five_accepted.children.get()
    assert child.last_name not in page
    assert "Parenting support after neglect" not in page
    assert "Family support" in page


def test_a_bad_year_is_a_clear_400(personas, client):
    client.force_login(personas.national_analyst)
    response = client.get(reverse(URL), {"year": "1990"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_the_page_in_kazakh_and_russian(personas, client):
    client.force_login(personas.supervisor_pavlodar)
    for language, title in (("kk", "Жолдама"), ("ru", "направлен")):
        client.cookies["django_language"] = language
        page = client.get(reverse(URL), HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert title.lower() in page.lower(), language


def test_a_district_office_sees_its_district_only(personas, settings):
    settings.QORGAU_SUPPRESS_BELOW = 1
    from personas import make_child, make_user
    from qorgau.access import referral_indicator_scope
    from qorgau.accounts.models import Organisation
    from qorgau.accounts.roles import Role

    office = Organisation.objects.create(
        name="Pavlodar city office",
        kind=Organisation.Kind.CHILD_RIGHTS_OFFICE,
        place=personas.pavlodar_city,
        parent=personas.dept_pavlodar,
    )
    supervisor = make_user("supervisor_city", role=Role.SUPERVISOR, organisation=office)
    assert referral_indicator_scope(supervisor) == "5510"
    worker = personas.caseworker_pavlodar
    in_city = make_child(actor=worker, place=personas.pavlodar_city)
    city_case = make_case(worker=worker, supervisor=personas.supervisor_pavlodar, child=in_city)
    make_referral(city_case, actor=worker)
    elsewhere = make_case(worker=worker, supervisor=personas.supervisor_pavlodar)
    make_referral(elsewhere, actor=worker)

    board = boards.build(scope="5510", year=None)
    assert [row.label for row in board.by_area] == ["Pavlodar city"]
    assert board.area_total.values[0] == board.service_total.values[0] == 1
