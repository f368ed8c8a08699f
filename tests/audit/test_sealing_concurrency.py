"""Appends at once on real PostgreSQL connections: no global lock, one linear chain.

ADR 0009: an append is a plain insert; only the sealer takes the chain's lock. So an
append goes through while a sealer holds it, many writers append side by side, and
sealers racing each other still leave one chain that `verify` accepts, and that goes
red when a sealed entry is changed.
"""

import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction

from qorgau.audit import log
from qorgau.audit.models import AccessLogEntry

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="advisory locks and concurrent writers need PostgreSQL (set DATABASE_URL)",
    ),
]

THREADS, APPENDS = 8, 25


def _append(record_id: int) -> None:
    log.append(channel="system", action="view", record_kind="child", record_id=record_id)


def _in_threads(*calls):
    errors: list[BaseException] = []

    def run(call):
        try:
            call()
        except BaseException as error:  # kept for the assertion to show
            errors.append(error)
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return errors


def _verify() -> str:
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def test_an_append_does_not_wait_for_a_sealer_holding_the_chain():
    holding, appended = threading.Event(), threading.Event()
    seen_while_holding = []

    def sealer_holds_the_lock():
        with transaction.atomic():
            log._lock_sealer()
            holding.set()
            # Without ADR 0009 the append takes this same lock and cannot finish.
            seen_while_holding.append(appended.wait(timeout=5))

    def append_meanwhile():
        assert holding.wait(timeout=5)
        _append(1)
        appended.set()

    assert _in_threads(sealer_holds_the_lock, append_meanwhile) == []
    assert seen_while_holding == [True]


def test_concurrent_appends_and_sealers_make_one_chain_that_verify_checks():
    def writer(n):
        return lambda: [_append(n) for _ in range(APPENDS)]

    def sealer():
        for _ in range(10):
            log.seal(batch_size=7)

    calls = [writer(n) for n in range(THREADS)] + [sealer, sealer]
    assert _in_threads(*calls) == []
    log.seal()
    assert not AccessLogEntry.objects.filter(seq__isnull=True).exists()
    seqs = sorted(AccessLogEntry.objects.values_list("seq", flat=True))
    assert seqs == list(range(1, THREADS * APPENDS + 1))
    assert f"intact: {THREADS * APPENDS} entries" in _verify()

    table = connection.ops.quote_name(AccessLogEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET record_id = 999 WHERE seq = 100")  # noqa: S608
    with pytest.raises(CommandError) as caught:
        _verify()
    assert caught.value.returncode == 1
    assert "seq=100" in str(caught.value) and "altered content" in str(caught.value)


def test_an_entry_committed_late_is_sealed_after_later_ones():
    """A long transaction appends first and commits last: `seq`, not `id`, orders."""
    appended, sealed = threading.Event(), threading.Event()

    def long_transaction():
        with transaction.atomic():
            _append(1)
            appended.set()
            assert sealed.wait(timeout=10)

    def quick_then_seal():
        assert appended.wait(timeout=10)
        _append(2)
        assert log.seal() == 1  # the long transaction's entry is not committed yet
        sealed.set()

    assert _in_threads(long_transaction, quick_then_seal) == []
    assert log.seal() == 1
    early, late = AccessLogEntry.objects.order_by("id")
    assert (early.record_id, early.seq) == (1, 2)
    assert (late.record_id, late.seq) == (2, 1)
    assert "intact: 2 entries" in _verify()
