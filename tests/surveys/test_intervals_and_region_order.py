"""Intervals stay inside 0-100%, a zero standard error shows no interval, and regions
come in one order (KATO code) on the survey page, its charts and the statistics page."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from qorgau.places.models import Place
from qorgau.surveys.charts import interval_chart
from qorgau.surveys.models import Survey, SurveyEstimate
from qorgau.surveys.selectors import cell

pytestmark = pytest.mark.django_db

# (category label in the data, region code, estimate, se): stored in this (data) order,
# which is neither KATO order nor alphabetical.
ROWS = [
    ("Astana", "71", 97.0, 2.8),  # + 2 SE = 102.6
    ("Abai", "10", 2.6, 2.56),  # - 2 SE = -2.5
    ("Pavlodar", "55", 0.0, 0.0),  # every case answered alike
    ("Zone X", "", 40.0, 5.0),  # matches no region
]


def _estimate(estimate: float, se: float, **fields) -> SurveyEstimate:
    return SurveyEstimate(
        estimate=estimate,
        se=se,
        ci_low=estimate - 2 * se,
        ci_high=estimate + 2 * se,
        deff=1.2,
        n_unweighted=200,
        n_weighted=210.0,
        flag="",
        **fields,
    )


@pytest.fixture
def survey(db) -> Survey:
    survey = Survey.objects.create(
        name="mics-order",
        title="Synthetic survey",
        layout=Survey.Layout.MICS6,
        imported_at=timezone.now(),
        folder="surveys/mics-order",
    )
    position = 0
    for indicator in ("PR.2", "PR.3", "PR.4b"):
        total = _estimate(50.0, 1.0, indicator=indicator, disaggregation="total", category="Total")
        rows = [total] + [
            _estimate(
                e, se, indicator=indicator, disaggregation="region", category=c, region_code=r
            )
            for c, r, e, se in ROWS
        ]
        for row in rows:
            row.survey, row.position = survey, position
            position += 1
        SurveyEstimate.objects.bulk_create(rows)
    return survey


def test_intervals_are_cut_at_0_and_100_in_the_table():
    high = cell(_estimate(97.0, 2.8, category="a", region_code=""), {})
    low = cell(_estimate(2.6, 2.56, category="b", region_code=""), {})
    assert (high.ci_low, high.ci_high) == ("91.4", "100.0")
    assert (low.ci_low, low.ci_high) == ("0.0", "7.7")


def test_a_zero_standard_error_shows_the_estimate_without_an_interval():
    zero = cell(_estimate(0.0, 0.0, category="c", region_code=""), {})
    assert zero.estimate == "0.0"
    assert zero.no_interval
    assert (zero.ci_low, zero.ci_high) == ("", "")


def test_the_chart_cuts_the_whiskers_and_draws_none_for_a_zero_standard_error():
    estimates = [_estimate(97.0, 2.8), _estimate(2.6, 2.56), _estimate(0.0, 0.0)]
    chart = interval_chart(estimates, ["a", "b", "c"], title="t", chart_id="c")
    high, low, zero = chart.bars
    assert high.ci_high == "100.00%" and "100.0" in high.hint and "102.6" not in high.hint
    assert low.ci_low == "0.00%" and "-2.5" not in low.hint and "−2.5" not in low.hint
    assert high.interval and low.interval and not zero.interval
    assert "standard error zero" in zero.hint


def test_the_survey_page_shows_no_limit_outside_0_100_and_marks_zero_se(
    client, national_analyst, survey
):
    client.force_login(national_analyst)
    page = client.get(survey.get_absolute_url()).content.decode()
    assert "102.6" not in page and "-2.5" not in page
    assert "0.0 – 0.0" not in page and "<td>0.0</td><td>0.0</td>" not in page
    assert "no interval" in page
    assert page.count("<line") > 0
    # The zero-SE bar has no whisker: 3 regions with intervals x 3 lines x 3 indicators.
    whiskers = len(
        re.findall(r'<line x1="[\d.]+%" x2="[\d.]+%" y1="\d+" y2="\d+" stroke="#1b1f24"', page)
    )
    assert whiskers == 3 * 3 * 3


def _kato_order() -> list[str]:
    codes = [code for _c, code, _e, _se in ROWS if code]
    places = Place.objects.filter(parent__isnull=True, kato__in=[f"{c}0000000" for c in codes])
    return [p.name for p in sorted(places, key=lambda p: p.kato)]


def _order_in(html: str, names: list[str]) -> list[str]:
    positions = {name: html.index(f">{name}<") for name in names if f">{name}<" in html}
    assert len(positions) == len(names), f"missing: {set(names) - positions.keys()}"
    return sorted(positions, key=positions.__getitem__)


def test_regions_come_in_kato_order_everywhere(client, national_analyst, survey):
    expected = _kato_order()
    assert expected != sorted(expected), "the test needs KATO order to differ from A-Z"
    client.force_login(national_analyst)
    survey_page = client.get(survey.get_absolute_url()).content.decode()
    first_table = survey_page.split('<section class="survey-section"', 2)[1]
    chart, table = first_table.split("</svg>", 1)
    assert _order_in(chart, expected) == expected
    assert _order_in(table, expected) == expected
    assert table.index(">Zone X<") > table.index(f">{expected[-1]}<"), "unmatched last"

    statistics = client.get(reverse("statistics")).content.decode()
    case_table, headline = statistics.split('aria-labelledby="survey-headline-h"', 1)
    assert _order_in(case_table, expected) == expected
    assert _order_in(headline, expected) == expected
