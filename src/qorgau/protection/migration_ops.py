"""Migration operations that encrypt existing plaintext in place (and decrypt back).

Used by the migrations that turn a plain field into an encrypted one, after the
AlterField. They work on the migration state's models (apps.get_model) and on raw
column values; values already encrypted are left alone, so a rerun is harmless.
"""

from contextlib import suppress
from typing import Any

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from qorgau.protection.columns import (
    check_deferred_constraints,
    filled_values,
    replace_values,
)
from qorgau.protection.keys import UndecryptableValue, decrypt, encrypt, is_encrypted

_BATCH = 1000


def _convert(
    apps: Any,
    schema_editor: BaseDatabaseSchemaEditor,
    app_label: str,
    columns: dict[str, list[str]],
    *,
    forward: bool,
) -> None:
    connection = schema_editor.connection
    for model_name, names in columns.items():
        model = apps.get_model(app_label, model_name)
        for name in names:
            column = model._meta.get_field(name).column
            for rows in filled_values(connection, model, column, batch_size=_BATCH):
                changes = []
                for pk, value in rows:
                    if forward and not is_encrypted(value):
                        changes.append((pk, value, encrypt(value)))
                    elif not forward:
                        with suppress(UndecryptableValue):  # else plaintext already
                            changes.append((pk, value, decrypt(value)))
                replace_values(connection, model, column, changes)
    check_deferred_constraints(connection)


def encrypt_columns(app_label: str, columns: dict[str, list[str]]) -> migrations.RunPython:
    """A RunPython that encrypts `columns` (model name -> field names) of `app_label`."""

    def forward(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
        _convert(apps, schema_editor, app_label, columns, forward=True)

    def backward(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
        _convert(apps, schema_editor, app_label, columns, forward=False)

    return migrations.RunPython(forward, backward)
