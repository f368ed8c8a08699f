"""The statistics page shows the latest survey's headline indicators for the analyst's scope."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _section(client, user) -> str:
    client.force_login(user)
    html = client.get(reverse("statistics")).content.decode()
    match = re.search(
        r'<section [^>]*aria-labelledby="survey-headline-h">.*?</section>', html, re.S
    )
    return match.group(0) if match else ""


def test_a_regional_analyst_sees_their_region_only(client, regional_analyst_pavlodar, imported):
    section = _section(client, regional_analyst_pavlodar)
    assert "Pavlodar Region" in section
    assert "Astana" not in section
    assert "Abai Region" not in section
    assert section.count("<tr>") + section.count('<tr class="total">') == 2  # header + Pavlodar
    pr2 = imported.estimates.get(indicator="PR.2", disaggregation="region", region_code="55")
    if pr2.flag != "*":
        assert f"{pr2.estimate:.1f}" in section
        assert f"{pr2.ci_low:.1f} – {pr2.ci_high:.1f}" in section


def test_a_national_analyst_sees_every_region_and_the_total(client, national_analyst, imported):
    section = _section(client, national_analyst)
    for region in ("Pavlodar Region", "Astana", "Abai Region", "Shymkent"):
        assert f'<th scope="row">{region}</th>' in section
    assert '<tr class="total"><th scope="row">Total</th>' in section
    for code in ("PR.2", "PR.3", "PR.4b"):
        assert f"({code})" in section


def test_a_supervisor_sees_their_region(client, supervisor_astana, imported):
    section = _section(client, supervisor_astana)
    assert '<th scope="row">Astana</th>' in section
    assert "Pavlodar Region" not in section


def test_without_a_survey_the_statistics_page_is_unchanged(client, national_analyst):
    client.force_login(national_analyst)
    response = client.get(reverse("statistics"))
    assert response.status_code == 200
    assert "survey-headline-h" not in response.content.decode()
