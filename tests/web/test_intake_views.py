import datetime as dt

from django.urls import reverse
from django.utils import timezone

from qorgau import limits
from qorgau.cases.models import Report, ReportChild


def _children(*descriptions):
    data = {"children-TOTAL_FORMS": str(len(descriptions)), "children-INITIAL_FORMS": "0"}
    data.update({f"children-{i}-description": d for i, d in enumerate(descriptions)})
    return data


def _report_form(place, children=("Мальчик, 12 лет, школа № 5",), **overrides):
    data = {
        "reporter_type": "hotline_111",
        "reporter_name": "Аноним",
        "urgency": "urgent",
        "concerns": ["bullying", "psychological"],
        "place": place.pk,
        "narrative": "Одноклассники систематически унижают ребёнка.",
        **_children(*children),
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


def test_a_report_names_as_many_children_as_the_reporter_knows(client, operator_111, personas):
    client.force_login(operator_111)
    names = ("Девочка, 8 лет", "Мальчик, 6 лет", "Младенец", "Подросток, 15 лет")
    client.post(reverse("report-new"), _report_form(personas.pavlodar_city, children=names))
    assert sorted(ReportChild.objects.values_list("description", flat=True)) == sorted(names)


def test_every_mistake_in_a_report_shows_at_once(client, operator_111, personas):
    client.force_login(operator_111)
    data = _report_form(
        personas.pavlodar_city,
        children=("",),
        reporter_name="Я" * (limits.FULL_NAME + 1),
        narrative="Н" * (limits.NARRATIVE + 1),
        incident_date="2999-01-01",
    )
    data.pop("concerns")
    response = client.post(reverse("report-new"), data)
    form, children = response.context["form"], response.context["children"]
    assert set(form.errors) == {"concerns", "reporter_name", "narrative", "incident_date"}
    assert children.non_form_errors() == [
        "Describe at least one child: a name, an age or a school is enough."
    ]
    page = response.content.decode()
    start = page.index("error-summary")
    summary = page[start : page.index("</ul>", start)]
    for message in (
        "This field is required.",
        "The incident date is in the future.",
        "Describe at least one child",
        f"Ensure this value has at most {limits.NARRATIVE} characters",
    ):
        assert message in summary, message
    assert 'value="ЯЯЯ' in page, "what was typed is kept"
    assert Report.objects.count() == 0


def test_adding_a_child_box_keeps_what_was_typed_and_checks_nothing(client, operator_111, personas):
    client.force_login(operator_111)
    data = _report_form(personas.pavlodar_city, children=("Девочка, 8 лет",), add_child="1")
    data.pop("concerns")  # not an error yet: the report is not being recorded
    response = client.post(reverse("report-new"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "error-summary" not in page
    assert 'name="children-1-description"' in page and 'value="Девочка, 8 лет"' in page
    assert "Одноклассники систематически" in page
    assert Report.objects.count() == 0


def test_removing_a_child_box_keeps_the_others(client, operator_111, personas):
    client.force_login(operator_111)
    data = _report_form(
        personas.pavlodar_city, children=("Первый", "Второй", "Третий"), remove_child="1"
    )
    response = client.post(reverse("report-new"), data)
    children = response.context["children"]
    assert [f["description"].value() for f in children] == ["Первый", "Третий"]


def test_with_htmx_only_the_children_part_is_sent_back(client, operator_111, personas):
    client.force_login(operator_111)
    data = _report_form(personas.pavlodar_city, children=("Первый",), add_child="1")
    response = client.post(
        reverse("report-new"), data, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="report-children"
    )
    page = response.content.decode()
    assert page.lstrip().startswith("<fieldset") and "<html" not in page
    assert 'name="children-1-description"' in page and 'value="Первый"' in page


def test_a_report_of_more_children_than_the_limit_is_refused_with_a_reason(
    client, operator_111, personas
):
    client.force_login(operator_111)
    many = [f"Ребёнок {i}" for i in range(limits.CHILDREN_PER_REPORT + 1)]
    response = client.post(reverse("report-new"), _report_form(personas.pavlodar_city, many))
    assert response.context["children"].non_form_errors() == [
        f"A report can name at most {limits.CHILDREN_PER_REPORT} children: record the others "
        "in another report."
    ]
    assert Report.objects.count() == 0
    # At the limit the form offers no further box.
    full = client.post(
        reverse("report-new"),
        _report_form(personas.pavlodar_city, many[: limits.CHILDREN_PER_REPORT], add_child="1"),
    )
    assert len(full.context["children"].forms) == limits.CHILDREN_PER_REPORT
    assert b'name="add_child"' not in full.content


def test_an_incident_date_in_the_future_is_refused(client, operator_111, personas):
    client.force_login(operator_111)
    data = _report_form(personas.pavlodar_city, incident_date="2999-01-01")
    response = client.post(reverse("report-new"), data)
    assert "incident_date" in response.context["form"].errors
    assert Report.objects.count() == 0


def test_an_incident_before_anyone_concerned_was_a_child_is_refused(client, operator_111, personas):
    client.force_login(operator_111)
    long_ago = timezone.localdate() - dt.timedelta(days=365 * 19)
    data = _report_form(personas.pavlodar_city, incident_date=long_ago.isoformat())
    response = client.post(reverse("report-new"), data)
    assert response.context["form"].errors["incident_date"] == [
        "This is more than 18 years before the report: check the year."
    ]


def test_an_analyst_cannot_record_a_report(client, regional_analyst_pavlodar, personas):
    client.force_login(regional_analyst_pavlodar)
    response = client.post(reverse("report-new"), _report_form(personas.pavlodar_city))
    assert response.status_code == 404
    assert Report.objects.count() == 0
