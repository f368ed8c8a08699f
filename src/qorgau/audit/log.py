"""Appending to the access log and checking its chain.

`record` is the one call the access gate makes. Each entry's hash is an HMAC-SHA256
(key QORGAU_AUDIT_KEY) over the canonical JSON of its fields and the previous
entry's hash; `verify` walks the chain and names the first entry that does not fit.
"""

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from qorgau.accounts.models import User
from qorgau.audit.context import current_origin
from qorgau.audit.models import AccessLogEntry, Action

# Any constant: the key of the PostgreSQL advisory lock that serialises appends.
_CHAIN_LOCK = 0x51_0A_D1_7  # "QORG AUDIT"
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


def _lock_chain() -> None:
    """Serialise appends so the chain stays linear.

    PostgreSQL: a transaction-scoped advisory lock. It also covers the empty chain,
    where there is no last row to `select_for_update`, and never blocks readers.
    SQLite serialises writing transactions itself; the unique `seq` and `prev_hash`
    turn any fork into an IntegrityError, which `append` retries.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])


def append(**fields: object) -> AccessLogEntry:
    """Add an entry at the end of the chain, in the caller's transaction if any."""
    for attempt in range(3):
        try:
            with transaction.atomic():
                _lock_chain()
                last = AccessLogEntry.objects.order_by("-seq").only("seq", "hash").first()
                entry = AccessLogEntry(
                    seq=last.seq + 1 if last else 1,
                    prev_hash=last.hash if last else "",
                    at=timezone.now(),
                    **fields,
                )
                entry.hash = entry_hash(entry)
                entry.save()
                return entry
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


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
    """Log one successful access to personal data by `actor`.

    Call it after the record was found (a 404 logs nothing). `query` is the search
    as given; only its keyed hash is stored.
    """
    if not settings.QORGAU_AUDIT_ENABLED:
        return None
    origin = current_origin()
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


def verify(*, chunk_size: int = 2000) -> Verdict:
    """Recompute every hash and link, in order; stop at the first that does not fit."""
    expected_seq, expected_prev, checked = 1, "", 0
    for entry in AccessLogEntry.objects.order_by("seq").iterator(chunk_size=chunk_size):
        problem = None
        if entry.seq != expected_seq:
            problem = (
                f"missing predecessor: entries {expected_seq} to {entry.seq - 1} were deleted"
                if entry.seq > expected_seq
                else f"sequence number {entry.seq} out of order (expected {expected_seq})"
            )
        elif entry.prev_hash != expected_prev:
            problem = "broken link: its previous hash is not the hash of the entry before it"
        elif not hmac.compare_digest(entry.hash, entry_hash(entry)):
            problem = "altered content: the stored hash does not match the entry's fields"
        if problem is not None:
            broken = Break(entry.pk, entry.seq, entry.at, problem)
            return Verdict(checked, expected_seq - 1, expected_prev, broken)
        checked += 1
        expected_seq, expected_prev = entry.seq + 1, entry.hash
    return Verdict(checked, expected_seq - 1, expected_prev, None)
