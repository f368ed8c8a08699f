"""The data keys (Fernet, QORGAU_DATA_KEYS) and the IIN hash keys (QORGAU_IIN_HASH_KEY).

Both settings are lists, newest first. Writes use the newest key; reads accept any,
so a new key can be put in front while old values are still being re-encrypted
(`qorgau encryption rotate`). Keys are parsed once per process, and again only when
a test changes the setting.
"""

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

# base64 of "dev-only-data-key-not-for-prod!!": readable for what it is.
DEV_DATA_KEY = "ZGV2LW9ubHktZGF0YS1rZXktbm90LWZvci1wcm9kISE="
DEV_IIN_HASH_KEY = "dev-only-iin-hash-key-not-for-production"
_MIN_HASH_KEY_LENGTH = 32


class UndecryptableValue(ValueError):
    """A stored value that no configured data key opens: a missing old key, or damage."""


@dataclass(frozen=True)
class DataKeys:
    newest: Fernet
    any: MultiFernet  # encrypts with the newest, decrypts with whichever fits
    count: int


_data_keys: DataKeys | None = None
_iin_keys: tuple[bytes, ...] | None = None


def _production() -> bool:
    return bool(getattr(settings, "PRODUCTION", False))


def data_keys() -> DataKeys:
    global _data_keys
    if _data_keys is None:
        _data_keys = _parse_data_keys(settings.QORGAU_DATA_KEYS)
    return _data_keys


def _parse_data_keys(raw: Sequence[str]) -> DataKeys:
    if not raw:
        raise ImproperlyConfigured("QORGAU_DATA_KEYS holds no key")
    if _production() and DEV_DATA_KEY in raw:
        raise ImproperlyConfigured("QORGAU_DATA_KEYS holds the development key")
    try:
        fernets = [Fernet(key.encode("ascii")) for key in raw]
    except (ValueError, UnicodeEncodeError) as exc:
        raise ImproperlyConfigured(
            "QORGAU_DATA_KEYS: each key is 32 bytes in url-safe base64 "
            "(make one with `qorgau encryption generate-key`)"
        ) from exc
    return DataKeys(newest=fernets[0], any=MultiFernet(fernets), count=len(fernets))


def iin_hash_keys() -> tuple[bytes, ...]:
    global _iin_keys
    if _iin_keys is None:
        raw = settings.QORGAU_IIN_HASH_KEYS
        if not raw:
            raise ImproperlyConfigured("QORGAU_IIN_HASH_KEY holds no key")
        if _production() and (
            DEV_IIN_HASH_KEY in raw or any(len(k) < _MIN_HASH_KEY_LENGTH for k in raw)
        ):
            raise ImproperlyConfigured(
                f"QORGAU_IIN_HASH_KEY: each key needs {_MIN_HASH_KEY_LENGTH}+ random characters"
            )
        _iin_keys = tuple(key.encode() for key in raw)
    return _iin_keys


@receiver(setting_changed)
def _forget_keys(*, setting: str, **kwargs: Any) -> None:
    global _data_keys, _iin_keys
    if setting == "QORGAU_DATA_KEYS":
        _data_keys = None
    elif setting == "QORGAU_IIN_HASH_KEYS":
        _iin_keys = None


def encrypt(plaintext: str) -> str:
    return data_keys().any.encrypt(plaintext.encode()).decode("ascii")


def encrypt_bytes(plain: bytes) -> str:
    return data_keys().any.encrypt(plain).decode("ascii")


def decrypt(token: str) -> str:
    return decrypt_bytes(token).decode()


def decrypt_bytes(token: str) -> bytes:
    try:
        return data_keys().any.decrypt(token.encode("ascii"))
    except (InvalidToken, UnicodeEncodeError):
        # Never the value itself in the message: it may be plaintext.
        raise UndecryptableValue(
            "a stored value cannot be decrypted with any key in QORGAU_DATA_KEYS"
        ) from None


def is_encrypted(value: str) -> bool:
    """Whether `value` is a token that one of the configured keys opens."""
    try:
        decrypt(value)
    except UndecryptableValue:
        return False
    return True


def _hmac(key: bytes, iin: str) -> str:
    return hmac.new(key, iin.encode(), hashlib.sha256).hexdigest()


def iin_hash(iin: str) -> str:
    """The keyed hash stored in `Child.iin_hash`: HMAC-SHA256 under the newest key."""
    return _hmac(iin_hash_keys()[0], iin)


def iin_hashes(iin: str) -> list[str]:
    """The hashes of `iin` under every configured key: what an exact lookup matches."""
    return [_hmac(key, iin) for key in iin_hash_keys()]
