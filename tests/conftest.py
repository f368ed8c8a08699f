"""Shared fixtures: the personas of `personas.py`, one fixture per name.

    def test_it_hides_other_regions(caseworker_astana, personas): ...
    personas["supervisor_pavlodar"], personas.dept_pavlodar, personas.users()

Helpers for records are plain functions: `from personas import make_case, make_report`.
Every persona fixture needs the database (they request `db` themselves).
"""

import pytest
from django.utils import translation

from personas import USER_NAMES, Personas, SecondFactorClient, make_personas


@pytest.fixture(autouse=True)
def english_by_default(settings):
    """Tests read messages in English unless they ask for another language."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def client() -> SecondFactorClient:
    return SecondFactorClient()


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


@pytest.fixture(autouse=True)
def _files_in_a_temporary_var_dir(settings, tmp_path_factory):
    """What the app stores on disk (imported surveys) goes to a temporary folder, not ./var."""
    settings.VAR_DIR = tmp_path_factory.getbasetemp() / "var"
