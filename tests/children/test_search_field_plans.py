"""Search by address and by a relative's name reads trigram indexes (PostgreSQL).

With sequential scans priced out (a test database is small enough to read whole, a
country is not), the plan must use `child_address_trgm_idx` and
`family_member_name_trgm_idx`: without the indexes of children.0007 it cannot.
"""

import pytest
from django.db import connection

from qorgau.access import children_visible_to
from qorgau.search import SearchBy, _by_field

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="query plans are PostgreSQL's"
)


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(
    ("by", "index"),
    [
        (SearchBy.ADDRESS, "child_address_trgm_idx"),
        (SearchBy.FAMILY, "family_member_name_trgm_idx"),
    ],
)
def test_search_by_address_and_relative_reads_the_trigram_index(caseworker_pavlodar, by, index):
    found = _by_field(children_visible_to(caseworker_pavlodar), by, "ленина")
    assert index in _plan(found)


def test_search_by_school_reads_no_whole_children_table(caseworker_pavlodar):
    found = _by_field(children_visible_to(caseworker_pavlodar), SearchBy.SCHOOL, "no. 7")
    assert "Seq Scan on children_child" not in _plan(found)
