"""Write many model instances fast: COPY on PostgreSQL, bulk_create batches elsewhere.

Every value goes through its field's own `pre_save` and `get_db_prep_save`, as
`Model.save()` and `bulk_create()` do: encrypted fields are encrypted and the IIN hash
is the keyed hash, exactly as the services store them. One exception: a date the
builder set on an `auto_now_add` field is kept, because the history is back-dated.

On PostgreSQL the primary keys are taken from the table's sequence in one step (under
an advisory lock, so parallel writers get disjoint ranges) and set on the instances
before the COPY, so that rows written later can point at them.
"""

import contextlib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from django.db import connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.base import ModelState
from psycopg import sql

# pg_advisory_lock key of the id ranges (any constant no other code uses).
_ID_LOCK = 0x51_6F_72_67  # "Qorg"
BATCH = 1000  # rows per INSERT where COPY is not available


def new(model: type[models.Model], **values: Any) -> Any:
    """A new instance of `model`, like `model(**values)` but without Model.__init__'s
    per-field descriptor work (a third of a large build). Related objects are given
    as objects, by field name; no signals are sent (no model here listens to init)."""
    obj = model.__new__(model)
    obj._state = ModelState()
    attrs = obj.__dict__
    for attname, default in _defaults(model):
        attrs[attname] = default() if callable(default) else default
    cache = obj._state.fields_cache
    relations = _relations(model)
    for name, value in values.items():
        if name in relations:
            cache[name] = value
            attrs[relations[name]] = None if value is None else value.pk
        else:
            attrs[name] = value
    return obj


_DEFAULTS: dict[type[models.Model], list[tuple[str, Any]]] = {}
_RELATIONS: dict[type[models.Model], dict[str, str]] = {}


def _defaults(model: type[models.Model]) -> list[tuple[str, Any]]:
    if model not in _DEFAULTS:
        _DEFAULTS[model] = [(f.attname, _default(f)) for f in model._meta.concrete_fields]
    return _DEFAULTS[model]


def _default(field: models.Field) -> Any:
    if field.has_default():
        return field.default
    # COPY names every column, so a database default never applies: a literal one
    # (db_default="") goes as its value, not as Django's DatabaseDefault marker.
    db_default = field.db_default
    if db_default is not models.NOT_PROVIDED and not hasattr(db_default, "resolve_expression"):
        return db_default
    return field.get_default()


def _relations(model: type[models.Model]) -> dict[str, str]:
    if model not in _RELATIONS:
        _RELATIONS[model] = {
            f.name: f.attname for f in model._meta.concrete_fields if f.is_relation
        }
    return _RELATIONS[model]


def write(
    model: type[models.Model], objs: Sequence[models.Model], *, using: str = "default"
) -> None:
    """Insert `objs` (all new) and set their primary keys."""
    if not objs:
        return
    connection = connections[using]
    if connection.vendor == "postgresql":
        _copy(model, objs, connection, using)
    else:
        _bulk_create(model, objs, using)


def _auto_now_add(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if getattr(f, "auto_now_add", False)]


def _bulk_create(model: type[models.Model], objs: Sequence[models.Model], using: str) -> None:
    dated = _auto_now_add(model)
    kept = [[getattr(o, f.attname) for f in dated] for o in objs]
    model._default_manager.using(using).bulk_create(objs, batch_size=BATCH)
    if any(v is not None for values in kept for v in values):
        for obj, values in zip(objs, kept, strict=True):
            for f, value in zip(dated, values, strict=True):
                if value is not None:
                    setattr(obj, f.attname, value)
        names = [f.name for f in dated]
        model._default_manager.using(using).bulk_update(objs, names, batch_size=BATCH)


# Fields whose value psycopg takes as it is: no per-value call into Django.
_PLAIN = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.DateField,  # and DateTimeField: aware datetimes go as they are
    models.FloatField,
)


def _preparer(
    field: models.Field, connection: BaseDatabaseWrapper
) -> Callable[[models.Model], Any]:
    prep = field.get_db_prep_save
    attname = field.attname
    if field.is_relation:
        name = field.name
        target_pk = field.related_model._meta.pk.attname  # type: ignore[union-attr]

        # Like Model.save(): a related object saved after it was assigned gives its pk.
        def related(obj: models.Model) -> Any:
            target = obj._state.fields_cache.get(name)
            if target is not None:
                obj.__dict__[attname] = target.__dict__[target_pk]
            return obj.__dict__[attname]

        return related
    if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):

        def dated(obj: models.Model) -> Any:
            value = obj.__dict__[attname]
            if value is None:
                value = field.pre_save(obj, add=True)
            return value

        return dated
    # Django's own fields only: ours (encrypted, keyed hash) must run their code.
    if isinstance(field, _PLAIN) and type(field).__module__.startswith("django."):
        return lambda obj: obj.__dict__[attname]
    return lambda obj: prep(field.pre_save(obj, add=True), connection)


def _copy(
    model: type[models.Model],
    objs: Sequence[models.Model],
    connection: BaseDatabaseWrapper,
    using: str,
) -> None:
    meta = model._meta
    pk = meta.pk
    if pk is None:
        raise TypeError(f"{model.__name__} has no primary key")
    fields = [f for f in meta.concrete_fields if f is not pk]
    preparers = [_preparer(f, connection) for f in fields]
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(meta.db_table),
        sql.SQL(", ").join(sql.Identifier(f.column) for f in [pk, *fields]),
    )
    with connection.cursor() as cursor:
        first = _take_ids(cursor, meta.db_table, pk.column, len(objs))
        attname = pk.attname
        with cursor.cursor.copy(statement) as copy:
            for offset, obj in enumerate(objs):
                obj.__dict__[attname] = first + offset
                obj._state.adding = False
                obj._state.db = using
                copy.write_row([first + offset, *[p(obj) for p in preparers]])


def _take_ids(cursor: Any, table: str, column: str, count: int) -> int:
    """The first of `count` consecutive ids from the table's sequence, now ours."""
    cursor.execute("SELECT pg_advisory_lock(%s)", [_ID_LOCK])
    try:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s))", [table, column])
        first: int = cursor.fetchone()[0]
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, %s), %s)", [table, column, first + count - 1]
        )
    finally:
        cursor.execute("SELECT pg_advisory_unlock(%s)", [_ID_LOCK])
    return first


def write_values(
    model: type[models.Model],
    attnames: Sequence[str],
    values: Iterable[Sequence[Any]],
    *,
    using: str = "default",
) -> None:
    """Insert rows given as database values of `attnames` (foreign keys as ids, JSON as
    text), without model instances: for the most numerous rows, of plain Django
    fields only (nothing to encrypt or hash). Their ids are not needed later."""
    connection = connections[using]
    meta = model._meta
    fields = [meta.get_field(name) for name in attnames]
    if connection.vendor != "postgresql":
        # JSON comes as text (what COPY takes): bulk_create wants the value.
        json_at = [i for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
        objs = []
        for row in values:
            row = list(row)
            for i in json_at:
                row[i] = json.loads(row[i])
            objs.append(model(**dict(zip(attnames, row, strict=True))))
        model._default_manager.using(using).bulk_create(objs, batch_size=BATCH)
        return
    columns: list[str] = [f.column for f in fields]  # type: ignore[union-attr,misc]
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(meta.db_table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in values:
            copy.write_row(row)


@contextlib.contextmanager
def bulk_load(models_: Sequence[type[models.Model]], *, using: str = "default") -> Iterator[None]:
    """On PostgreSQL: the tables' foreign keys and secondary indexes are dropped while
    rows pour in and made again after, from their own definitions. Checking a foreign
    key per row at commit (Django's are deferred) and growing a dozen indexes row by
    row cost more than the build itself; one validation scan and one index build per
    table at the end cost a fraction. Primary keys and unique constraints stay. A
    process killed midway cannot put them back: drop that database and migrate anew."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    tables = [m._meta.db_table for m in models_]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s) "
            "ORDER BY 1, 2",
            [tables],
        )
        keys = cursor.fetchall()
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
            "FROM pg_index i WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) "
            "ORDER BY 1",
            [tables],
        )
        indexes = cursor.fetchall()
        # Inside a transaction that wrote already (a test): its deferred checks now,
        # or no table they touch can be altered.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table, name, _ in keys:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '256MB'")
            for _, definition in indexes:
                cursor.execute(definition)
            for table, name, definition in keys:
                add = f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}"
                cursor.execute(add)
            cursor.execute("RESET maintenance_work_mem")
            for table in tables:  # the planner needs the new sizes at once
                cursor.execute(f"ANALYZE {quote(table)}")
