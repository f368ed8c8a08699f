"""The intake lookup costs the children of the name and date entered, not the registry
(PostgreSQL): each block is read through an index, the date block brings only children
sharing a name word, and the misspelt-name block looks in one district."""

import datetime as dt

import pytest
from django.db import connection

from cases.test_access_query_plans import _query_plan, _scanned
from personas import make_child
from qorgau.linkage import selectors
from qorgau.linkage.scoring import Entered

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="query plans are PostgreSQL's"
)

BORN = dt.date(2015, 3, 1)
# Thousands of children elsewhere: one common surname, many first names, one birthday
# shared by a few hundred of them.
ELSEWHERE = """
INSERT INTO children_child (last_name, first_name, middle_name, other_spelling, search_key,
  birth_date, birth_date_estimated, sex, address, languages, disability, disability_note,
  created_at, version, created_by_id, place_id, region_code, linked_beyond_region)
SELECT 'Ахметов', 'Name' || (g %% 300), '', '', 'ахметов name' || (g %% 300),
  CASE WHEN g %% 10 = 0 THEN %(born)s::date ELSE %(born)s::date - (g %% 3000) END,
  false, 'M', '', '', false, '', now(), 1, %(worker)s, %(place)s, %(region)s, false
FROM generate_series(1, %(n)s) g;
ANALYZE children_child;
"""


@pytest.fixture
def country(personas):
    with connection.cursor() as cursor:
        cursor.execute(
            ELSEWHERE,
            {
                "born": BORN,
                "worker": personas.caseworker_astana.pk,
                "place": personas.astana.pk,
                "region": personas.astana.region_code,
                "n": 5000,
            },
        )


def test_every_block_is_read_through_an_index(country):
    entered = Entered(last_name="Ахметов", first_name="Ерлан", birth_date=BORN)
    plans = [
        _query_plan(block.values("pk")[:200], seqscan=False)
        for block in selectors.candidate_blocks(entered)
    ]
    assert len(plans) == 2  # the date, the names
    # Which index PostgreSQL picks follows the data (the date, or the name words);
    # what matters is that neither block reads the table through.
    assert [_scanned(plan) for plan in plans] == [set(), set()], plans


def test_the_date_block_brings_only_children_sharing_a_name_word(
    country, caseworker_pavlodar, pavlodar_city
):
    # 500 children of Astana were born that day; none is called Ерлан or Сейтказин.
    entered = Entered(last_name="Сейтказин", first_name="Ерлан", birth_date=BORN)
    same = make_child(
        actor=caseworker_pavlodar,
        place=pavlodar_city,
        last_name="Сейтказин",
        first_name="Ерболат",
        birth_date=BORN,
    )
    assert selectors._candidate_ids(entered) == {same.pk}


def test_the_misspelt_name_is_looked_for_in_the_district_entered(
    country, caseworker_pavlodar, caseworker_astana, pavlodar_city, astana
):
    names = {"last_name": "Ахметов", "first_name": "Ерлан", "birth_date": BORN}
    ours = make_child(actor=caseworker_pavlodar, place=pavlodar_city, **names)
    make_child(actor=caseworker_astana, place=astana, **names)
    entered = Entered(last_name="Ахметов", first_name="Ерлн", kato=pavlodar_city.kato)
    area = pavlodar_city.kato[:4]
    assert selectors._typo_ids(entered, area) == {ours.pk}
    for block in selectors.typo_blocks(entered, area):
        plan = _query_plan(block.values("pk")[:200], seqscan=False)
        assert _scanned(plan) == set(), plan  # the name words' or the district's index
