"""Between the password and the second factor the page offers only what that step allows."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from personas import PERSONA_PASSWORD

# "my-work" is also the brand link, on every page.
MENU_TARGETS = ("child-search", "report-new", "approvals", "statistics")


def _menu_links(page: str) -> list[str]:
    return [name for name in MENU_TARGETS if f'href="{reverse(name)}"' in page]


@pytest.mark.parametrize("confirmed", [True, False], ids=["verify", "setup"])
def test_the_second_factor_step_shows_no_menu_only_language_and_logout(
    supervisor_pavlodar, confirmed
):
    if confirmed:
        TOTPDevice.objects.create(user=supervisor_pavlodar, name="phone", confirmed=True)
    client = Client()
    client.post(reverse("login"), {"username": "supervisor_pavlodar", "password": PERSONA_PASSWORD})
    step = reverse("two-factor-verify" if confirmed else "two-factor-setup")
    page = client.get(step).content.decode()
    assert '<nav aria-label="Main"' not in page
    assert _menu_links(page) == []
    assert f'action="{reverse("logout")}"' in page
    assert f'action="{reverse("set_language")}"' in page


def test_after_the_second_factor_the_menu_is_there(client, supervisor_pavlodar):
    client.force_login(supervisor_pavlodar)
    page = client.get(reverse("my-work")).content.decode()
    assert _menu_links(page) == list(MENU_TARGETS)
