from django.urls import reverse

from qorgau.cases.models import Report


def _report_form(place, **overrides):
    data = {
        "reporter_type": "hotline_111",
        "reporter_name": "Аноним",
        "urgency": "urgent",
        "concerns": ["bullying", "psychological"],
        "place": place.pk,
        "narrative": "Одноклассники систематически унижают ребёнка.",
        "child_1": "Мальчик, 12 лет, школа № 5",
    }
    data.update(overrides)
    return data


def test_a_111_operator_records_a_report_and_sees_its_status(client, operator_111, personas):
    client.force_login(operator_111)
    response = client.post(reverse("report-new"), _report_form(personas.pavlodar_city))
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert sorted(report.concern_codes) == ["bullying", "psychological"]
    page = client.get(report.get_absolute_url())
    assert page.status_code == 200
    assert "web/report_status.html" in [t.name for t in page.templates]
    # The operator follows the status; the screening controls are not theirs.
    assert b"Screen in" not in page.content


def test_a_report_without_concern_or_child_shows_an_error_next_to_each_field(
    client, operator_111, personas
):
    client.force_login(operator_111)
    data = _report_form(personas.pavlodar_city, child_1="")
    data.pop("concerns")
    response = client.post(reverse("report-new"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"concerns", "child_1"}
    assert b"error-summary" in response.content
    assert Report.objects.count() == 0


def test_an_incident_date_in_the_future_is_refused(client, operator_111, personas):
    client.force_login(operator_111)
    data = _report_form(personas.pavlodar_city, incident_date="2999-01-01")
    response = client.post(reverse("report-new"), data)
    assert "incident_date" in response.context["form"].errors
    assert Report.objects.count() == 0


def test_an_analyst_cannot_record_a_report(client, regional_analyst_pavlodar, personas):
    client.force_login(regional_analyst_pavlodar)
    response = client.post(reverse("report-new"), _report_form(personas.pavlodar_city))
    assert response.status_code == 404
    assert Report.objects.count() == 0
