"""Cases belong to an organisation; reports and children to a territory."""

from personas import make_case, make_organisation, make_report, make_user
from qorgau.access import cases_visible_to, children_visible_to, reports_visible_to
from qorgau.accounts.models import Organisation
from qorgau.accounts.roles import Role
from qorgau.places.models import Place


def test_another_organisation_of_the_region_does_not_see_the_departments_cases(
    personas, caseworker_pavlodar, supervisor_pavlodar
):
    guardianship = make_organisation(
        name="Guardianship body, Pavlodar",
        kind=Organisation.Kind.GUARDIANSHIP,
        place=personas.pavlodar,
    )
    colleague = make_user("guardian_worker", role=Role.CASEWORKER, organisation=guardianship)
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar)
    assert case in cases_visible_to(caseworker_pavlodar)
    assert case not in cases_visible_to(colleague)


def test_a_district_office_sees_its_district_and_its_department_sees_the_office(
    personas, caseworker_pavlodar, supervisor_pavlodar, operator_111
):
    office = make_organisation(
        name="Child rights office, Pavlodar city",
        kind=Organisation.Kind.CHILD_RIGHTS_OFFICE,
        place=personas.pavlodar_city,
    )
    office.parent = personas.dept_pavlodar
    office.save(update_fields=["parent"])
    office_worker = make_user(
        "office_worker", role=Role.CASEWORKER, organisation=office, supervisor=supervisor_pavlodar
    )
    other_district = Place.objects.create(
        kato="551610000",
        kind=Place.Kind.DISTRICT,
        parent=personas.pavlodar,
        name_kk="Ақсу",
        name_ru="Аксу",
        name_en="Aksu",
    )
    in_city = make_report(actor=operator_111, place=personas.pavlodar_city)
    elsewhere = make_report(actor=operator_111, place=other_district)

    assert set(reports_visible_to(office_worker)) == {in_city}
    assert {in_city, elsewhere} <= set(reports_visible_to(caseworker_pavlodar))

    office_case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar)
    office_case.organisation, office_case.worker = office, office_worker
    office_case.save(update_fields=["organisation", "worker"])
    department_case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar)
    assert office_case in cases_visible_to(caseworker_pavlodar), "the department oversees"
    assert department_case not in cases_visible_to(office_worker)
    assert office_case in cases_visible_to(office_worker)


def test_a_place_knows_its_territory_prefix(personas):
    assert personas.pavlodar.territory_prefix == "55"
    assert personas.pavlodar_city.territory_prefix == "551010"  # AB-CD-EF: 55-10-10
    assert Place(kato="551600000").territory_prefix == "5516"  # a district
    settlement = Place(kato="551010123")
    assert settlement.territory_prefix == "551010123"


def test_children_of_the_territory_are_found_by_its_staff_only(
    personas, caseworker_pavlodar, caseworker_astana
):
    from personas import make_child

    child = make_child(actor=caseworker_pavlodar, place=personas.pavlodar_city)
    assert child in children_visible_to(caseworker_pavlodar)
    assert child not in children_visible_to(caseworker_astana)
