"""Finding a child before registering one: by IIN, by name in any script, in one's region."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from personas import make_case, make_child, version_of
from qorgau.children.models import Sex
from qorgau.search import child_search


@pytest.fixture
def nursultan(caseworker_pavlodar, pavlodar_city):
    return make_child(
        actor=caseworker_pavlodar,
        place=pavlodar_city,
        first_name="Нұрсұлтан",
        last_name="Қасымов",
        birth_date=dt.date(2008, 6, 15),
        sex=Sex.MALE,
        iin="080615510903",
    )


@pytest.fixture
def aigerim(caseworker_pavlodar, pavlodar_city):
    return make_child(
        actor=caseworker_pavlodar,
        place=pavlodar_city,
        first_name="Айгерім",
        last_name="Сейітова",
        birth_date=dt.date(2012, 4, 2),
    )


def test_twelve_digits_find_the_child_with_that_iin(caseworker_pavlodar, nursultan, aigerim):
    assert list(child_search(actor=caseworker_pavlodar, text=" 080615510903 ")) == [nursultan]


def test_an_unknown_iin_finds_nobody(caseworker_pavlodar, nursultan):
    assert not child_search(actor=caseworker_pavlodar, text="061211600012")


@pytest.mark.parametrize("text", ["Нурсултан", "NURSULTAN", "kasymov nursultan", "Қасымов"])
def test_a_name_in_any_script_finds_the_child(caseworker_pavlodar, nursultan, aigerim, text):
    assert list(child_search(actor=caseworker_pavlodar, text=text)) == [nursultan]


def test_every_word_must_match(caseworker_pavlodar, nursultan, aigerim):
    assert list(child_search(actor=caseworker_pavlodar, text="Aigerim Seiitova")) == [aigerim]
    assert not child_search(actor=caseworker_pavlodar, text="Aigerim Kasymov")


def test_a_date_of_birth_narrows_the_names(caseworker_pavlodar, pavlodar_city, aigerim):
    namesake = make_child(
        actor=caseworker_pavlodar,
        place=pavlodar_city,
        first_name="Aigerim",
        last_name="Seitova",
        birth_date=dt.date(2015, 1, 1),
    )
    both = child_search(actor=caseworker_pavlodar, text="Айгерим")
    assert set(both) == {aigerim, namesake}
    found = child_search(actor=caseworker_pavlodar, text="Айгерим", birth_date=aigerim.birth_date)
    assert list(found) == [aigerim]


def test_a_date_of_birth_alone_is_a_search(caseworker_pavlodar, nursultan, aigerim):
    found = child_search(actor=caseworker_pavlodar, birth_date=dt.date(2012, 4, 2))
    assert list(found) == [aigerim]


def test_an_empty_search_finds_nobody(caseworker_pavlodar, nursultan):
    assert not child_search(actor=caseworker_pavlodar, text="   ")


def test_a_caseworker_in_astana_does_not_find_a_pavlodar_child(caseworker_astana, nursultan):
    assert not child_search(actor=caseworker_astana, text="Nursultan")
    assert not child_search(actor=caseworker_astana, text=nursultan.iin)


def test_a_caseworker_of_the_same_region_finds_the_child(caseworker2_pavlodar, nursultan):
    assert list(child_search(actor=caseworker2_pavlodar, text="Nursultan")) == [nursultan]


@pytest.mark.parametrize(
    "name",
    ["operator_111", "school_reporter", "regional_analyst_pavlodar", "auditor", "administrator"],
)
def test_roles_without_child_view_find_nobody(personas, nursultan, name):
    assert not child_search(actor=personas[name], text=nursultan.iin)


def test_a_child_of_a_case_transferred_in_is_found_outside_its_region(
    caseworker_pavlodar, supervisor_pavlodar, caseworker_astana, nursultan, dept_astana
):
    from qorgau.cases.services.transfers import case_transfer_decide, case_transfer_request

    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, child=nursultan)
    case_transfer_request(
        actor=caseworker_pavlodar,
        case=case,
        version=version_of(case),
        to_organisation=dept_astana,
        reason="Family moved to Astana",
    )
    case_transfer_decide(
        actor=caseworker_astana,
        case=case,
        version=version_of(case),
        accept=True,
        worker=caseworker_astana,
    )
    assert list(child_search(actor=caseworker_astana, text="Nursultan")) == [nursultan]


def test_results_are_limited(caseworker_pavlodar, pavlodar_city):
    for _ in range(4):
        make_child(actor=caseworker_pavlodar, place=pavlodar_city, first_name="Dana")
    assert len(child_search(actor=caseworker_pavlodar, text="Dana", limit=3)) == 3


@pytest.mark.parametrize("typed", ["Maria Ivanova", "mariya ivanova", "МАРИЯ", "Mariia"])
def test_a_passport_spelling_finds_a_child_registered_in_cyrillic(
    caseworker_pavlodar, pavlodar_city, typed
):
    maria = make_child(
        actor=caseworker_pavlodar, place=pavlodar_city, first_name="Мария", last_name="Иванова"
    )
    assert list(child_search(actor=caseworker_pavlodar, text=typed)) == [maria]


def test_results_come_in_pages_and_the_next_page_has_the_next_children(
    caseworker_pavlodar, pavlodar_city
):
    danas = [
        make_child(actor=caseworker_pavlodar, place=pavlodar_city, first_name="Dana", last_name=n)
        for n in ("Abenova", "Bekova", "Serikova")
    ]
    first = child_search(actor=caseworker_pavlodar, text="Dana", limit=2)
    second = child_search(actor=caseworker_pavlodar, text="Dana", limit=2, page=2)
    assert list(first) == danas[:2] and first.has_next
    assert list(second) == danas[2:] and not second.has_next and second.has_previous


on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="trigram matching is PostgreSQL's (pg_trgm)"
)


@on_postgresql
def test_a_one_letter_slip_still_finds_the_child_on_postgresql(caseworker_pavlodar, pavlodar_city):
    child = make_child(actor=caseworker_pavlodar, place=pavlodar_city, last_name="Ержанава")
    assert list(child_search(actor=caseworker_pavlodar, text="Ержанова")) == [child]
    assert list(child_search(actor=caseworker_pavlodar, text="Yerzhanova Aruzhan")) == [child]
    assert not child_search(actor=caseworker_pavlodar, text="Ермекова")


@on_postgresql
def test_the_closest_spelling_comes_first_on_postgresql(caseworker_pavlodar, pavlodar_city):
    near = make_child(actor=caseworker_pavlodar, place=pavlodar_city, last_name="Ержанава")
    exact = make_child(actor=caseworker_pavlodar, place=pavlodar_city, last_name="Ержанова")
    assert list(child_search(actor=caseworker_pavlodar, text="Ержанова")) == [exact, near]


def test_a_search_is_still_scoped_to_the_region_when_spelled_nearly(
    caseworker_astana, caseworker_pavlodar, pavlodar_city
):
    make_child(actor=caseworker_pavlodar, place=pavlodar_city, last_name="Ержанава")
    assert not child_search(actor=caseworker_astana, text="Ержанова")
    assert not child_search(actor=caseworker_astana, text="Ержанава")


def test_a_name_search_reads_the_places_of_its_page_not_of_every_match(
    caseworker_pavlodar, nursultan, aigerim
):
    """Joined to the name search, the places were read for every match before the sort
    and the page's limit (7,800 children named Иван in a region at 1M, issue 7)."""
    with CaptureQueriesContext(connection) as queries:
        found = child_search(actor=caseworker_pavlodar, text="Нурсултан")
    assert [child.place.name for child in found] == [nursultan.place.name]
    searches = [q["sql"] for q in queries if 'FROM "children_child"' in q["sql"]]
    assert searches and not [sql for sql in searches if 'JOIN "places_place"' in sql]
