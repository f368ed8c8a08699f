"""Registering a child: IIN checks against the child's data, one record per IIN."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from personas import make_child
from qorgau.children.models import Child, FamilyMember, Sex
from qorgau.children.names import fold_name
from qorgau.children.services import child_register, family_member_add

# 061211600012: a girl born 11 December 2006 (kazakhstan.md).
GIRL_IIN = "061211600012"
GIRL_BORN = dt.date(2006, 12, 11)


def register(actor, place, **fields):
    values = {
        "first_name": "Дана",
        "last_name": "Иванова",
        "birth_date": GIRL_BORN,
        "sex": Sex.FEMALE,
        "iin": GIRL_IIN,
        **fields,
    }
    return child_register(actor=actor, place=place, **values)


def test_a_caseworker_registers_a_child_whose_iin_agrees(caseworker_pavlodar, pavlodar_city):
    child = register(caseworker_pavlodar, pavlodar_city)
    child.refresh_from_db()
    assert child.iin == GIRL_IIN
    assert child.created_by == caseworker_pavlodar
    assert child.search_key == f"{fold_name('Иванова')} {fold_name('Дана')}"


def test_an_iin_for_another_birth_date_is_reported_on_the_birth_date(
    caseworker_pavlodar, pavlodar_city
):
    with pytest.raises(ValidationError) as exc:
        register(caseworker_pavlodar, pavlodar_city, birth_date=dt.date(2006, 12, 12))
    errors = exc.value.message_dict
    assert set(errors) == {"birth_date"}
    assert "11.12.2006" in errors["birth_date"][0]
    assert not Child.objects.exists()


def test_an_iin_of_a_girl_on_a_boy_is_reported_on_the_sex(caseworker_pavlodar, pavlodar_city):
    with pytest.raises(ValidationError) as exc:
        register(caseworker_pavlodar, pavlodar_city, sex=Sex.MALE)
    assert set(exc.value.message_dict) == {"sex"}
    assert not Child.objects.exists()


def test_both_disagreements_are_reported_at_once(caseworker_pavlodar, pavlodar_city):
    with pytest.raises(ValidationError) as exc:
        register(caseworker_pavlodar, pavlodar_city, sex=Sex.MALE, birth_date=dt.date(2007, 1, 1))
    assert set(exc.value.message_dict) == {"sex", "birth_date"}


def test_an_unknown_sex_is_not_held_against_the_iin(caseworker_pavlodar, pavlodar_city):
    child = register(caseworker_pavlodar, pavlodar_city, sex=Sex.UNKNOWN)
    assert child.sex == Sex.UNKNOWN


def test_an_invalid_iin_is_reported_on_the_iin(caseworker_pavlodar, pavlodar_city):
    with pytest.raises(ValidationError) as exc:
        register(caseworker_pavlodar, pavlodar_city, iin="061211600013")
    assert set(exc.value.message_dict) == {"iin"}


def test_a_second_child_with_the_same_iin_is_refused(
    caseworker_pavlodar, caseworker_astana, pavlodar_city, astana
):
    first = register(caseworker_pavlodar, pavlodar_city)
    with pytest.raises(ValidationError) as exc:
        register(caseworker_astana, astana, first_name="Dana", last_name="Ivanova")
    assert exc.value.error_dict["iin"][0].code == "duplicate_iin"
    assert str(first.pk) in exc.value.message_dict["iin"][0]
    assert list(Child.objects.all()) == [first]


def test_children_without_an_iin_can_be_registered_many_times(caseworker_pavlodar, pavlodar_city):
    register(caseworker_pavlodar, pavlodar_city, iin=None)
    register(caseworker_pavlodar, pavlodar_city, iin="")
    assert list(Child.objects.values_list("iin", flat=True)) == [None, None]


def test_a_child_needs_a_first_name(caseworker_pavlodar, pavlodar_city):
    with pytest.raises(ValidationError) as exc:
        register(caseworker_pavlodar, pavlodar_city, first_name="  ", iin=None)
    assert "first_name" in exc.value.message_dict


@pytest.mark.parametrize(
    "name",
    [
        "operator_111",
        "school_reporter",
        "regional_analyst_pavlodar",
        "national_analyst",
        "auditor",
        "administrator",
    ],
)
def test_roles_without_case_work_cannot_register_children(personas, name):
    with pytest.raises(ValidationError) as exc:
        register(personas[name], personas.pavlodar_city)
    assert exc.value.code == "forbidden"
    assert not Child.objects.exists()


def test_an_inactive_caseworker_cannot_register_children(caseworker_pavlodar, pavlodar_city):
    caseworker_pavlodar.is_active = False
    with pytest.raises(ValidationError):
        register(caseworker_pavlodar, pavlodar_city)


def test_a_family_member_is_added_by_a_caseworker(caseworker_pavlodar):
    child = make_child(actor=caseworker_pavlodar)
    member = family_member_add(
        actor=caseworker_pavlodar,
        child=child,
        relationship=FamilyMember.Relationship.MOTHER,
        full_name=" Гульмира Иванова ",
        is_caregiver=True,
    )
    assert list(child.family.all()) == [member]
    assert member.full_name == "Гульмира Иванова"


def test_a_school_reporter_cannot_change_family_records(caseworker_pavlodar, school_reporter):
    child = make_child(actor=caseworker_pavlodar)
    with pytest.raises(ValidationError):
        family_member_add(
            actor=school_reporter, child=child, relationship="mother", full_name="Гульмира"
        )
    assert not child.family.exists()
