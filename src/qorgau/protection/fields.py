"""Model fields whose values are stored encrypted (Fernet under QORGAU_DATA_KEYS).

The column is text holding a Fernet token (AES-128-CBC with HMAC-SHA256, random IV),
so equal values look different: an encrypted field cannot be searched or ordered by
value, and refuses such lookups instead of quietly finding nothing. Empty strings
and NULL are stored as they are: whether a field is filled in is not hidden.

Copies of these fields (simple-history's historical models) are encrypted too.
"""

import json
from typing import Any

from django import forms
from django.core.exceptions import FieldError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper

from qorgau.protection.keys import decrypt, decrypt_bytes, encrypt, encrypt_bytes, iin_hash


class EncryptedMixin:
    """Encrypts on the way to the database, decrypts on the way back."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("unique") or kwargs.get("primary_key"):
            raise ValueError("an encrypted field cannot be unique: add a keyed hash column")
        super().__init__(*args, **kwargs)

    def get_internal_type(self) -> str:
        return "TextField"  # a token is longer than any max_length of the plaintext

    def serialize_plain(self, value: Any) -> str:
        return str(value)

    def deserialize_plain(self, text: str) -> Any:
        return text

    def from_db_value(self, value: Any, expression: Any, connection: BaseDatabaseWrapper) -> Any:
        if value is None or value == "":
            return value
        return self.deserialize_plain(decrypt(value))

    def get_db_prep_save(self, value: Any, connection: BaseDatabaseWrapper) -> Any:
        if hasattr(value, "as_sql"):
            return value
        value = self.get_prep_value(value)  # type: ignore[attr-defined]
        if value is None or value == "":
            return value
        return encrypt(self.serialize_plain(value))

    def get_db_prep_value(
        self, value: Any, connection: BaseDatabaseWrapper, prepared: bool = False
    ) -> Any:
        # Only lookups come here (saves go through get_db_prep_save): a token never
        # equals another token of the same text, so only emptiness can be asked.
        if value is None or value == "":
            return value
        raise FieldError(
            f"{self.name} is encrypted and cannot be searched by value"  # type: ignore[attr-defined]
        )


def encrypted_fields(model: type[models.Model], via: str = "") -> list[str]:
    """The names of a model's encrypted fields (reached through `via`, "case__"): for a
    list that shows none of them to defer, as each is decrypted for every row read."""
    fields = model._meta.concrete_fields
    return [f"{via}{f.name}" for f in fields if isinstance(f, EncryptedMixin)]


class EncryptedCharField(EncryptedMixin, models.CharField):
    """max_length limits the plaintext; the column is text."""


class EncryptedTextField(EncryptedMixin, models.TextField):
    pass


class EncryptedJSONField(EncryptedMixin, models.Field):
    """A JSON document encrypted as a whole (keys and values): one token per row."""

    empty_strings_allowed = False

    def serialize_plain(self, value: Any) -> str:
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True)

    def deserialize_plain(self, text: str) -> Any:
        return json.loads(text)

    def get_db_prep_save(self, value: Any, connection: BaseDatabaseWrapper) -> Any:
        if value is None or hasattr(value, "as_sql"):
            return value
        return encrypt(self.serialize_plain(value))  # even {}: the shape is data too

    def to_python(self, value: Any) -> Any:
        return value

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]
        return super().formfield(**{"form_class": forms.JSONField, **kwargs})


class EncryptedBinaryField(EncryptedMixin, models.Field):
    """Bytes (an attachment's content) stored as one Fernet token in a text column.

    The bytes are encrypted as they are, not as text: the token is the ciphertext in
    url-safe base64, a third longer than the content. Rotation re-encrypts it like
    any other token.
    """

    def get_db_prep_save(self, value: Any, connection: BaseDatabaseWrapper) -> Any:
        if value is None or hasattr(value, "as_sql"):
            return value
        return encrypt_bytes(bytes(value))

    def from_db_value(self, value: Any, expression: Any, connection: BaseDatabaseWrapper) -> Any:
        if value is None or value == "":
            return value
        return decrypt_bytes(value)

    def to_python(self, value: Any) -> Any:
        return value


class IINHashField(models.CharField):
    """HMAC-SHA256 of the model's `source` field under the newest IIN hash key.

    Set on every save() and bulk_create(). queryset.update() and bulk_update() do
    not call it: a service that changes the IIN saves the model (or sets both).
    """

    def __init__(self, *args: Any, source: str = "iin", **kwargs: Any) -> None:
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs["editable"] = False
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("editable", None)
        if self.source != "iin":
            kwargs["source"] = self.source
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> str | None:
        plain = getattr(model_instance, self.source)
        value = iin_hash(plain) if plain else None
        setattr(model_instance, self.attname, value)
        return value
