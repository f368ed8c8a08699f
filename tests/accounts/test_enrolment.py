"""Setting up a second factor needs the administrator's one-time enrolment code."""

import base64
import datetime as dt
import time

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from personas import PERSONA_PASSWORD
from qorgau.accounts import sessions
from qorgau.accounts.models import EnrolmentCode
from qorgau.accounts.twofactor import enrolment_code_issue

SETUP = reverse("two-factor-setup")


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def newcomer(caseworker_pavlodar, settings):
    """A caseworker with a password and no authenticator yet, logged in halfway."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.post(reverse("login"), {"username": "caseworker_pavlodar", "password": PERSONA_PASSWORD})
    return client


def test_the_password_alone_shows_no_key_and_enrols_nothing(newcomer, caseworker_pavlodar):
    page = newcomer.get(SETUP)
    assert page.status_code == 200 and "code" in page.context["form"].fields
    assert b"<svg" not in page.content
    assert not TOTPDevice.objects.filter(user=caseworker_pavlodar).exists()
    refused = newcomer.post(SETUP, {"code": "ABCD-EFGH-JKMN"})
    assert "code" in refused.context["form"].errors
    assert not TOTPDevice.objects.filter(user=caseworker_pavlodar).exists()


def test_with_the_code_the_key_is_shown_in_base32_and_the_app_is_set_up(
    newcomer, caseworker_pavlodar
):
    issued = enrolment_code_issue(actor=None, user=caseworker_pavlodar)
    assert newcomer.post(SETUP, {"code": issued.code.lower()})["Location"] == SETUP
    page = newcomer.get(SETUP)
    device = TOTPDevice.objects.get(user=caseworker_pavlodar, confirmed=False)
    shown = page.context["secret"]
    groups = shown.split(" ")
    assert all(len(g) == 4 for g in groups[:-1]) and 0 < len(groups[-1]) <= 4
    assert base64.b32decode("".join(groups) + "=" * (-len("".join(groups)) % 8)) == device.bin_key
    assert shown in page.content.decode()
    # Nothing about recovery codes before they exist.
    assert "recovery" not in page.content.decode().lower()
    done = newcomer.post(SETUP, {"token": _code(device)})
    assert len(done.context["codes"]) == 10
    assert newcomer.get(reverse("my-work")).status_code == 200


def test_an_enrolment_code_works_once(newcomer, caseworker_pavlodar):
    issued = enrolment_code_issue(actor=None, user=caseworker_pavlodar)
    newcomer.post(SETUP, {"code": issued.code})
    other = Client()
    other.post(reverse("login"), {"username": "caseworker_pavlodar", "password": PERSONA_PASSWORD})
    again = other.post(SETUP, {"code": issued.code})
    assert "code" in again.context["form"].errors


def test_an_expired_or_replaced_code_is_refused(newcomer, caseworker_pavlodar):
    old = enrolment_code_issue(actor=None, user=caseworker_pavlodar)
    new = enrolment_code_issue(actor=None, user=caseworker_pavlodar)
    assert "code" in newcomer.post(SETUP, {"code": old.code}).context["form"].errors
    EnrolmentCode.objects.filter(used_at__isnull=True).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert "code" in newcomer.post(SETUP, {"code": new.code}).context["form"].errors


def test_only_a_hash_of_the_code_is_stored(caseworker_pavlodar):
    issued = enrolment_code_issue(actor=None, user=caseworker_pavlodar)
    stored = EnrolmentCode.objects.get()
    plain = issued.code.replace("-", "")
    assert plain not in stored.code_hash and issued.code not in stored.code_hash
    assert len(stored.code_hash) == 64


def test_the_administrator_issues_a_code_after_confirming_the_password(
    client, administrator, caseworker_pavlodar
):
    client.force_login(administrator)
    action = {"action": "issue_enrolment_code", "_selected_action": [caseworker_pavlodar.pk]}
    url = reverse("admin:accounts_user_changelist")
    assert client.post(url, action)["Location"].startswith(reverse("reauthenticate"))
    assert not EnrolmentCode.objects.exists()
    session = client.session
    session[sessions.REAUTH] = int(time.time())
    session.save()
    page = client.post(url, action)
    [(user, code, _expires)] = page.context["issued"]
    assert user == caseworker_pavlodar and code in page.content.decode()
    assert EnrolmentCode.objects.get().issued_by == administrator


def test_a_non_administrator_cannot_issue_codes(client, supervisor_pavlodar, caseworker_pavlodar):
    client.force_login(supervisor_pavlodar)
    action = {"action": "issue_enrolment_code", "_selected_action": [caseworker_pavlodar.pk]}
    client.post(reverse("admin:accounts_user_changelist"), action)
    assert not EnrolmentCode.objects.exists()


def test_the_first_administrator_gets_a_code_from_the_command_line(administrator, capsys):
    call_command("enrolment_code", "administrator")
    code = capsys.readouterr().out.split()[0]
    assert EnrolmentCode.objects.get(user=administrator, used_at__isnull=True)
    assert len(code) == 14 and code.count("-") == 2


def test_a_code_used_twice_is_said_to_be_used_not_wrong(caseworker_pavlodar, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device = TOTPDevice.objects.create(user=caseworker_pavlodar, name="phone", confirmed=True)
    code = _code(device)
    first, second = Client(HTTP_ACCEPT_LANGUAGE="en"), Client(HTTP_ACCEPT_LANGUAGE="en")
    for browser in (first, second):
        browser.post(
            reverse("login"), {"username": "caseworker_pavlodar", "password": PERSONA_PASSWORD}
        )
    assert first.post(reverse("two-factor-verify"), {"token": code}).status_code == 302
    replay = second.post(reverse("two-factor-verify"), {"token": code})
    assert replay.context["form"].errors["token"] == [
        "That code was already used. Wait for the next code in the app."
    ]
    wrong = second.post(reverse("two-factor-verify"), {"token": f"{(int(code) + 1) % 10**6:06d}"})
    assert wrong.context["form"].errors["token"] == ["That code is not right."]
