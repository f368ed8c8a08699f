"""A child not yet identified is recorded without an invented name, and identified
later without losing the history."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from qorgau.children.models import Child, Sex
from qorgau.children.services import child_register, child_update


def register_unknown(actor, place, **overrides):
    values = {"first_name": "", "approximate_age": 7, "sex": Sex.FEMALE, **overrides}
    return child_register(actor=actor, place=place, **values)


def test_an_unknown_girl_of_about_seven_is_recorded_as_such(caseworker_pavlodar, pavlodar_city):
    child = register_unknown(
        caseworker_pavlodar, pavlodar_city, description="Red jacket, at the bus station"
    )
    assert child.first_name == ""
    assert child.full_name == "Unknown, about 7 years, girl"
    assert child.description == "Red jacket, at the bus station"


def test_neither_a_name_nor_a_description_is_refused(caseworker_pavlodar, pavlodar_city):
    with pytest.raises(ValidationError) as exc:
        register_unknown(caseworker_pavlodar, pavlodar_city, approximate_age=None)
    assert "first_name" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        register_unknown(caseworker_pavlodar, pavlodar_city, approximate_age=18)
    assert "approximate_age" in exc.value.message_dict
    assert not Child.objects.exists()


def test_identified_later_the_names_are_filled_in_and_the_history_kept(
    caseworker_pavlodar, pavlodar_city
):
    child = register_unknown(caseworker_pavlodar, pavlodar_city)
    child_update(
        actor=caseworker_pavlodar,
        child=child,
        version=child.version,
        first_name="Aruzhan",
        last_name="Serikova",
    )
    child.refresh_from_db()
    assert child.full_name == "Serikova Aruzhan"
    history = list(child.history.order_by("history_id").values_list("first_name", flat=True))
    assert history == ["", "Aruzhan"]
    assert child.approximate_age == 7  # what was known before stays


def test_the_form_records_an_unknown_child(client, caseworker_pavlodar, pavlodar_city):
    client.force_login(caseworker_pavlodar)
    response = client.post(
        reverse("child-new"),
        {"first_name": "", "approximate_age": "7", "sex": "F", "place": pavlodar_city.pk},
    )
    assert response.status_code == 302
    assert Child.objects.get().full_name == "Unknown, about 7 years, girl"
    refused = client.post(reverse("child-new"), {"first_name": "", "place": pavlodar_city.pk})
    assert "first_name" in refused.context["form"].errors
    assert Child.objects.count() == 1
