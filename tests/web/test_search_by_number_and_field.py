"""Staff find a child by case or report number, address, school or a relative's name,
see the child's open cases in the results, and only ever what the gate lets them see."""

import pytest
from django.db import connection
from django.urls import reverse

from personas import make_case, make_child, make_report
from qorgau.audit.models import AccessLogEntry
from qorgau.cases.services.reports import DescribedChild
from qorgau.children.services import family_member_add
from qorgau.search import SearchBy, child_search


@pytest.fixture
def child(personas, caseworker_pavlodar):
    child = make_child(
        actor=caseworker_pavlodar,
        place=personas.pavlodar_city,
        last_name="Омарова",
        first_name="Дана",
        address="ул. Ленина 15, кв. 4",
        school=personas.school_pavlodar,
    )
    family_member_add(
        actor=caseworker_pavlodar, child=child, relationship="mother", full_name="Омарова Гульжан"
    )
    return child


@pytest.fixture
def case(child, caseworker_pavlodar, supervisor_pavlodar):
    return make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, child=child)


def _names(actor, text, by=SearchBy.NAME):
    return [c.full_name for c in child_search(actor=actor, text=text, by=by)]


def test_a_case_number_finds_its_children(caseworker_pavlodar, case, child):
    assert _names(caseworker_pavlodar, case.reference) == [child.full_name]
    assert _names(caseworker_pavlodar, case.reference.lower()) == [child.full_name]


def test_a_case_number_typed_with_cyrillic_letters_finds_it_too(caseworker_pavlodar, case, child):
    cyrillic = "С" + case.reference[1:]  # Cyrillic Es, as a Russian keyboard types it
    assert _names(caseworker_pavlodar, cyrillic) == [child.full_name]


def test_a_case_number_with_the_wrong_year_finds_nothing(caseworker_pavlodar, case):
    year = case.opened_at.year
    assert _names(caseworker_pavlodar, f"C-{year - 1}-{case.pk:06d}") == []


def test_a_report_number_finds_its_linked_children(caseworker_pavlodar, child):
    report = make_report(actor=caseworker_pavlodar, children=[DescribedChild(child=child)])
    assert _names(caseworker_pavlodar, report.reference) == [child.full_name]


def test_a_case_number_of_another_region_finds_nothing(caseworker_astana, case):
    assert _names(caseworker_astana, case.reference) == []


@pytest.mark.parametrize(
    ("by", "text"),
    [(SearchBy.ADDRESS, "Ленина 15"), (SearchBy.SCHOOL, "no. 7"), (SearchBy.FAMILY, "Гульжан")],
)
def test_address_school_and_family_member_find_the_child_in_scope_only(
    caseworker_pavlodar, caseworker_astana, child, by, text
):
    assert _names(caseworker_pavlodar, text, by) == [child.full_name]
    assert _names(caseworker_astana, text, by) == []
    assert _names(caseworker_pavlodar, "nowhere street", by) == []


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's LIKE ignores the case of Latin letters only",
)
@pytest.mark.parametrize(
    ("by", "text"), [(SearchBy.ADDRESS, "ЛЕНИНА"), (SearchBy.FAMILY, "гульжан")]
)
def test_cyrillic_case_does_not_matter_on_postgresql(caseworker_pavlodar, child, by, text):
    assert _names(caseworker_pavlodar, text, by) == [child.full_name]


def test_a_search_by_address_is_logged_without_its_text(caseworker_pavlodar, child):
    child_search(actor=caseworker_pavlodar, text="Ленина 15", by=SearchBy.ADDRESS)
    entry = AccessLogEntry.objects.filter(action="search").latest("id")
    assert entry.result_count == 1
    assert entry.query_hash and "ленина" not in entry.query_hash


def test_results_show_the_childs_open_cases(client, caseworker_pavlodar, case, child):
    client.force_login(caseworker_pavlodar)
    html = client.get(reverse("child-search"), {"q": "омарова дана"}).content.decode()
    assert case.reference in html
    assert reverse("case-detail", args=[case.pk]) in html


def test_results_do_not_show_a_case_the_user_cannot_see(
    client, personas, caseworker_astana, supervisor_astana, child, case
):
    """An Astana caseworker who sees the child through its own case does not see the
    Pavlodar case in the results."""
    own = make_case(worker=caseworker_astana, supervisor=supervisor_astana, child=child)
    client.force_login(caseworker_astana)
    html = client.get(reverse("child-search"), {"q": "омарова дана"}).content.decode()
    assert own.reference in html
    assert case.reference not in html


def test_the_search_page_searches_by_the_chosen_field(client, caseworker_pavlodar, child):
    client.force_login(caseworker_pavlodar)
    found = client.get(reverse("child-search"), {"q": "Гульжан", "by": "family"})
    assert child.full_name in found.content.decode()
    by_name = client.get(reverse("child-search"), {"q": "Гульжан", "by": "name"})
    assert child.full_name not in by_name.content.decode()
    odd = client.get(reverse("child-search"), {"q": "x", "by": "salary"})
    assert odd.status_code == 200
    assert "Select a valid choice" in odd.content.decode()
