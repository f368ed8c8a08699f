"""Review finding: registering a child from a report is one step, or nothing happens."""

from django.urls import reverse

from personas import make_report
from qorgau.cases.services.reports import report_screen_out
from qorgau.children.models import Child


def test_a_child_is_not_registered_when_linking_to_the_report_fails(
    client, personas, operator_111, caseworker_pavlodar, supervisor_pavlodar
):
    report = make_report(actor=operator_111, place=personas.pavlodar_city)
    link = report.children.get()
    url = reverse("child-new") + f"?report={report.pk}&link={link.pk}"
    # Someone screens the report out while the caseworker fills in the form.
    report_screen_out(
        actor=supervisor_pavlodar,
        report=report,
        reason="no_concern",
        note="Checked with the school.",
    )
    before = Child.objects.count()

    client.force_login(caseworker_pavlodar)
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

    assert response.status_code == 200
    assert response.context["form"].errors
    # Submitting again must not make a second record of the same child.
    assert Child.objects.count() == before
