import time

import pytest
from django.urls import reverse

from qorgau.accounts import sessions
from qorgau.accounts.services import user_deactivate, user_end_sessions


def _age_session(client, key: str, seconds: int) -> None:
    session = client.session
    session[key] = int(time.time()) - seconds
    session.save()


def test_an_idle_session_ends(client, caseworker_pavlodar, settings):
    settings.QORGAU_SESSION_IDLE_SECONDS = 600
    client.force_login(caseworker_pavlodar)
    assert client.get(reverse("my-work")).status_code == 200
    _age_session(client, sessions.LAST_SEEN, 601)
    response = client.get(reverse("my-work"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert client.get(reverse("my-work"))["Location"].startswith(reverse("login"))


def test_a_session_ends_after_its_absolute_lifetime_even_when_active(
    client, caseworker_pavlodar, settings
):
    settings.QORGAU_SESSION_ABSOLUTE_SECONDS = 3600
    client.force_login(caseworker_pavlodar)
    _age_session(client, sessions.STARTED, 3601)
    assert client.get(reverse("my-work"))["Location"] == reverse("login")


def test_an_administrator_ends_all_sessions_of_a_user(client, caseworker_pavlodar):
    client.force_login(caseworker_pavlodar)
    assert client.get(reverse("my-work")).status_code == 200
    user_end_sessions(user=caseworker_pavlodar)
    assert client.get(reverse("my-work"))["Location"] == reverse("login")


def test_deactivating_a_user_ends_their_session_at_once(client, caseworker_pavlodar):
    client.force_login(caseworker_pavlodar)
    user_deactivate(user=caseworker_pavlodar)
    response = client.get(reverse("my-work"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("age", [0, 10 * 60 + 1])
def test_a_sensitive_action_asks_for_the_password_again_when_confirmation_is_old(
    rf, caseworker_pavlodar, settings, age
):
    from django.contrib.sessions.backends.db import SessionStore
    from django.http import HttpResponse

    from qorgau.accounts.views import recent_authentication_required

    settings.QORGAU_REAUTH_SECONDS = 10 * 60
    view = recent_authentication_required(lambda request: HttpResponse("exported"))
    request = rf.get("/export/")
    request.user = caseworker_pavlodar
    request.session = SessionStore()
    request.session[sessions.REAUTH] = int(time.time()) - age
    response = view(request)
    if age == 0:
        assert response.content == b"exported"
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("reauthenticate"))


def test_reauthentication_needs_the_right_password(client, caseworker_pavlodar):
    from personas import PERSONA_PASSWORD

    client.force_login(caseworker_pavlodar)
    url = reverse("reauthenticate") + "?next=/children/"
    wrong = client.post(
        url, {"username": "caseworker_pavlodar", "password": "nope-nope-nope", "next": "/children/"}
    )
    assert wrong.status_code == 200 and sessions.REAUTH not in client.session
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=caseworker_pavlodar)
    code = f"{totp(device.bin_key):06d}"
    right = client.post(
        url,
        {
            "username": "caseworker_pavlodar",
            "password": PERSONA_PASSWORD,
            "token": code,
            "next": "/children/",
        },
    )
    assert right.status_code == 302 and right["Location"] == "/children/"
    assert sessions.REAUTH in client.session
