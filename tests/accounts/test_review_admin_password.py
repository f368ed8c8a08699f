"""Review finding: the admin changed another user's password without asking for its own."""

import time

from django.urls import reverse

from qorgau.accounts import sessions
from qorgau.accounts.models import User


def test_setting_a_users_password_in_the_admin_asks_for_the_password_first(
    client, administrator, caseworker_pavlodar
):
    client.force_login(administrator)
    url = reverse("admin:auth_user_password_change", args=[caseworker_pavlodar.pk])
    old_hash = caseworker_pavlodar.password

    response = client.post(
        url, {"password1": "a-new-password-2026!", "password2": "a-new-password-2026!"}
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("reauthenticate"))
    assert User.objects.get(pk=caseworker_pavlodar.pk).password == old_hash

    session = client.session
    session[sessions.REAUTH] = int(time.time())
    session.save()
    assert client.get(url).status_code == 200
