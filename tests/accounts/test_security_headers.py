import os
import subprocess
import sys

from django.urls import reverse


def test_pages_carry_a_content_security_policy_without_inline_code(client, caseworker_pavlodar):
    client.force_login(caseworker_pavlodar)
    response = client.get(reverse("my-work"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_no_page_template_has_inline_scripts_or_styles():
    """The policy forbids them, so they would silently break: keep them out at source."""
    from pathlib import Path

    import qorgau

    root = Path(qorgau.__file__).parent
    offenders = []
    for template in root.rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        if "<script>" in text or " style=" in text or " onclick=" in text or "<style" in text:
            offenders.append(str(template.relative_to(root)))
    assert not offenders


def test_production_settings_pass_the_deploy_check():
    env = {
        **os.environ,
        "QORGAU_ENV": "production",
        "DJANGO_SECRET_KEY": "x" * 20 + "a-long-random-test-only-key-0123456789",
        "DJANGO_ALLOWED_HOSTS": "qorgau.example.kz",
        "DATABASE_URL": "sqlite:///:memory:",
        "QORGAU_AUDIT_KEY": "test-only-audit-key-0123456789abcdef",
        "QORGAU_DATA_KEYS": "dGVzdC1vbmx5LWRhdGEta2V5LTAxMjM0NTY3ODlhYmM=",
        "QORGAU_IIN_HASH_KEY": "test-only-iin-hash-key-0123456789abcdef",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' harness only
    result = subprocess.run(
        [sys.executable, "-m", "qorgau.manage", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {
        **os.environ,
        "QORGAU_ENV": "production",
        "DJANGO_ALLOWED_HOSTS": "x",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    env.pop("DJANGO_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "-m", "qorgau.manage", "check"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr


def test_pages_with_personal_data_are_never_stored_by_the_browser(client, caseworker_pavlodar):
    anonymous = client.get(reverse("my-work"))
    assert anonymous.status_code == 302 and "no-store" not in anonymous.get("Cache-Control", "")
    client.force_login(caseworker_pavlodar)
    cache_control = client.get(reverse("my-work"))["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control


def test_the_api_slows_down_a_harvesting_script(client, caseworker_pavlodar, settings):
    from django.core.cache import cache
    from rest_framework.settings import api_settings
    from rest_framework.throttling import UserRateThrottle

    cache.clear()
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "user": "3/min"}
    UserRateThrottle.THROTTLE_RATES = rates
    try:
        client.force_login(caseworker_pavlodar)
        codes = [client.get(reverse("api-case-list")).status_code for _ in range(4)]
    finally:
        UserRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
        cache.clear()
    assert codes == [200, 200, 200, 429]
