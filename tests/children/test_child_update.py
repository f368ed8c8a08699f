"""Correcting a child's record: the same checks as registering, and no lost edits."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from personas import make_child
from qorgau.children.models import Child
from qorgau.children.services import child_update


@pytest.fixture
def child(caseworker_pavlodar, pavlodar_city):
    return make_child(
        actor=caseworker_pavlodar, place=pavlodar_city, first_name="Марья", last_name="Петрова"
    )


def test_a_correction_renames_and_the_search_finds_the_new_name(child, caseworker_pavlodar):
    from qorgau.search import child_search

    updated = child_update(
        actor=caseworker_pavlodar, child=child, version=child.version, first_name="Мария"
    )
    assert updated.version == child.version + 1
    assert list(child_search(actor=caseworker_pavlodar, text="Maria Petrova")) == [updated]


def test_a_correction_on_an_old_copy_is_refused(child, caseworker_pavlodar, supervisor_pavlodar):
    stale = child.version
    child_update(actor=supervisor_pavlodar, child=child, version=stale, address="ул. Ленина, 1")
    with pytest.raises(ValidationError) as refused:
        child_update(actor=caseworker_pavlodar, child=child, version=stale, address="другой")
    assert refused.value.code == "stale_version"
    assert Child.objects.get(pk=child.pk).address == "ул. Ленина, 1"


def test_an_iin_belonging_to_another_child_is_refused(child, caseworker_pavlodar, pavlodar_city):
    other = make_child(
        actor=caseworker_pavlodar, place=pavlodar_city, iin="061211600012", birth_date=None, sex="F"
    )
    with pytest.raises(ValidationError) as refused:
        child_update(
            actor=caseworker_pavlodar,
            child=child,
            version=child.version,
            iin=other.iin,
            sex="F",
            birth_date=dt.date(2006, 12, 11),
        )
    assert refused.value.error_dict["iin"][0].code == "duplicate_iin"


def test_an_analyst_cannot_correct_a_record(child, regional_analyst_pavlodar):
    with pytest.raises(ValidationError):
        child_update(
            actor=regional_analyst_pavlodar, child=child, version=child.version, first_name="X"
        )


def test_the_correction_page_saves_and_shows_the_history(client, child, caseworker_pavlodar):
    client.force_login(caseworker_pavlodar)
    url = reverse("child-edit", args=[child.pk])
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(first_name="Мария", birth_date="2015-04-01")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    child.refresh_from_db()
    assert child.first_name == "Мария" and str(child.birth_date) == "2015-04-01"
    history = client.get(reverse("child-history", args=[child.pk])).content.decode()
    assert "Марья" in history and "Мария" in history
