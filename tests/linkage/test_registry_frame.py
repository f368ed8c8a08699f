"""The registry as the batch model reads it: by COPY on PostgreSQL, row by row elsewhere,
the same columns either way."""

import datetime as dt

import pandas as pd
import pytest
from django.db import connection

from personas import make_child
from qorgau.children.models import FamilyMember
from qorgau.linkage import batch, runs
from qorgau.linkage.services import child_merge

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(caseworker_pavlodar, pavlodar_city, supervisor_pavlodar):
    """Dana with her mother and father, a second record of her merged, a child without a
    date of birth."""
    born = dt.date(2015, 3, 1)
    dana = make_child(
        actor=caseworker_pavlodar,
        place=pavlodar_city,
        last_name="Ахметова",
        first_name="Дана",
        middle_name="Серіковна",
        birth_date=born,
    )
    FamilyMember.objects.create(
        child=dana, relationship=FamilyMember.Relationship.MOTHER, full_name="Ахметова Әсел"
    )
    FamilyMember.objects.create(
        child=dana, relationship=FamilyMember.Relationship.FATHER, full_name="Ахметов Серік"
    )
    again = make_child(
        actor=caseworker_pavlodar,
        place=pavlodar_city,
        last_name="Ахметова",
        first_name="Дана",
        birth_date=born,
    )
    unnamed_date = make_child(actor=caseworker_pavlodar, place=pavlodar_city, birth_date=None)
    child_merge(actor=supervisor_pavlodar, kept=dana, merged=again, reason="One girl")
    return dana, unnamed_date


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="elsewhere the frame is the rows prepared"
)
def test_the_copied_frame_is_the_registry_rows_prepared(registry):
    frame = runs.registry_frame().set_index("unique_id")
    rows = batch.prepared(runs.registry_rows()).set_index("unique_id")
    assert frame.sort_index().equals(rows.sort_index())


def test_the_registry_frame_holds_the_kept_records_folded(registry, pavlodar_city):
    dana, unnamed_date = registry
    frame = runs.registry_frame().set_index("unique_id")
    assert set(frame.index) == {str(dana.pk), str(unnamed_date.pk)}  # the merged one is out
    girl = frame.loc[str(dana.pk)]
    assert (girl.last_key, girl.first_key, girl.middle_key) == ("ахметова", "дана", "сериковна")
    assert girl.mother_key == "ахметова асел"  # the mother, not the father
    assert (girl.birth_date, girl.birth_year) == ("2015-03-01", "2015")
    assert girl.district == pavlodar_city.kato[:4] and girl.region == pavlodar_city.kato[:2]
    assert pd.isna(frame.loc[str(unnamed_date.pk)].birth_date)
