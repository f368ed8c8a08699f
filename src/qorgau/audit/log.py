"""Appending to the access log, sealing it into a chain and checking the chain.

`record` is the one call the access gate makes: a plain insert. `seal` later gives
committed entries consecutive `seq` and each a hash, an HMAC-SHA256 (key
QORGAU_AUDIT_KEY) over the canonical JSON of its fields and the previous entry's
hash (ADR 0009); `verify` walks the chain and names the first entry that does not fit.
"""

import datetime as dt
import hashlib
import hmac
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Min
from django.utils import timezone

from qorgau.accounts.models import User
from qorgau.audit.context import current_origin
from qorgau.audit.models import AccessLogEntry, Action

# Any constant: the key of the PostgreSQL advisory lock that serialises sealers.
_SEALER_LOCK = 0x51_0A_D1_7  # "QORG AUDIT"
# Each sealed batch's head goes here too: sent to syslog or other append-only storage,
# it lets an auditor notice a database rewritten between two runs of `verify`.
logger = logging.getLogger("qorgau.audit.seal")
_WRITES = {"POST", "PUT", "PATCH", "DELETE"}
_HASHED_FIELDS = (
    "seq",
    "at",
    "actor_id",
    "actor_username",
    "channel",
    "action",
    "record_kind",
    "record_id",
    "ip",
    "url_name",
    "path",
    "method",
    "reason",
    "query_hash",
    "result_count",
    "prev_hash",
)


def _key() -> bytes:
    return settings.QORGAU_AUDIT_KEY.encode()


def _canonical(value: object) -> object:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return value


def entry_hash(entry: AccessLogEntry) -> str:
    """HMAC-SHA256 over the entry's fields (previous hash included), canonical JSON."""
    payload = {name: _canonical(getattr(entry, name)) for name in _HASHED_FIELDS}
    message = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hmac.new(_key(), message.encode(), hashlib.sha256).hexdigest()


def query_hash(*parts: object) -> str:
    """A keyed hash of a search query: the same search hashes alike, the text is gone.

    Keyed, because an IIN has few enough values to be found from a plain hash.
    """
    message = "\x1f".join("" if p is None else str(p) for p in parts)
    return hmac.new(_key(), b"search\x1f" + message.encode(), hashlib.sha256).hexdigest()


def append(**fields: object) -> AccessLogEntry:
    """Add an unsealed entry: one plain INSERT, no lock, no read of the chain (ADR 0009).

    It is part of the log once the caller's transaction commits; `seal` chains it.
    """
    entry = AccessLogEntry(at=timezone.now(), **fields)
    entry.save()
    return entry


def _lock_sealer() -> None:
    """One sealer at a time, so the chain stays linear.

    PostgreSQL: a transaction-scoped advisory lock; appends never take it. SQLite
    serialises writing transactions itself, and the unique `seq` and `prev_hash`
    turn any fork into an IntegrityError.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_SEALER_LOCK])


def _seal_batch(batch_size: int) -> int:
    with transaction.atomic():
        _lock_sealer()
        # Only committed entries are visible here; one committed late (a long
        # transaction) simply goes into a later batch: `seq`, not `id`, is chain order.
        last = (
            AccessLogEntry.objects.filter(seq__isnull=False)
            .order_by("-seq")
            .values_list("seq", "hash")
            .first()
        )
        seq, prev = (last[0] or 0, last[1] or "") if last else (0, "")
        batch = list(AccessLogEntry.objects.filter(seq__isnull=True).order_by("id")[:batch_size])
        rows = []
        for entry in batch:
            seq += 1
            entry.seq, entry.prev_hash = seq, prev
            prev = entry.hash = entry_hash(entry)
            rows.append((entry.seq, entry.prev_hash, entry.hash, entry.pk))
        if rows:
            # The one write to an existing entry: the model and its queryset refuse
            # updates, and `seq IS NULL` keeps it from resealing anything sealed.
            table = connection.ops.quote_name(AccessLogEntry._meta.db_table)
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"UPDATE {table} SET seq = %s, prev_hash = %s, hash = %s "  # noqa: S608
                    "WHERE id = %s AND seq IS NULL",
                    rows,
                )
            logger.info("access log sealed to seq=%s hash=%s", seq, prev)
    return len(rows)


def seal(*, batch_size: int = 5000) -> int:
    """Seal every committed unsealed entry into the chain, in batches; return how many."""
    sealed = 0
    while True:
        count = _seal_batch(batch_size)
        sealed += count
        if count < batch_size:
            return sealed


def record(
    *,
    actor: User,
    action: str,
    kind: str,
    record_id: int | None = None,
    reason: str = "",
    query: Iterable[object] | None = None,
    result_count: int | None = None,
) -> AccessLogEntry | None:
    """Log one access to personal data by `actor`.

    Call it after the record was found; the gate logs a refusal of a real record
    itself (Action.REFUSED). A view in a request that writes (POST, PUT, PATCH,
    DELETE) is logged as a change: the record was opened to be saved. `query` is the
    search as given; only its keyed hash is stored.
    """
    if not settings.QORGAU_AUDIT_ENABLED:
        return None
    origin = current_origin()
    if action == Action.VIEW and origin.method in _WRITES:
        action = Action.CHANGE
    return append(
        actor_id=actor.pk,
        actor_username=(actor.get_username() if actor.is_authenticated else "")[:150],
        channel=origin.channel,
        action=action,
        record_kind=kind,
        record_id=record_id,
        ip=origin.ip,
        url_name=origin.url_name,
        path=origin.path,
        method=origin.method,
        reason=reason,
        query_hash=query_hash(*query) if query is not None else "",
        result_count=result_count,
    )


def record_list(*, actor: User, kind: str, count: int) -> AccessLogEntry | None:
    """Log one page's list of `kind` records (names, concerns) with how many it showed.

    A list hands out no record through the gate, so the page logs it: one entry per
    list view and kind, not one per row. An empty list showed nobody: nothing is logged.
    """
    if count == 0:
        return None
    return record(actor=actor, action=Action.LIST, kind=kind, result_count=count)


@dataclass(frozen=True)
class Break:
    """The first entry where the chain does not hold."""

    entry_id: int
    seq: int
    at: dt.datetime
    problem: str


@dataclass(frozen=True)
class Verdict:
    checked: int
    head_seq: int
    head_hash: str
    first_break: Break | None
    unsealed: int
    oldest_unsealed: dt.datetime | None


def verify(*, chunk_size: int = 2000) -> Verdict:
    """Recompute every sealed hash and link, in order; stop at the first that does not fit.

    Unsealed entries are no part of the chain yet: counted, with the oldest's time.
    """
    expected_seq, expected_prev, checked = 1, "", 0
    broken = None
    sealed = AccessLogEntry.objects.filter(seq__isnull=False).order_by("seq")
    for entry in sealed.iterator(chunk_size=chunk_size):
        problem = None
        seq = entry.seq or 0  # sealed entries only: never None
        if seq != expected_seq:
            problem = (
                f"missing predecessor: entries {expected_seq} to {seq - 1} were deleted"
                if seq > expected_seq
                else f"sequence number {seq} out of order (expected {expected_seq})"
            )
        elif entry.prev_hash != expected_prev:
            problem = "broken link: its previous hash is not the hash of the entry before it"
        elif not hmac.compare_digest(entry.hash or "", entry_hash(entry)):
            problem = "altered content: the stored hash does not match the entry's fields"
        if problem is not None:
            broken = Break(entry.pk, seq, entry.at, problem)
            break
        checked += 1
        expected_seq, expected_prev = seq + 1, entry.hash or ""
    unsealed = AccessLogEntry.objects.filter(seq__isnull=True).aggregate(
        count=Count("id"), oldest=Min("at")
    )
    head_seq = expected_seq - 1
    return Verdict(checked, head_seq, expected_prev, broken, unsealed["count"], unsealed["oldest"])
