"""Quarterly progress: who reports for which body, what it does to measures, who is late."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from qorgau.programmes import selectors
from qorgau.programmes.models import (
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    Measure,
    MeasureReport,
    Programme,
    ResponsibleBody,
)
from qorgau.programmes.periods import Quarter
from qorgau.programmes.services import indicator_value_report, measure_report
from qorgau.programmes.statements import TargetStatement

PROGRAMME = "qazaqstan-balalary"
Q1 = Quarter(2026, 1)


@pytest.fixture
def akimat(plan):
    return ResponsibleBody.objects.get(code="akimat-55")


def _url(name: str) -> str:
    return reverse(name, kwargs={"code": PROGRAMME})


def test_the_region_reports_its_measures_and_the_statuses_follow(
    client, coordinator_pavlodar, akimat
):
    measures = list(akimat.measures.order_by("number"))
    assert measures
    client.force_login(coordinator_pavlodar)
    url = f"{_url('progress-report')}?body={akimat.pk}&quarter=2026-1"
    assert client.get(url).status_code == 200
    data = {"quarter": "2026-1"}
    for m in measures:
        data[f"m{m.number}-status"] = "in_progress"
        data[f"m{m.number}-comment"] = ""
    data[f"m{measures[0].number}-status"] = "done"
    response = client.post(url, data)
    assert response.status_code == 302
    reports = MeasureReport.objects.filter(body=akimat, year=2026, quarter=1)
    assert reports.count() == len(measures)
    first = Measure.objects.get(pk=measures[0].pk)
    assert first.status in ("done", "planned")  # planned while another body has not reported
    assert reports.get(measure=first).history.count() == 1


def test_a_second_report_for_the_quarter_corrects_the_first_and_keeps_it_in_history(
    coordinator_pavlodar, akimat
):
    measure = akimat.measures.first()
    measure_report(
        actor=coordinator_pavlodar, measure=measure, body=akimat, quarter=Q1, status="planned"
    )
    measure_report(
        actor=coordinator_pavlodar, measure=measure, body=akimat, quarter=Q1, status="in_progress"
    )
    report = MeasureReport.objects.get(measure=measure, body=akimat)
    assert report.status == "in_progress"
    assert [h.status for h in report.history.order_by("history_date")] == ["planned", "in_progress"]


def test_a_body_cannot_report_a_measure_it_is_not_responsible_for(coordinator_pavlodar, akimat):
    other = Measure.objects.exclude(bodies=akimat).first()
    with pytest.raises(ValidationError, match="not responsible"):
        measure_report(
            actor=coordinator_pavlodar, measure=other, body=akimat, quarter=Q1, status="done"
        )


def test_a_quarter_that_has_not_begun_cannot_be_reported(coordinator_pavlodar, akimat):
    with pytest.raises(ValidationError, match="not begun"):
        measure_report(
            actor=coordinator_pavlodar,
            measure=akimat.measures.first(),
            body=akimat,
            quarter=Quarter(2099, 1),
            status="done",
        )


@pytest.mark.parametrize(
    "persona", ["coordinator_ministry", "regional_analyst_pavlodar", "caseworker_pavlodar"]
)
def test_nobody_else_reports_for_the_pavlodar_akimat(client, personas, akimat, persona):
    client.force_login(personas[persona])
    url = f"{_url('progress-report')}?body={akimat.pk}"
    assert client.get(url).status_code == 404
    assert client.post(url, {"quarter": "2026-1"}).status_code == 404
    assert not MeasureReport.objects.exists()


def test_bodies_that_have_not_reported_are_listed_for_those_who_chase_them(
    coordinator_pavlodar, akimat
):
    programme = Programme.objects.get(code=PROGRAMME)
    national = selectors.late_bodies(programme, Q1, national=True, regions=None)
    assert {b.body.code for b in national} >= {"akimat-55", "min-education"}
    for m in akimat.measures.all():
        measure_report(
            actor=coordinator_pavlodar, measure=m, body=akimat, quarter=Q1, status="in_progress"
        )
    from qorgau.access import programme_regions_visible_to

    regional = selectors.late_bodies(
        programme, Q1, national=False, regions=programme_regions_visible_to(coordinator_pavlodar)
    )
    # Its own akimat has reported; the ministries are not the region's to chase.
    assert regional == []
    national = selectors.late_bodies(programme, Q1, national=True, regions=None)
    assert "akimat-55" not in {b.body.code for b in national}


def test_an_indicator_reported_by_region_is_set_against_the_regions_target(
    coordinator_pavlodar, pavlodar, plan
):
    indicator = Indicator.objects.get(code="1.3")  # higher is better
    IndicatorTarget.objects.update_or_create(
        indicator=indicator, year=2026, region=pavlodar, defaults={"value": Decimal("70")}
    )
    indicator_value_report(
        actor=coordinator_pavlodar,
        indicator=indicator,
        region=pavlodar,
        quarter=Q1,
        value=Decimal("69.9"),
    )
    rows = selectors.indicator_rows(indicator.programme, [pavlodar], dt.date(2026, 6, 1))
    row = next(r for r in rows if r.indicator == indicator)
    assert (row.target, row.statement) == (Decimal("70.000"), TargetStatement.NOT_MET)
    indicator_value_report(
        actor=coordinator_pavlodar,
        indicator=indicator,
        region=pavlodar,
        quarter=Quarter(2026, 2),
        value=Decimal("70"),
    )
    rows = selectors.indicator_rows(indicator.programme, [pavlodar], dt.date(2026, 6, 1))
    row = next(r for r in rows if r.indicator == indicator)
    assert (row.period, row.statement) == ("2026 Q2", TargetStatement.MET)


def test_an_interval_must_hold_its_value(coordinator_ministry, plan):
    indicator = Indicator.objects.get(code="3.2")
    with pytest.raises(ValidationError, match="contain the value"):
        indicator_value_report(
            actor=coordinator_ministry,
            indicator=indicator,
            region=None,
            quarter=Q1,
            value=Decimal("9"),
            ci_low=Decimal("9.5"),
            ci_high=Decimal("11"),
        )
    assert not IndicatorValue.objects.exists()


def test_a_region_reports_indicator_values_for_itself_only(
    client, coordinator_pavlodar, astana, plan
):
    indicator = Indicator.objects.get(code="1.3")
    client.force_login(coordinator_pavlodar)
    data = {"indicator": indicator.pk, "region": astana.kato, "quarter": "2026-1", "value": "5"}
    response = client.post(_url("indicator-value-report"), data)
    assert response.status_code == 400
    assert "region" in response.context["form"].errors
    data["region"] = "national"
    assert client.post(_url("indicator-value-report"), data).status_code == 400
    data["region"] = "550000000"
    assert client.post(_url("indicator-value-report"), data).status_code == 302
    assert IndicatorValue.objects.get().region.kato == "550000000"


def test_the_dashboard_shows_statuses_lateness_and_exports(client, national_analyst, plan):
    client.force_login(national_analyst)
    response = client.get(_url("programme-dashboard"))
    assert response.status_code == 200
    board = response.context["board"]
    assert sum(board.totals.values()) == 158
    assert len(board.directions) == 4
    export = client.get(_url("programme-export"))
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert export.content[:2] == b"PK"


def test_a_regional_reader_cannot_ask_for_another_region(client, regional_analyst_pavlodar, plan):
    client.force_login(regional_analyst_pavlodar)
    assert client.get(_url("programme-dashboard") + "?region=710000000").status_code == 404
    response = client.get(_url("programme-dashboard"))
    assert response.context["board"].region.kato == "550000000"


def test_a_measure_of_two_bodies_is_done_only_when_both_say_so(
    coordinator_pavlodar, coordinator_ministry, akimat
):
    ministry = ResponsibleBody.objects.get(code="min-education")
    measure = Measure.objects.get(number=1)
    measure.bodies.set([akimat, ministry])

    def report(actor, body, status):
        measure_report(actor=actor, measure=measure, body=body, quarter=Q1, status=status)
        measure.refresh_from_db()
        return measure.status

    assert report(coordinator_pavlodar, akimat, "done") == "planned"  # the ministry: nothing yet
    assert report(coordinator_ministry, ministry, "in_progress") == "in_progress"
    assert report(coordinator_ministry, ministry, "done") == "done"
