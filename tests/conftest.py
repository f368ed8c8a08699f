"""Shared fixtures: the personas of `personas.py`, one fixture per name.

    def test_it_hides_other_regions(caseworker_astana, personas): ...
    personas["supervisor_pavlodar"], personas.dept_pavlodar, personas.users()

Helpers for records are plain functions: `from personas import make_case, make_report`.
Every persona fixture needs the database (they request `db` themselves).
"""

import pytest

from personas import USER_NAMES, Personas, make_personas


@pytest.fixture
def personas(db) -> Personas:
    return make_personas()


def _persona_fixture(name: str):
    @pytest.fixture(name=name)
    def fixture(personas: Personas):
        return personas[name]

    fixture.__doc__ = f"The persona {name} (see tests/personas.py)."
    return fixture


for _name in (
    *USER_NAMES,
    "pavlodar",
    "pavlodar_city",
    "astana",
    "dept_pavlodar",
    "dept_astana",
    "school_pavlodar",
    "police_pavlodar",
    "centre_111",
    "ministry",
):
    globals()[f"_fixture_{_name}"] = _persona_fixture(_name)
