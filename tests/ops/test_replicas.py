"""Reads that asked for the replica go there; writes, and reads after a write, do not.

The router is tested on any database; the real streaming replica only where
QORGAU_TEST_REPLICA_URL names one (.ci/replica starts it on this machine).
"""

import os
import time

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qorgau import replicas
from qorgau.places.models import Place
from qorgau.replicas import REPLICA, ReplicaRouter, reads_from_replica

router = ReplicaRouter()


@pytest.fixture
def with_replica(monkeypatch):
    monkeypatch.setattr(replicas, "replica_available", lambda: True)


def test_reads_stay_on_the_primary_unless_the_code_asks(with_replica):
    assert router.db_for_read(Place) is None
    with reads_from_replica():
        assert router.db_for_read(Place) == REPLICA
    assert router.db_for_read(Place) is None


def test_after_a_write_the_rest_of_the_block_reads_the_primary(with_replica):
    with reads_from_replica():
        assert router.db_for_write(Place) == "default"
        assert router.db_for_read(Place) is None
    with reads_from_replica():  # a new request starts on the replica again
        assert router.db_for_read(Place) == REPLICA


def test_without_a_replica_everything_is_on_the_primary():
    with reads_from_replica():
        assert router.db_for_read(Place) is None
    assert router.allow_migrate(REPLICA, "places") is False


replica = pytest.mark.skipif(
    not os.environ.get("QORGAU_TEST_REPLICA_URL"),
    reason="needs a streaming replica: QORGAU_TEST_REPLICA_URL (see .ci/replica)",
)


def _caught_up(timeout: float = 10) -> None:
    """Wait until the replica has replayed everything the primary has written."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        target = cursor.fetchone()[0]
    deadline = time.monotonic() + timeout
    with connections[REPLICA].cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if cursor.fetchone()[0]:
                return
            if time.monotonic() > deadline:
                raise AssertionError("the replica did not catch up in time")
            time.sleep(0.05)


def _new_place(kato: str) -> Place:
    region = Place.objects.filter(parent=None).order_by("kato").first()
    return Place.objects.create(
        kato=kato, kind=Place.Kind.DISTRICT, parent=region, name_kk="Т", name_ru="Т", name_en="T"
    )


@replica
@pytest.mark.replica
@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_the_replica_is_a_standby_of_the_primary():
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone()[0] is True
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone()[0] is False


@replica
@pytest.mark.replica
@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_reads_go_to_the_replica_writes_to_the_primary_and_a_write_is_read_back():
    place = _new_place("559900001")
    _caught_up()
    primary, standby = connections["default"], connections[REPLICA]
    with reads_from_replica():
        with (
            CaptureQueriesContext(primary) as on_primary,
            CaptureQueriesContext(standby) as on_replica,
        ):
            assert Place.objects.get(pk=place.pk).name_en == "T"
        assert len(on_replica) == 1 and len(on_primary) == 0
        with (
            CaptureQueriesContext(primary) as on_primary,
            CaptureQueriesContext(standby) as on_replica,
        ):
            Place.objects.filter(pk=place.pk).update(name_en="Renamed")
            # At once, before any replay: the primary answers.
            assert Place.objects.get(pk=place.pk).name_en == "Renamed"
        assert len(on_replica) == 0 and len(on_primary) == 2


@replica
@pytest.mark.replica
@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_the_statistics_page_reads_from_the_replica(client, national_analyst):
    client.force_login(national_analyst)
    _caught_up()
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        response = client.get(reverse("statistics"))
    assert response.status_code == 200
    assert len(on_replica) > 0


@replica
@pytest.mark.replica
@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_a_page_that_did_not_ask_reads_only_the_primary(client, caseworker_pavlodar):
    client.force_login(caseworker_pavlodar)
    _caught_up()
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        response = client.get(reverse("my-work"))
    assert response.status_code == 200
    assert len(on_replica) == 0
