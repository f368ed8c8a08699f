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


@pytest.mark.skipif(connection.vendor != "postgresql", reason="reads a PostgreSQL server")
@pytest.mark.django_db
def test_the_deploy_check_warns_of_jit_and_a_tiny_work_mem_on_the_live_server():
    from qorgau.ops.checks import postgres_settings

    with connection.cursor() as cursor:
        try:
            cursor.execute("SET jit = on")
            cursor.execute("SET work_mem = '1MB'")
            ids = {w.id for w in postgres_settings(databases=["default"])}
            assert ids == {"qorgau.ops.W001", "qorgau.ops.W002"}
            cursor.execute("SET jit = off")
            cursor.execute("SET work_mem = '32MB'")
            assert postgres_settings(databases=["default"]) == []
            assert postgres_settings(databases=None) == []  # no --database: no query
        finally:
            cursor.execute("RESET jit")
            cursor.execute("RESET work_mem")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="reads a PostgreSQL server")
@pytest.mark.django_db
def test_the_deploy_check_is_registered_for_check_deploy_and_quiet_when_unreachable(
    monkeypatch,
):
    from django.core.checks import registry
    from django.db import OperationalError

    from qorgau.ops import checks

    assert checks.postgres_settings in registry.registry.get_checks(include_deployment_checks=True)
    assert checks.postgres_settings not in registry.registry.get_checks()

    def down(connection):
        raise OperationalError("connection refused")

    monkeypatch.setattr(checks, "read_settings", down)
    assert checks.postgres_settings(databases=["default"]) == []
