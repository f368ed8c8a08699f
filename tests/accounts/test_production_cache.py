"""Production counts API requests and failed logins in a cache every process shares."""

import os
import subprocess
import sys

import pytest
from django.core.cache import caches
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection


def _production_cache(**variables: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "QORGAU_ENV": "production",
        "DJANGO_SECRET_KEY": "a-long-random-test-only-key-0123456789-abcdefghijkl",
        "DJANGO_ALLOWED_HOSTS": "qorgau.example.kz",
        "DATABASE_URL": "sqlite:///:memory:",
        "QORGAU_AUDIT_KEY": "test-only-audit-key-0123456789abcdef",
        "QORGAU_DATA_KEYS": "dGVzdC1vbmx5LWRhdGEta2V5LTAxMjM0NTY3ODlhYmM=",
        "QORGAU_IIN_HASH_KEY": "test-only-iin-hash-key-0123456789abcdef",
        **variables,
    }
    for name in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "QORGAU_CACHE_URL"):
        if name not in variables:
            env.pop(name, None)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "qorgau.manage",
            "shell",
            "-c",
            "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_uses_the_database_cache_by_default():
    result = _production_cache()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "django.core.cache.backends.db.DatabaseCache"


def test_production_uses_redis_when_given_its_url():
    result = _production_cache(QORGAU_CACHE_URL="redis://127.0.0.1:6379/1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "django.core.cache.backends.redis.RedisCache"


def test_production_refuses_a_per_process_memory_cache():
    result = _production_cache(QORGAU_CACHE_URL="locmem")
    assert result.returncode != 0 and "QORGAU_CACHE_URL" in result.stderr


@pytest.mark.django_db
def test_migrate_makes_the_database_cache_table(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "qorgau_test_cache",
        }
    }
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert "qorgau_test_cache" in connection.introspection.table_names()
    caches["default"].set("probe", 1)
    assert caches["default"].get("probe") == 1
