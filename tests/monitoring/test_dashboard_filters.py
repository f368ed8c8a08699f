"""The dashboard's case-data filters: district, concern, sex, age group, inside the scope."""

import datetime as dt

from django.urls import reverse

from personas import make_child, make_report
from qorgau.cases.services.reports import DescribedChild
from qorgau.children.models import Sex


def _reports(personas, n, **fields):
    for _ in range(n):
        make_report(actor=personas.operator_111, **fields)


def test_filtering_by_district_shows_its_reports_and_the_regions_districts(
    client, personas, national_analyst
):
    _reports(personas, 6, place=personas.pavlodar_city)
    _reports(personas, 5, place=personas.pavlodar)
    client.force_login(national_analyst)
    response = client.get(
        reverse("statistics"), {"region": "55", "district": personas.pavlodar_city.pk}
    )
    overview = response.context["overview"]
    assert [r.region.region_code for r in overview.regions] == ["55"]
    assert overview.regions[0].reports == 6
    assert not overview.cases_follow_filters, "cases are counted by region only"
    districts = {d.district.pk: d.reports for d in overview.districts}
    assert districts[personas.pavlodar_city.pk] == 6
    assert "–" in response.content.decode()


def test_filtering_by_concern_sex_and_age_group(client, personas, national_analyst):
    worker = personas.caseworker_pavlodar
    girl = make_child(actor=worker, sex=Sex.FEMALE, birth_date=dt.date(2020, 6, 1))
    boy = make_child(actor=worker, sex=Sex.MALE, birth_date=dt.date(2012, 6, 1))
    for child, n in ((girl, 5), (boy, 7)):
        _reports(
            personas,
            n,
            place=personas.pavlodar_city,
            concerns=("physical",),
            children=[DescribedChild(child=child)],
        )
    _reports(personas, 5, place=personas.pavlodar_city, concerns=("neglect",))
    client.force_login(national_analyst)

    def total(**params):
        return client.get(reverse("statistics"), params).context["overview"].totals.reports

    assert total() == 17
    assert total(concern="physical") == 12
    assert total(sex="F") == 5
    assert total(sex="M", age_group="10-14") == 7
    assert total(sex="F", age_group="10-14") == 0
    assert total(concern="neglect", sex="M") == 0


def test_a_regional_analyst_chooses_only_their_own_districts(
    client, personas, regional_analyst_pavlodar
):
    client.force_login(regional_analyst_pavlodar)
    response = client.get(reverse("statistics"))
    groups = response.context["form"].fields["district"].choices[1:]
    assert [name for name, _options in groups] == ["Pavlodar Region"]
    response = client.get(reverse("statistics"), {"district": personas.astana.pk})
    form = response.context["form"]
    assert "district" in form.errors
    overview = response.context["overview"]
    assert [r.region.region_code for r in overview.regions] == ["55"]


def test_a_district_outside_the_chosen_region_is_a_clear_error(client, personas, national_analyst):
    client.force_login(national_analyst)
    response = client.get(
        reverse("statistics"), {"region": "71", "district": personas.pavlodar_city.pk}
    )
    assert response.context["form"].errors["district"] == ["That district is not in Astana."]
