"""Production refuses to start without its own data and IIN hash keys."""

import os
import subprocess
import sys

from qorgau.protection.keys import DEV_DATA_KEY, DEV_IIN_HASH_KEY

DATA_KEY = "dGVzdC1vbmx5LWRhdGEta2V5LTAxMjM0NTY3ODlhYmM="
HASH_KEY = "test-only-iin-hash-key-0123456789abcdef"


def _check(**variables: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "QORGAU_ENV": "production",
        "DJANGO_SECRET_KEY": "a-long-random-test-only-key-0123456789-abcdefghijkl",
        "DJANGO_ALLOWED_HOSTS": "qorgau.example.kz",
        "DATABASE_URL": "sqlite:///:memory:",
        "QORGAU_AUDIT_KEY": "test-only-audit-key-0123456789abcdef",
        "QORGAU_DATA_KEYS": DATA_KEY,
        "QORGAU_IIN_HASH_KEY": HASH_KEY,
        **variables,
    }
    for name in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(name, None)
    env = {k: v for k, v in env.items() if v != "-"}  # "-": leave the variable out
    return subprocess.run(
        [sys.executable, "-m", "qorgau.manage", "check"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_starts_with_its_own_keys():
    result = _check()
    assert result.returncode == 0, result.stderr


def test_production_refuses_to_start_without_a_data_key():
    result = _check(QORGAU_DATA_KEYS="-")
    assert result.returncode != 0 and "QORGAU_DATA_KEYS" in result.stderr


def test_production_refuses_to_start_without_an_iin_hash_key():
    result = _check(QORGAU_IIN_HASH_KEY="-")
    assert result.returncode != 0 and "QORGAU_IIN_HASH_KEY" in result.stderr


def test_production_refuses_the_development_keys():
    assert "holds the development key" in _check(QORGAU_DATA_KEYS=DEV_DATA_KEY).stderr
    assert "QORGAU_IIN_HASH_KEY" in _check(QORGAU_IIN_HASH_KEY=DEV_IIN_HASH_KEY).stderr


def test_a_malformed_data_key_stops_the_start():
    result = _check(QORGAU_DATA_KEYS="not-a-fernet-key")
    assert result.returncode != 0 and "url-safe base64" in result.stderr


def test_production_refuses_a_short_audit_key():
    result = _check(QORGAU_AUDIT_KEY="x")
    assert result.returncode != 0 and "QORGAU_AUDIT_KEY" in result.stderr


def test_production_refuses_the_development_audit_key():
    result = _check(QORGAU_AUDIT_KEY="dev-only-audit-key-not-for-production")
    assert result.returncode != 0 and "QORGAU_AUDIT_KEY" in result.stderr
