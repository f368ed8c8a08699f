import re

import pytest
from django.urls import reverse

from qorgau.surveys.models import SurveyEstimate
from qorgau.surveys.selectors import cell

pytestmark = pytest.mark.django_db


def _page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_list_shows_imported_surveys(client, national_analyst, imported):
    html = _page(client, national_analyst, reverse("survey-list"))
    assert "MICS test survey" in html
    assert imported.get_absolute_url() in html


def test_the_list_says_when_nothing_is_imported(client, national_analyst):
    html = _page(client, national_analyst, reverse("survey-list"))
    assert "No survey has been imported yet" in html


def test_the_nav_links_to_surveys_for_analysts_only(client, national_analyst, caseworker_pavlodar):
    assert reverse("survey-list") in _page(client, national_analyst, reverse("my-work"))
    assert reverse("survey-list") not in _page(client, caseworker_pavlodar, reverse("my-work"))


def test_the_survey_page_shows_every_indicator_by_region_by_default(
    client, regional_analyst_pavlodar, imported
):
    html = _page(client, regional_analyst_pavlodar, imported.get_absolute_url())
    codes = set(imported.estimates.values_list("indicator", flat=True))
    for code in codes:
        assert f'<span class="code">{code}</span>' in html
    assert "Children age 1-14 who experienced any violent discipline method" in html
    assert '<option value="region" selected>' in html
    # Regions of the KATO tree by their names, all twenty of them, in every table.
    assert html.count('<th scope="row">Pavlodar Region</th>') >= len(codes)


def test_the_chart_draws_a_bar_and_an_interval_for_each_region(client, national_analyst, imported):
    html = _page(client, national_analyst, imported.get_absolute_url())
    labelled = 'aria-labelledby="chart-pr-2-title chart-pr-2-desc"'
    chart = re.search(rf"<svg[^>]*{labelled}.*?</svg>", html, re.S)
    assert chart, "the PR.2 chart is on the page"
    svg = chart.group(0)
    assert '<title id="chart-pr-2-title">' in svg
    assert "± 2 standard errors" in svg
    regions = SurveyEstimate.objects.filter(
        survey=imported, indicator="PR.2", disaggregation="region"
    )
    shown = regions.exclude(flag="*").count()
    assert svg.count("<rect ") == shown
    # One horizontal interval line and two caps per bar.
    assert svg.count('stroke="#1b1f24"') == 3 * shown
    pavlodar = regions.get(region_code="55")
    assert "Pavlodar Region" in svg
    assert pavlodar.flag == "*" or f"{pavlodar.estimate:.1f}" in svg
    # Percent positions stay machine-readable in every language.
    assert not re.search(r'x[12]?="\d+,\d+%"', svg)


def test_the_chart_has_a_hidden_table_equivalent(client, national_analyst, imported):
    html = _page(client, national_analyst, imported.get_absolute_url())
    hidden = re.search(r'<table class="visually-hidden">.*?</table>', html, re.S).group(0)
    assert '<th scope="row">Abai Region</th>' in hidden


def test_positions_stay_machine_readable_in_russian(client, national_analyst, imported):
    client.force_login(national_analyst)
    client.cookies["django_language"] = "ru"
    html = client.get(imported.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert 'lang="ru"' in html
    assert re.search(r'width="\d+\.\d\d%"', html)
    assert not re.search(r'(x1|x2|width)="\d+,\d+%"', html)


def test_the_disaggregation_selector_switches_the_rows(client, national_analyst, imported):
    html = _page(client, national_analyst, imported.get_absolute_url() + "?by=sex")
    assert '<option value="sex" selected>' in html
    assert '<th scope="row">Female</th>' in html
    assert '<th scope="row">Pavlodar Region</th>' not in html


def test_an_unknown_disaggregation_falls_back_to_region(client, national_analyst, imported):
    html = _page(client, national_analyst, imported.get_absolute_url() + "?by=<script>")
    assert '<option value="region" selected>' in html
    assert "<script>" not in html


def test_import_problems_are_shown_with_how_they_were_handled(client, national_analyst, imported):
    html = _page(client, national_analyst, imported.get_absolute_url())
    assert "Import problems and how they were handled" in html
    assert "Records with weight 0" in html
    assert "kept in the design (their clusters count), contribute nothing" in html
    zero = next(p for p in imported.problems if p["code"] == "zero_weight")
    assert f"{zero['file']}.sav" in html and zero["variable"] in html


def test_an_unknown_survey_is_not_found(client, national_analyst, imported):
    client.force_login(national_analyst)
    response = client.get(reverse("survey-detail", kwargs={"name": "no-such-survey"}))
    assert response.status_code == 404


def test_the_page_has_no_inline_styles_or_scripts(client, national_analyst, imported):
    html = _page(client, national_analyst, imported.get_absolute_url())
    assert "style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)


def test_estimates_follow_the_mics_parentheses_and_asterisk_convention(imported):
    estimate = imported.estimates.filter(disaggregation="total").first()
    estimate.estimate, estimate.flag = 12.345, ""
    assert cell(estimate, {}).estimate == "12.3"
    estimate.flag = "()"
    assert cell(estimate, {}).estimate == "(12.3)"
    estimate.flag = "*"
    shown = cell(estimate, {})
    assert (shown.estimate, shown.se, shown.ci_low, shown.suppressed) == ("*", "", "", True)


def test_indicators_without_the_chosen_disaggregation_say_so(client, national_analyst, imported):
    html = _page(client, national_analyst, imported.get_absolute_url() + "?by=sex")
    section = re.search(r'<section[^>]*id="ind-pr-4b".*?</section>', html, re.S).group(0)
    assert "This indicator is not disaggregated by Sex." in section
    assert "<svg" not in section
