"""The IIN: stored encrypted, found by a keyed hash (HMAC-SHA256, QORGAU_IIN_HASH_KEY)
in a unique column, which takes over the uniqueness the plain column had."""

from typing import Any

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

import qorgau.protection.fields
from qorgau.protection.columns import (
    check_deferred_constraints,
    filled_values,
    replace_values,
)
from qorgau.protection.keys import decrypt, encrypt, iin_hash, is_encrypted
from qorgau.protection.migration_ops import encrypt_columns


def encrypt_and_hash(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
    child = apps.get_model("children", "Child")
    connection = schema_editor.connection
    for rows in filled_values(connection, child, "iin", batch_size=1000):
        plain = [(pk, decrypt(v) if is_encrypted(v) else v, v) for pk, v in rows]
        replace_values(
            connection,
            child,
            "iin",
            [(pk, stored, encrypt(iin)) for pk, iin, stored in plain],
            extra={"iin_hash": [iin_hash(iin) for _, iin, _ in plain]},
        )
    check_deferred_constraints(connection)


class Migration(migrations.Migration):
    dependencies = [
        ("children", "0002_encrypt_sensitive_text"),
    ]

    operations = [
        migrations.AddField(
            model_name="child",
            name="iin_hash",
            field=qorgau.protection.fields.IINHashField(max_length=64, null=True),
        ),
        migrations.AlterField(
            model_name="child",
            name="iin",
            field=qorgau.protection.fields.EncryptedCharField(
                blank=True, max_length=12, null=True, verbose_name="IIN"
            ),
        ),
        migrations.RunPython(
            encrypt_and_hash, encrypt_columns("children", {"child": ["iin"]}).reverse_code
        ),
        migrations.AlterField(
            model_name="child",
            name="iin_hash",
            field=qorgau.protection.fields.IINHashField(max_length=64, null=True, unique=True),
        ),
    ]
