"""The app's PostgreSQL sessions are set up for short OLTP queries and name search."""

import pytest
from django.db import connection

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL session settings"
)


def _show(setting: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {setting}")
        return cursor.fetchone()[0]


def test_jit_is_off_for_the_apps_connections(db):
    assert _show("jit") == "off"


def test_a_one_letter_slip_is_within_the_name_search_threshold(db):
    assert float(_show("pg_trgm.word_similarity_threshold")) == 0.5
