"""Second factor: TOTP (an authenticator app) with one-time recovery codes.

django-otp does the cryptography and throttling; this module says who must use it
and issues devices and codes.
"""

import qrcode
import qrcode.image.svg
from django.db import transaction
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from qorgau.accounts.models import User
from qorgau.accounts.roles import Role

RECOVERY_CODES = 10
# Analysts see aggregates only; every other role reaches personal data (the
# administrator through the admin, the auditor through the access log).
ROLES_WITHOUT_PERSONAL_DATA = frozenset({Role.REGIONAL_ANALYST, Role.NATIONAL_ANALYST})


def requires_second_factor(user: User) -> bool:
    return user.is_authenticated and user.role not in ROLES_WITHOUT_PERSONAL_DATA


def has_second_factor(user: User) -> bool:
    return any(isinstance(d, TOTPDevice) for d in devices_for_user(user, confirmed=True))


def totp_device_for_setup(user: User) -> TOTPDevice:
    """The user's unconfirmed authenticator, made once and reused until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def qr_code_svg(device: TOTPDevice) -> str:
    """The provisioning URL as an inline SVG: no image service, no script."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    return image.to_string(encoding="unicode")


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the authenticator with its first code; returns fresh recovery codes."""
    if not device.verify_token(token):
        return None
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return recovery_codes_issue(user=device.user)


@transaction.atomic
def recovery_codes_issue(*, user: User) -> list[str]:
    """Replace the user's recovery codes; each works once. Shown to the user once."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name="recovery")
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes
