"""`qorgau check_postgres` reads the server's settings and advises on the ones that matter."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from qorgau.ops.postgres import NAMES, findings

DEFAULTS = {
    "work_mem": ("4096", "kB"),
    "jit": ("on", ""),
    "shared_buffers": ("16384", "8kB"),
    "random_page_cost": ("4", ""),
    "max_connections": ("100", ""),
}
TUNED = {
    "work_mem": ("32768", "kB"),
    "jit": ("off", ""),
    "shared_buffers": ("131072", "8kB"),
    "random_page_cost": ("1.1", ""),
    "max_connections": ("200", ""),
}


def test_postgres_defaults_get_advice_for_each_setting_that_slows_qorgau():
    advised = {f.name: f.value for f in findings(DEFAULTS, connections_needed=150) if f.advice}
    assert advised == {
        "work_mem": "4 MB",
        "jit": "on",
        "shared_buffers": "128 MB",
        "random_page_cost": "4",
        "max_connections": "100",
    }


def test_a_tuned_server_gets_no_advice():
    assert [f.advice for f in findings(TUNED, connections_needed=150)] == [""] * len(NAMES)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="reads a PostgreSQL server")
@pytest.mark.django_db
def test_the_command_reads_the_live_server():
    out = StringIO()
    try:
        call_command("check_postgres", "--strict", stdout=out)
    except CommandError as error:
        assert "setting(s) to change" in str(error)
    for name in NAMES:
        assert f"{name} = " in out.getvalue()


def test_the_command_refuses_a_database_that_is_not_postgresql():
    if connection.vendor == "postgresql":
        pytest.skip("needs a database that is not PostgreSQL")
    with pytest.raises(CommandError, match="not a PostgreSQL database"):
        call_command("check_postgres")
