from django.urls import reverse

from personas import make_child, make_report
from qorgau.cases.models import Case, Report


def test_a_caseworker_links_a_found_child_and_screens_the_report_in(
    client, personas, caseworker_pavlodar, operator_111
):
    report = make_report(actor=operator_111, place=personas.pavlodar_city, concerns=("sexual",))
    child = make_child(actor=caseworker_pavlodar, place=personas.pavlodar_city)
    link = report.children.get()
    client.force_login(caseworker_pavlodar)

    response = client.post(
        reverse("report-link", args=[report.pk]), {"link": link.pk, "child": child.pk}
    )
    assert response.status_code == 302
    response = client.post(
        reverse("report-screen", args=[report.pk]),
        {"decision": "in", "in-worker": caseworker_pavlodar.pk, "in-join_case": "", "in-note": ""},
    )
    case = Case.objects.get()
    assert response["Location"] == case.get_absolute_url()
    assert list(case.children.all()) == [child]
    assert case.restricted, "sexual violence restricts the case"
    assert case.police_notifications.count() == 1


def test_screening_in_before_the_child_is_identified_is_refused_with_a_message(
    client, personas, caseworker_pavlodar, operator_111
):
    report = make_report(actor=operator_111, place=personas.pavlodar_city)
    client.force_login(caseworker_pavlodar)
    response = client.post(
        reverse("report-screen", args=[report.pk]),
        {"decision": "in", "in-worker": caseworker_pavlodar.pk},
    )
    assert response.status_code == 400
    assert "Find or register every child" in response.content.decode()
    report.refresh_from_db()
    assert report.status == Report.Status.NEW


def test_screening_out_needs_a_reason(client, personas, caseworker_pavlodar, operator_111):
    report = make_report(actor=operator_111, place=personas.pavlodar_city)
    client.force_login(caseworker_pavlodar)
    response = client.post(reverse("report-screen", args=[report.pk]), {"decision": "out"})
    assert response.status_code == 400
    assert "reason" in response.context["screen_out_form"].errors
    response = client.post(
        reverse("report-screen", args=[report.pk]),
        {"decision": "out", "out-reason": "duplicate", "out-note": "Same as yesterday's call"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.SCREENED_OUT


def test_registering_a_child_from_a_report_links_the_child(
    client, personas, caseworker_pavlodar, operator_111
):
    report = make_report(actor=operator_111, place=personas.pavlodar_city)
    link = report.children.get()
    client.force_login(caseworker_pavlodar)
    url = reverse("child-new") + f"?report={report.pk}&link={link.pk}"
    response = client.post(
        url,
        {
            "first_name": "Айгерім",
            "last_name": "Серікова",
            "sex": "F",
            "birth_date": "2014-03-02",
            "place": personas.pavlodar_city.pk,
        },
    )
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    link.refresh_from_db()
    assert link.child is not None and link.child.first_name == "Айгерім"


def test_an_iin_that_contradicts_the_birth_date_is_explained_on_the_form(
    client, personas, caseworker_pavlodar
):
    client.force_login(caseworker_pavlodar)
    response = client.post(
        reverse("child-new"),
        {
            "first_name": "Test",
            "sex": "M",
            "iin": "061211600012",  # valid, born 2006-12-11
            "birth_date": "2010-01-01",
            "place": personas.pavlodar_city.pk,
        },
    )
    assert response.status_code == 200
    assert "birth_date" in response.context["form"].errors
