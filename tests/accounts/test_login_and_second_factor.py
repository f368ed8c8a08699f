"""Logging in as a person does: password, then the code from the authenticator."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from personas import PERSONA_PASSWORD
from qorgau.accounts.twofactor import enrolment_code_issue


def _log_in(client: Client, username: str, password: str = PERSONA_PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def plain_client():
    """A browser with no shortcut: everything through the login pages."""
    return Client()


def test_a_caseworker_without_an_authenticator_must_set_one_up_first(
    plain_client, caseworker_pavlodar, settings
):
    # A wrong code throttles the device for a while (tested below); a person would wait.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    response = _log_in(plain_client, "caseworker_pavlodar")
    assert response.status_code == 302
    # Every page leads to the set-up until the second factor is confirmed.
    page = plain_client.get(reverse("my-work"))
    assert page["Location"] == reverse("two-factor-setup")
    # The administrator's one-time enrolment code comes first.
    code = enrolment_code_issue(actor=None, user=caseworker_pavlodar).code
    plain_client.post(reverse("two-factor-setup"), {"code": code})
    setup = plain_client.get(reverse("two-factor-setup"))
    assert b"<svg" in setup.content, "the QR code is drawn inline, no image service"
    device = TOTPDevice.objects.get(user=caseworker_pavlodar, confirmed=False)

    wrong = plain_client.post(reverse("two-factor-setup"), {"token": "000000"})
    assert "token" in wrong.context["form"].errors
    done = plain_client.post(reverse("two-factor-setup"), {"token": _code(device)})
    codes = done.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert plain_client.get(reverse("my-work")).status_code == 200


def test_a_returning_user_enters_the_code_before_any_page(plain_client, caseworker_pavlodar):
    device = TOTPDevice.objects.create(user=caseworker_pavlodar, name="phone", confirmed=True)
    _log_in(plain_client, "caseworker_pavlodar")
    assert plain_client.get(reverse("my-work"))["Location"] == reverse("two-factor-verify")
    api = plain_client.get(reverse("api-case-list"))
    assert api.status_code == 403, "the API is closed too until the code is given"
    response = plain_client.post(reverse("two-factor-verify"), {"token": _code(device)})
    assert response.status_code == 302
    assert plain_client.get(reverse("my-work")).status_code == 200


def test_a_recovery_code_works_once(plain_client, caseworker_pavlodar):
    from qorgau.accounts.twofactor import recovery_codes_issue

    TOTPDevice.objects.create(user=caseworker_pavlodar, name="phone", confirmed=True)
    code = recovery_codes_issue(user=caseworker_pavlodar)[0]
    _log_in(plain_client, "caseworker_pavlodar")
    plain_client.post(reverse("two-factor-verify"), {"token": code})
    assert plain_client.get(reverse("my-work")).status_code == 200
    assert not StaticToken.objects.filter(token=code).exists()

    other = Client()
    _log_in(other, "caseworker_pavlodar")
    again = other.post(reverse("two-factor-verify"), {"token": code})
    assert "token" in again.context["form"].errors


def test_an_analyst_who_sees_no_personal_data_is_not_asked_for_a_code(
    plain_client, national_analyst
):
    _log_in(plain_client, "national_analyst")
    assert plain_client.get(reverse("statistics")).status_code == 200


def test_five_failed_logins_lock_the_account_from_that_address(plain_client, caseworker_pavlodar):
    for _ in range(5):
        response = _log_in(plain_client, "caseworker_pavlodar", "wrong password 123")
    assert response.status_code == 429
    # Even the right password is refused while locked.
    assert _log_in(plain_client, "caseworker_pavlodar").status_code == 429
    from axes.models import AccessAttempt

    attempt = AccessAttempt.objects.get(username="caseworker_pavlodar")
    # Logged: the five failures, and the refused attempt made while locked.
    assert attempt.failures_since_start == 6


def test_a_wrong_code_throttles_the_next_attempts(plain_client, caseworker_pavlodar):
    device = TOTPDevice.objects.create(user=caseworker_pavlodar, name="phone", confirmed=True)
    _log_in(plain_client, "caseworker_pavlodar")
    plain_client.post(reverse("two-factor-verify"), {"token": "000000"})
    right_too_soon = plain_client.post(reverse("two-factor-verify"), {"token": _code(device)})
    assert "token" in right_too_soon.context["form"].errors
    assert plain_client.get(reverse("my-work")).status_code == 302


def test_logging_in_and_out_is_in_the_access_log_and_a_failure_is_not(
    plain_client, caseworker_pavlodar
):
    from qorgau.audit.models import AccessLogEntry

    _log_in(plain_client, "caseworker_pavlodar", "wrong password 123")
    assert not AccessLogEntry.objects.filter(action="login").exists()
    _log_in(plain_client, "caseworker_pavlodar")
    entry = AccessLogEntry.objects.get(action="login")
    assert (entry.actor_id, entry.record_kind, entry.ip) == (
        caseworker_pavlodar.pk,
        "account",
        "127.0.0.1",
    )
    plain_client.post(reverse("logout"))
    assert AccessLogEntry.objects.filter(action="logout", actor_id=caseworker_pavlodar.pk).exists()
