import pytest

from personas import make_case, make_child


@pytest.fixture
def case(caseworker_pavlodar, supervisor_pavlodar):
    return make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar)


@pytest.fixture
def child(caseworker_pavlodar, pavlodar_city):
    return make_child(
        actor=caseworker_pavlodar, place=pavlodar_city, last_name="Zhaksylykova", address="Lenin 1"
    )
