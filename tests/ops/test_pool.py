"""The production connection pool opens and hands out working connections."""

import os
import subprocess
import sys

import pytest
from django.db import connection

SCRIPT = """
import django
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("SELECT 1")
    assert cursor.fetchone() == (1,)
print(connection.pool.max_size, connection.settings_dict["CONN_MAX_AGE"])
"""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL pool")
@pytest.mark.django_db
def test_the_pool_settings_give_a_working_psycopg_pool():
    # The test database: DATABASE_URL's own database need not exist (CI makes none).
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = dict(os.environ, DATABASE_URL=url, QORGAU_DB_POOL="1", QORGAU_SERVE_THREADS="3")
    env.setdefault("DJANGO_SETTINGS_MODULE", "qorgau.settings")
    result = subprocess.run(  # noqa: S603 - this interpreter, our script
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["3", "0"]
