"""Every list that can grow comes in pages, without counting the whole list."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from personas import make_case, make_report
from qorgau import paging
from qorgau.cases.models import Case


def test_a_page_reads_one_row_more_to_know_a_next_page_exists():
    rows = list(range(1, 6))
    first, second, last = (paging.page_of(rows, size=2, number=n) for n in (1, 2, 3))
    assert list(first) == [1, 2] and first.has_next and not first.has_previous
    assert list(second) == [3, 4] and second.has_next and second.has_previous
    assert list(last) == [5] and not last.has_next
    assert (first.counted, second.counted, last.counted) == ("2+", "4+", "5")


@pytest.mark.parametrize("value", ["abc", "-1", "0", "²", "", "99999999999"])
def test_a_page_number_that_is_not_a_plain_number_is_the_first_page(value):
    request = RequestFactory().get("/", {"page": value})
    assert paging.page_of([1, 2, 3], request, size=2).number == 1


def test_the_page_links_keep_the_other_parameters():
    request = RequestFactory().get("/", {"q": "Dana", "cases": "2"})
    page = paging.page_of(list(range(10)), request, param="cases", size=2)
    assert page.number == 2
    assert page.next_url == "?q=Dana&cases=3" and page.previous_url == "?q=Dana&cases=1"


def test_my_cases_stop_at_the_page_size_and_the_next_page_has_the_rest(
    client, monkeypatch, caseworker_pavlodar, supervisor_pavlodar
):
    monkeypatch.setattr(paging, "PAGE_SIZE", 2)
    cases = [make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar) for _ in "abc"]
    client.force_login(caseworker_pavlodar)
    first = client.get(reverse("my-work")).content.decode()
    second = client.get(reverse("my-work"), {"cases": 2}).content.decode()
    # Same risk (none yet): the oldest first.
    assert [c.reference in first for c in cases] == [True, True, False]
    assert [c.reference in second for c in cases] == [False, False, True]
    assert "cases=2" in first and "cases=1" in second


def test_reports_to_screen_come_in_pages(
    client, monkeypatch, operator_111, caseworker_pavlodar, pavlodar_city
):
    monkeypatch.setattr(paging, "PAGE_SIZE", 2)
    reports = [make_report(actor=operator_111, place=pavlodar_city) for _ in "abc"]
    client.force_login(caseworker_pavlodar)
    first = client.get(reverse("my-work")).content.decode()
    second = client.get(reverse("my-work"), {"screen": 2}).content.decode()
    assert sum(r.reference in first for r in reports) == 2
    assert sum(r.reference in second for r in reports) == 1
    assert "screen=2" in first


def test_approvals_come_in_pages(client, monkeypatch, caseworker_pavlodar, supervisor_pavlodar):
    monkeypatch.setattr(paging, "PAGE_SIZE", 2)
    waiting = [
        make_case(
            worker=caseworker_pavlodar,
            supervisor=supervisor_pavlodar,
            status=Case.Status.PLAN_SUBMITTED,
        )
        for _ in "abc"
    ]
    client.force_login(supervisor_pavlodar)
    first = client.get(reverse("approvals")).content.decode()
    second = client.get(reverse("approvals"), {"approvals": 2}).content.decode()
    assert [c.reference in first for c in waiting] == [True, True, False]
    assert [c.reference in second for c in waiting] == [False, False, True]
