"""Key rotation: re-encrypt every encrypted column under the newest data key, and
re-hash every IIN under the newest hash key.

Both run online, batch by batch, each batch in its own transaction: stopped, they
resume where they were (values already under the newest key are skipped).
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from cryptography.fernet import InvalidToken
from django.apps import apps
from django.db import connection, transaction
from django.db.models import Field, Model

from qorgau.protection.columns import filled_values, replace_values
from qorgau.protection.fields import EncryptedMixin
from qorgau.protection.keys import data_keys, iin_hash


@dataclass
class ColumnCount:
    label: str  # table.column
    values: int = 0  # non-empty stored values
    older: int = 0  # under a key other than the newest
    unreadable: int = 0  # under no configured key
    rewritten: int = 0

    @property
    def newest(self) -> int:
        return self.values - self.older - self.unreadable


def encrypted_columns() -> Iterator[tuple[type[Model], Field]]:
    """Every encrypted column of every installed model, historical models included."""
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.local_concrete_fields:
            if isinstance(field, EncryptedMixin):
                yield model, field


def rotate(
    *, write: bool, batch_size: int = 500, progress: Callable[[ColumnCount], None] | None = None
) -> list[ColumnCount]:
    """Count (and with `write`, re-encrypt) the values not under the newest key."""
    keys = data_keys()
    counts = []
    for model, field in encrypted_columns():
        count = ColumnCount(label=f"{model._meta.db_table}.{field.column}")
        for rows in filled_values(connection, model, field.column, batch_size=batch_size):
            changes = []
            for pk, token in rows:
                count.values += 1
                raw = token.encode("ascii", errors="replace")
                try:
                    keys.newest.decrypt(raw)
                    continue
                except InvalidToken:
                    pass
                try:
                    # rotate() keeps the token's timestamp: only the key changes.
                    changes.append((pk, token, keys.any.rotate(raw).decode("ascii")))
                    count.older += 1
                except InvalidToken:
                    count.unreadable += 1
            if write and changes:
                with transaction.atomic():
                    count.rewritten += replace_values(connection, model, field.column, changes)
        counts.append(count)
        if progress is not None:
            progress(count)
    return counts


def rehash_iins(*, batch_size: int = 500) -> tuple[int, int]:
    """Recompute Child.iin_hash under the newest key; (children with an IIN, changed)."""
    child = apps.get_model("children", "Child")
    seen = changed = 0
    last = 0
    while True:
        rows = list(
            child._base_manager.filter(pk__gt=last, iin__isnull=False)
            .order_by("pk")
            .values_list("pk", "iin", "iin_hash")[:batch_size]
        )
        if not rows:
            return seen, changed
        with transaction.atomic():
            for pk, iin, old in rows:
                seen += 1
                new = iin_hash(iin)
                if new != old:
                    changed += child._base_manager.filter(pk=pk, iin_hash=old).update(iin_hash=new)
        last = rows[-1][0]
