"""What the busiest pages cost in queries: a fixed number, whatever the data (issue 7).

Every request pays a fixed part (the session, the user with their organisation and its
place in one query, the second factor's device) and each page its own lists; nothing
may be asked twice in one request (the access gate's reach is read once per GET) nor
once per row. The numbers are today's: a change that adds a query to a page must say
why here. The same on PostgreSQL and SQLite, but for the near-spelling search.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from personas import make_case, make_child

# The fixed part: session, user (+ organisation + place), OTP device.
FIXED = 3
# On PostgreSQL a search that fills no page asks again with near spellings.
NEAR = 1 if connection.vendor == "postgresql" else 0
BUDGET = {
    "my work": 16,
    "case": 27,  # the housing needs panel (issue 11); the case's lists read once (issue 7)
    "child": 13,
    "search": 8 + NEAR,  # the page's places read after it (issue 7)
    "search, nothing found": 6 + NEAR,
}


def _queries(client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return [q["sql"] for q in queries]


@pytest.fixture
def pages(client, caseworker_pavlodar, supervisor_pavlodar):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="active")
    child = case.children.get()
    client.force_login(caseworker_pavlodar)
    client.get("/")  # the session's first write after login
    return {
        "my work": "/",
        "case": f"/cases/{case.pk}/",
        "child": f"/children/{child.pk}/",
        "search": f"/children/?q={child.last_name}",
        "search, nothing found": "/children/?q=Щжфыв",
    }


@pytest.mark.parametrize("page", list(BUDGET))
def test_a_page_costs_its_budget_of_queries(client, pages, page):
    queries = _queries(client, pages[page])
    assert len(queries) <= FIXED + BUDGET[page], "\n".join(queries)


@pytest.mark.parametrize("page", list(BUDGET))
def test_no_page_asks_the_same_query_twice(client, pages, page):
    queries = _queries(client, pages[page])
    repeated = sorted({q for q in queries if queries.count(q) > 1})
    assert repeated == []


def test_the_case_page_reads_each_of_the_cases_lists_once(client, pages):
    """The case's assessments, transfers and screenings are shown and also asked by the
    actions offered (a pending sign-off or transfer, outstanding safety work): one read
    each per page, shared through qorgau.memo."""
    queries = _queries(client, pages["case"])
    read = [re.search(r'FROM "(\w+)"', q) for q in queries]
    tables = [m.group(1) for m in read if m]  # what each query reads first
    for table in ("cases_assessment", "cases_transfer", "safety_screening"):
        assert tables.count(table) == 1, table


def test_my_work_costs_the_same_for_one_case_or_four(
    client, pages, caseworker_pavlodar, supervisor_pavlodar
):
    with_one = len(_queries(client, "/"))
    for _ in range(3):
        make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar)
    assert len(_queries(client, "/")) == with_one


def test_a_search_costs_the_same_for_one_match_or_five(client, pages, caseworker_pavlodar):
    make_child(actor=caseworker_pavlodar, last_name="Серикбаева", first_name="Алия")
    with_one = len(_queries(client, "/children/?q=Серикбаева"))
    for _ in range(4):
        make_child(actor=caseworker_pavlodar, last_name="Серикбаева", first_name="Алия")
    assert len(_queries(client, "/children/?q=Серикбаева")) == with_one
