import time

from django.urls import reverse

from personas import SecondFactorClient
from qorgau.accounts import sessions
from qorgau.accounts.models import User


def _confirm_password(client) -> None:
    session = client.session
    session[sessions.REAUTH] = int(time.time())
    session.save()


def test_only_the_administrator_reaches_user_administration(
    client, administrator, supervisor_pavlodar
):
    client.force_login(supervisor_pavlodar)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 302
    client.force_login(administrator)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200


def test_changing_a_user_asks_for_the_password_first(client, administrator, caseworker_pavlodar):
    client.force_login(administrator)
    url = reverse("admin:accounts_user_change", args=[caseworker_pavlodar.pk])
    assert client.get(url)["Location"].startswith(reverse("reauthenticate"))
    _confirm_password(client)
    assert client.get(url).status_code == 200


def test_the_administrator_deactivates_a_user_and_their_session_ends(
    client, administrator, caseworker_pavlodar
):
    worker = SecondFactorClient()
    worker.force_login(caseworker_pavlodar)
    assert worker.get(reverse("my-work")).status_code == 200

    client.force_login(administrator)
    action = {"action": "deactivate", "_selected_action": [caseworker_pavlodar.pk]}
    refused = client.post(reverse("admin:accounts_user_changelist"), action)
    assert refused["Location"].startswith(reverse("reauthenticate"))
    assert User.objects.get(pk=caseworker_pavlodar.pk).is_active
    _confirm_password(client)
    response = client.post(reverse("admin:accounts_user_changelist"), action)
    assert response.status_code == 302
    assert not User.objects.get(pk=caseworker_pavlodar.pk).is_active
    assert worker.get(reverse("my-work"))["Location"].startswith(reverse("login"))


def test_resetting_the_second_factor_sends_the_user_to_set_up_again(
    client, administrator, caseworker_pavlodar
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=caseworker_pavlodar, name="lost phone", confirmed=True)
    client.force_login(administrator)
    _confirm_password(client)
    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [caseworker_pavlodar.pk]},
    )
    assert not TOTPDevice.objects.filter(user=caseworker_pavlodar).exists()


def test_no_second_factor_device_is_in_the_admin():
    from django.contrib import admin
    from django_otp.models import Device

    in_admin = [model for model in admin.site._registry if issubclass(model, Device)]
    assert not in_admin


def test_the_administrator_cannot_open_or_change_a_users_authenticator_key(
    client, administrator, caseworker_pavlodar
):
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=caseworker_pavlodar, name="phone", confirmed=True)
    recovery = StaticDevice.objects.create(user=caseworker_pavlodar, name="recovery")
    client.force_login(administrator)
    _confirm_password(client)
    for path in (
        "/admin/otp_totp/totpdevice/",
        "/admin/otp_totp/totpdevice/add/",
        f"/admin/otp_totp/totpdevice/{device.pk}/change/",
        f"/admin/otp_totp/totpdevice/{device.pk}/config/",
        f"/admin/otp_totp/totpdevice/{device.pk}/qrcode/",
        "/admin/otp_static/staticdevice/",
        f"/admin/otp_static/staticdevice/{recovery.pk}/change/",
    ):
        response = client.get(path, follow=True)
        assert response.status_code == 404, path
        assert device.key not in response.content.decode()
    before = device.key
    client.post(f"/admin/otp_totp/totpdevice/{device.pk}/change/", {"key": "00" * 20})
    device.refresh_from_db()
    assert device.key == before
