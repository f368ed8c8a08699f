"""Failed logins are limited per username and address, and per address across usernames."""

from django.test import Client
from django.urls import reverse

from personas import PERSONA_PASSWORD

SPRAYED = "Summer2026!pass"


def _log_in(username: str, password: str, address: str = "203.0.113.7"):
    return Client(REMOTE_ADDR=address).post(
        reverse("login"), {"username": username, "password": password}
    )


def test_one_password_sprayed_over_many_accounts_locks_the_address(personas, settings):
    settings.QORGAU_LOGIN_ADDRESS_FAILURE_LIMIT = 4
    for username in ("caseworker_astana", "supervisor_astana", "operator_111"):
        assert _log_in(username, SPRAYED).status_code == 200  # the form again, no lockout
    # Each username failed once only; the address fails for the fourth time: stopped.
    assert _log_in("auditor", SPRAYED).status_code == 429
    assert _log_in("caseworker_pavlodar", PERSONA_PASSWORD).status_code == 429
    # Another address is not affected.
    assert _log_in("caseworker_pavlodar", PERSONA_PASSWORD, "198.51.100.9").status_code == 302


def test_a_few_mistakes_in_an_office_lock_only_that_username(personas, settings):
    settings.QORGAU_LOGIN_ADDRESS_FAILURE_LIMIT = 30
    for _ in range(5):
        _log_in("caseworker_astana", "wrong password 123")
    assert _log_in("caseworker_astana", PERSONA_PASSWORD).status_code == 429
    # A colleague behind the same address still logs in.
    assert _log_in("caseworker_pavlodar", PERSONA_PASSWORD).status_code == 302
