"""Reads that may be seconds stale can go to a PostgreSQL streaming replica.

Nothing goes to the replica unless a view asks for it with `@replica_reads` (the
statistics, the auditor's pages): every other read, every write, the access gate's
reads of the user's own work and the login stay on the primary. Once a request has
written anything, the rest of it reads from the primary too, so a record just written
is read back as written ("read your writes"). Without `DATABASE_REPLICA_URL` there is
no `replica` database and everything is on the primary.

The router is in this neutral module (it imports no app) so that views of every app
can opt in; see docs/scaling.md.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings

REPLICA = "replica"
PRIMARY = "default"

_wanted: ContextVar[bool] = ContextVar("replica_reads", default=False)
_wrote: ContextVar[bool] = ContextVar("replica_wrote", default=False)

F = TypeVar("F", bound=Callable[..., Any])


def replica_available() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def reads_from_replica() -> Iterator[None]:
    """Within the block, reads go to the replica (if there is one) until something is
    written; then to the primary."""
    wanted, wrote = _wanted.set(True), _wrote.set(False)
    try:
        yield
    finally:
        _wanted.reset(wanted)
        _wrote.reset(wrote)


def replica_reads(view: F) -> F:
    """A view whose reads may be stale by the replica's lag (seconds)."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        with reads_from_replica():
            return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


class ReplicaRouter:
    """DATABASE_ROUTERS entry: the replica for reads that asked for it, else the primary."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if _wanted.get() and not _wrote.get() and replica_available():
            return REPLICA
        return None  # the primary

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        _wrote.set(True)
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # Both databases hold the same rows: an object read on the replica may point
        # at one saved on the primary.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db != REPLICA  # a standby is read-only; it gets the schema by streaming
