"""Steps every browser test takes."""

import re

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from personas import PERSONA_PASSWORD
from qorgau.accounts.models import User


def log_in(page, username: str) -> None:
    """Password, then the code from the person's authenticator app."""
    device, _ = TOTPDevice.objects.get_or_create(
        user=User.objects.get(username=username), name="phone", defaults={"confirmed": True}
    )
    page.goto(f"{page.base_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PERSONA_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/account/2fa/verify/"))
    page.fill("#id_token", f"{totp(device.bin_key):06d}")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{page.base_url}/")
