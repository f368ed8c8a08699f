"""A name search finds the children beyond the searcher's region that the rule lets them see.

The search reads its region's matches through the region-led index and, beyond the
region, only the marked children (a case of another region links to them) and the
children of the cases the user sees in other regions (access.children_visible_to).
Each way a child comes to be seen from another region is walked here through the
services; without the mark, or without the branch of the cases elsewhere, the child
is not found.
"""

import pytest
from django.db.models import Q

from personas import make_child, make_report, make_screened_in_case, make_user, version_of
from qorgau.access import children_visible_to
from qorgau.accounts.models import Organisation
from qorgau.accounts.roles import Role
from qorgau.cases.services.links import children_mark_beyond_region
from qorgau.cases.services.reports import DescribedChild
from qorgau.cases.services.transfers import case_transfer_decide, case_transfer_request
from qorgau.children.models import Child
from qorgau.children.services import child_update
from qorgau.search import child_search, name_matches


def _found(user, name: str) -> list[Child]:
    return list(child_search(actor=user, text=name))


@pytest.fixture
def astana_child_in_a_pavlodar_case(personas):
    """A child living in Astana whom a Pavlodar report is about, screened in Pavlodar."""
    p = personas
    child = make_child(actor=p.caseworker_astana, last_name="Жолдасова", first_name="Дана")
    report = make_report(
        actor=p.school_reporter, place=p.pavlodar_city, children=[DescribedChild(child=child)]
    )
    case = make_screened_in_case(
        screener=p.supervisor_pavlodar, worker=p.caseworker_pavlodar, report=report
    )
    return child, case


def test_a_child_of_another_region_in_a_case_of_ours_is_marked_and_found(
    personas, astana_child_in_a_pavlodar_case
):
    child, _ = astana_child_in_a_pavlodar_case
    child.refresh_from_db()
    assert child.region_code == "71"
    assert child.linked_beyond_region
    assert _found(personas.caseworker_pavlodar, "Дана Жолдасова") == [child]
    assert _found(personas.caseworker_astana, "Жолдасова") == [child]


def test_an_unmarked_child_of_another_region_is_not_found_by_name(
    personas, astana_child_in_a_pavlodar_case
):
    # The mark is what the branch beyond the region reads: without it the child is
    # seen (by the rule) but a search does not reach it. This is why every service
    # that links must mark.
    child, _ = astana_child_in_a_pavlodar_case
    Child.objects.filter(pk=child.pk).update(linked_beyond_region=False)
    assert child in children_visible_to(personas.caseworker_pavlodar)
    assert _found(personas.caseworker_pavlodar, "Жолдасова") == []


def test_a_child_of_our_region_in_our_case_is_not_marked(personas, caseworker_pavlodar):
    case = make_screened_in_case(screener=personas.supervisor_pavlodar, worker=caseworker_pavlodar)
    child = case.children.get()
    assert child.region_code == "55"
    assert not Child.objects.get(pk=child.pk).linked_beyond_region
    assert children_mark_beyond_region(case_ids=[case.pk]) == 0


def test_the_children_of_a_case_offered_by_a_transfer_are_found_by_its_receiver(personas):
    p = personas
    case = make_screened_in_case(screener=p.supervisor_astana, worker=p.caseworker_astana)
    child = case.children.get()
    child_update(
        actor=p.caseworker_astana,
        child=child,
        version=child.version,
        last_name="Серикова",
        first_name="Алия",
    )
    assert _found(p.caseworker_pavlodar, "Серикова") == []
    case_transfer_request(
        actor=p.caseworker_astana,
        case=case,
        version=version_of(case),
        to_organisation=p.dept_pavlodar,
        reason="The family moved",
    )
    # Offered, still Astana's: found through the cases the user sees elsewhere.
    assert not Child.objects.get(pk=child.pk).linked_beyond_region
    assert [c.pk for c in _found(p.caseworker_pavlodar, "Серикова Алия")] == [child.pk]
    case_transfer_decide(
        actor=p.caseworker_pavlodar,
        case=case,
        version=version_of(case),
        accept=True,
        worker=p.caseworker_pavlodar,
    )
    # Now a Pavlodar case of an Astana child: marked.
    assert Child.objects.get(pk=child.pk).linked_beyond_region
    assert [c.pk for c in _found(p.caseworker_pavlodar, "Серикова")] == [child.pk]


def test_a_child_who_moves_away_stays_found_by_the_staff_of_the_case(personas):
    p = personas
    case = make_screened_in_case(screener=p.supervisor_pavlodar, worker=p.caseworker_pavlodar)
    child = case.children.get()
    child_update(
        actor=p.caseworker_pavlodar,
        child=child,
        version=child.version,
        place=p.astana,
        last_name="Ахметова",
    )
    moved = Child.objects.get(pk=child.pk)
    assert (moved.region_code, moved.linked_beyond_region) == ("71", True)
    assert [c.pk for c in _found(p.caseworker_pavlodar, "Ахметова")] == [child.pk]
    assert [c.pk for c in _found(p.caseworker_astana, "Ахметова")] == [child.pk]


@pytest.mark.parametrize(
    "name", ["caseworker_pavlodar", "supervisor_pavlodar", "caseworker_astana", "operator_111"]
)
def test_the_matching_children_are_exactly_the_visible_ones_that_match(
    personas, astana_child_in_a_pavlodar_case, name
):
    p = personas
    for place in (p.pavlodar_city, p.astana):
        make_child(actor=p.caseworker_pavlodar, place=place, first_name="Дана")
    user = p[name]
    matching = name_matches(["дана"])
    assert set(children_visible_to(user, matching=matching)) == set(
        children_visible_to(user).filter(matching)
    )
    assert set(children_visible_to(user, matching=Q())) == set(children_visible_to(user))


@pytest.fixture
def district_caseworker(personas):
    """A caseworker of a district office: the region's children outside the district
    are seen only through a case."""
    office = Organisation.objects.create(
        name="Pavlodar city office",
        kind=Organisation.Kind.CHILD_RIGHTS_OFFICE,
        place=personas.pavlodar_city,
        parent=personas.dept_pavlodar,
    )
    return make_user("caseworker_city", role=Role.CASEWORKER, organisation=office)


@pytest.mark.parametrize(
    "name", ["caseworker_pavlodar", "supervisor_pavlodar", "caseworker_astana", "district"]
)
def test_the_first_matches_are_the_first_of_all_the_visible_ones(
    personas, astana_child_in_a_pavlodar_case, district_caseworker, name
):
    # `first` bounds the region's branch to its first few in the page's order (on
    # PostgreSQL): the first ones must be those of the whole visible set, at any cut.
    p = personas
    # The Astana child of the Pavlodar case sorts first: found beyond the region by
    # Pavlodar's users, within it by Astana's.
    elsewhere, _case = astana_child_in_a_pavlodar_case
    Child.objects.filter(pk=elsewhere.pk).update(last_name="Аахмет")
    places = [p.pavlodar_city] * 4 + [p.pavlodar] * 3 + [p.astana] * 3
    for i, place in enumerate(places):
        make_child(
            actor=p.caseworker_pavlodar, place=place, last_name=f"Ахмет{i % 4}", first_name="Дана"
        )
    user = district_caseworker if name == "district" else p[name]
    order = ("last_name", "first_name", "pk")
    matching = name_matches(["дана"])
    everything = list(children_visible_to(user, matching=matching).order_by(*order))
    assert len(everything) >= 3
    if name != "district":  # the department's case is not the district office's
        assert everything[0] == elsewhere
    for first in (1, 2, 3, len(everything), len(everything) + 5):
        bounded = children_visible_to(user, matching=matching, first=first, ordered_by=order)
        assert list(bounded.order_by(*order)[:first]) == everything[:first]
