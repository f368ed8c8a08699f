"""The API refuses what the report form refuses, field by field."""

from django.urls import reverse

from qorgau import limits
from qorgau.cases.models import Report


def _report(where, **overrides):
    data = {
        "reporter_type": "school",
        "place": where.kato,
        "narrative": "Synthetic report through the API.",
        "urgency": "routine",
        "concerns": ["neglect"],
        "children": ["Girl, about 10"],
    }
    data.update(overrides)
    return data


def test_a_report_within_the_limits_is_accepted(client, school_reporter, personas):
    client.force_login(school_reporter)
    response = client.post(
        reverse("api-report-create"),
        _report(personas.pavlodar_city),
        content_type="application/json",
    )
    assert response.status_code == 201
    assert Report.objects.count() == 1


def test_a_narrative_of_300000_characters_is_refused_with_every_other_problem(
    client, school_reporter, personas
):
    client.force_login(school_reporter)
    data = _report(
        personas.pavlodar_city,
        narrative="N" * 300_000,
        reporter_name="R" * (limits.FULL_NAME + 1),
        children=[f"Child {i}" for i in range(limits.CHILDREN_PER_REPORT + 1)],
        incident_date="2999-01-01",
    )
    response = client.post(reverse("api-report-create"), data, content_type="application/json")
    assert response.status_code == 400
    assert {"narrative", "reporter_name", "children"} <= set(response.json())
    assert not Report.objects.exists()


def test_an_incident_in_the_future_is_refused_on_its_field(client, school_reporter, personas):
    client.force_login(school_reporter)
    data = _report(personas.pavlodar_city, incident_date="2999-01-01")
    response = client.post(reverse("api-report-create"), data, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"incident_date": ["The incident date is in the future."]}


def test_a_place_code_with_a_nul_is_refused_not_looked_up(client, school_reporter, personas):
    client.force_login(school_reporter)
    data = _report(personas.pavlodar_city, place="55\x00")
    response = client.post(reverse("api-report-create"), data, content_type="application/json")
    assert response.status_code == 400
    assert "place" in response.json()
