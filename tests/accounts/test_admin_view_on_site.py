"""The admin's "view on site" redirect must not tell whether a record id exists."""

import pytest
from django.contrib.contenttypes.models import ContentType

from personas import USER_NAMES, make_case, make_child, make_report
from qorgau.cases.models import Case, Report
from qorgau.children.models import Child


@pytest.fixture
def existing(personas):
    case = make_case(worker=personas.caseworker_pavlodar, supervisor=personas.supervisor_pavlodar)
    report = make_report(actor=personas.operator_111, place=personas.pavlodar_city)
    child = make_child(actor=personas.caseworker_pavlodar, place=personas.pavlodar_city)
    return {Case: case.pk, Report: report.pk, Child: child.pk}


@pytest.mark.parametrize("persona", [*USER_NAMES, None])
def test_view_on_site_is_404_for_existing_and_missing_records_alike(
    client, personas, existing, persona
):
    if persona is not None:
        client.force_login(personas[persona])
    for model, pk in existing.items():
        content_type = ContentType.objects.get_for_model(model).pk
        for record_id in (pk, pk + 10_000):
            response = client.get(f"/admin/r/{content_type}/{record_id}/")
            assert response.status_code == 404, (persona, model.__name__, record_id)
