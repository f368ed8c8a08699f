"""The log cannot be changed through the ORM, and `audit verify` catches changes
made around it (raw SQL, as someone with database access would)."""

import datetime as dt
from io import StringIO

import pytest
from django.contrib.admin.sites import site
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone

from qorgau.access import access_case
from qorgau.audit.log import entry_hash, seal
from qorgau.audit.models import AccessLogEntry, AppendOnlyError


@pytest.fixture
def chain(caseworker_pavlodar, case) -> list[AccessLogEntry]:
    for _ in range(4):
        access_case(caseworker_pavlodar, case.pk)
    seal()
    return list(AccessLogEntry.objects.order_by("seq"))


def _raw(sql: str, *params: object) -> None:
    table = connection.ops.quote_name(AccessLogEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql.format(table=table), params)


def _verify(*args: str) -> str:
    out = StringIO()
    call_command("audit", "verify", *args, stdout=out)
    return out.getvalue()


def _broken(*args: str, returncode: int = 1) -> str:
    with pytest.raises(CommandError) as caught:
        _verify(*args)
    assert caught.value.returncode == returncode
    return str(caught.value)


def test_an_entry_cannot_be_changed_or_deleted_through_the_orm(chain):
    entry = chain[0]
    entry.record_id = 999
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.filter(pk=entry.pk).update(record_id=999)
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.bulk_create([AccessLogEntry()])
    assert AccessLogEntry.objects.get(pk=entry.pk).record_id != 999


def test_the_admin_is_read_only(chain, administrator):
    admin = site._registry[AccessLogEntry]
    request = RequestFactory().get("/")
    request.user = administrator
    assert not admin.has_add_permission(request)
    assert not admin.has_change_permission(request, chain[0])
    assert not admin.has_delete_permission(request, chain[0])


def test_verify_passes_on_an_intact_chain(chain):
    out = _verify()
    assert "intact: 4 entries" in out
    assert chain[-1].hash in out


def test_verify_passes_on_an_empty_log(db):
    assert "intact: 0 entries" in _verify()


def test_verify_names_an_altered_entry(chain):
    _raw("UPDATE {table} SET record_id = %s WHERE seq = %s", 999, 2)
    message = _broken()
    assert f"id={chain[1].pk} seq=2" in message
    assert "altered content" in message
    assert "1 entries before it are intact" in message


def test_verify_names_the_entry_after_a_deleted_one(chain):
    _raw("DELETE FROM {table} WHERE seq = %s", 2)
    message = _broken()
    assert f"id={chain[2].pk} seq=3" in message
    assert "missing predecessor" in message


def test_verify_notices_a_deleted_first_entry(chain):
    _raw("DELETE FROM {table} WHERE seq = %s", 1)
    assert "seq=2" in _broken()


def test_verify_notices_a_rewritten_link(chain):
    _raw("UPDATE {table} SET prev_hash = %s WHERE seq = %s", "0" * 64, 3)
    message = _broken()
    assert "seq=3" in message and "broken link" in message


def test_a_rehashed_forgery_without_the_key_is_caught(chain, settings):
    """Recomputing the hash with a guessed key does not make an altered entry fit."""
    forged = AccessLogEntry.objects.get(seq=2)
    forged.record_id = 999
    real_key = settings.QORGAU_AUDIT_KEY
    settings.QORGAU_AUDIT_KEY = "a-guessed-key"
    _raw(
        "UPDATE {table} SET record_id = %s, hash = %s WHERE seq = %s",
        999,
        entry_hash(forged),
        2,
    )
    settings.QORGAU_AUDIT_KEY = real_key
    assert "seq=2" in _broken()


def test_seal_chains_entries_in_batches_and_only_once(caseworker_pavlodar, case):
    for _ in range(5):
        access_case(caseworker_pavlodar, case.pk)
    assert seal(batch_size=2) == 5
    assert seal() == 0
    access_case(caseworker_pavlodar, case.pk)
    out = StringIO()
    call_command("audit", "seal", stdout=out)
    assert "1 entries sealed" in out.getvalue()
    assert list(AccessLogEntry.objects.order_by("id").values_list("seq", flat=True)) == [
        1,
        2,
        3,
        4,
        5,
        6,
    ]
    assert "intact: 6 entries" in _verify()


def test_verify_seals_what_was_appended_since_the_last_seal(chain, caseworker_pavlodar, case):
    access_case(caseworker_pavlodar, case.pk)
    out = _verify()
    assert "intact: 5 entries" in out
    assert "not sealed" not in out


def test_verify_without_sealing_reports_unsealed_entries(chain, caseworker_pavlodar, case):
    access_case(caseworker_pavlodar, case.pk)
    out = _verify("--no-seal")
    assert "intact: 4 entries" in out
    assert "1 entries not sealed yet" in out


def test_entries_left_unsealed_too_long_mean_the_sealer_stopped(chain, caseworker_pavlodar, case):
    access_case(caseworker_pavlodar, case.pk)
    an_hour_ago = timezone.now() - dt.timedelta(hours=1)
    _raw("UPDATE {table} SET at = %s WHERE seq IS NULL", an_hour_ago)
    message = _broken("--no-seal", returncode=2)
    assert "unsealed for more than 60 s" in message


def test_verify_notices_an_inserted_entry(chain):
    """A row written around the app, made to look sealed, has no valid hash."""
    _raw(
        "INSERT INTO {table} (seq, at, actor_id, actor_username, channel, action, "
        "record_kind, record_id, ip, url_name, path, method, reason, query_hash, "
        "result_count, prev_hash, hash) SELECT 5, at, actor_id, actor_username, channel, "
        "action, record_kind, 1, ip, url_name, path, method, reason, query_hash, "
        "result_count, hash, %s FROM {table} WHERE seq = 4",
        "f" * 64,
    )
    message = _broken()
    assert "seq=5" in message and "altered content" in message


def test_unsealing_and_changing_an_entry_leaves_a_gap(chain):
    """Clearing a sealed entry's seal so the sealer rehashes it does not hide the change."""
    _raw(
        "UPDATE {table} SET seq = NULL, hash = NULL, prev_hash = NULL, record_id = 999 "
        "WHERE seq = 2"
    )
    message = _broken()
    assert "seq=3" in message and "missing predecessor" in message
