"""The demo users' second factor: real TOTP, with a published demo key."""

import base64

from django.conf import settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from qorgau.accounts.models import User
from qorgau.demo.credentials import DEMO_DEVICE_NAME, DEMO_TOTP_KEY
from qorgau.demo.personas import demo_users


def ensure_demo_authenticators() -> int:
    """Give every demo user the demo authenticator (once); returns how many were added."""
    users = User.objects.filter(demo_users()).exclude(totpdevice__name=DEMO_DEVICE_NAME)
    devices = [
        TOTPDevice(user=user, name=DEMO_DEVICE_NAME, key=DEMO_TOTP_KEY, confirmed=True)
        for user in users
    ]
    TOTPDevice.objects.bulk_create(devices)
    return len(devices)


def demo_code(username: str) -> str:
    """The current code of a demo user's authenticator. Never for real accounts."""
    if settings.PRODUCTION:
        raise PermissionError("demo codes are not available in production")
    device = TOTPDevice.objects.filter(
        user__username=username, name=DEMO_DEVICE_NAME, key=DEMO_TOTP_KEY, confirmed=True
    ).first()
    if device is None:
        raise LookupError(f"{username} has no demo authenticator")
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def demo_key_base32() -> str:
    """The demo key as authenticator apps take it when typed in."""
    return base64.b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode()
