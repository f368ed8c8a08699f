"""Second factor: TOTP (an authenticator app) with one-time recovery codes.

django-otp does the cryptography and throttling; this module says who must use it
and issues devices and codes. An authenticator is set up only with a one-time
enrolment code from the administrator, so a stolen password alone enrols nobody.
"""

import base64
import datetime as dt
import hashlib
import secrets
import time
from dataclasses import dataclass

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp import devices_for_user
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from qorgau.accounts.models import EnrolmentCode, User
from qorgau.accounts.roles import Role

RECOVERY_CODES = 10
# Base32 without 0/O and 1/I/L look-alikes; 12 characters are 58 bits, read aloud or
# written on paper in three groups.
_ENROLMENT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_ENROLMENT_LENGTH = 12
# Analysts see aggregates only; every other role reaches personal data (the
# administrator through the admin, the auditor through the access log).
ROLES_WITHOUT_PERSONAL_DATA = frozenset({Role.REGIONAL_ANALYST, Role.NATIONAL_ANALYST})


def requires_second_factor(user: User) -> bool:
    return user.is_authenticated and user.role not in ROLES_WITHOUT_PERSONAL_DATA


def has_second_factor(user: User) -> bool:
    return any(isinstance(d, TOTPDevice) for d in devices_for_user(user, confirmed=True))


def _enrolment_hash(code: str) -> str:
    # A plain hash suffices: the code is random, not a password someone chose.
    folded = "".join(c for c in code.upper() if c.isalnum())
    return hashlib.sha256(folded.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedCode:
    code: str
    expires_at: dt.datetime


@transaction.atomic
def enrolment_code_issue(*, actor: User | None, user: User) -> IssuedCode:
    """A fresh one-time code for `user`; an earlier unused one stops working.

    Returned once, to be shown once: only its hash is kept.
    """
    now = timezone.now()
    EnrolmentCode.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now).update(
        expires_at=now
    )
    code = "".join(secrets.choice(_ENROLMENT_ALPHABET) for _ in range(_ENROLMENT_LENGTH))
    issued = EnrolmentCode.objects.create(
        user=user,
        code_hash=_enrolment_hash(code),
        issued_by=actor,
        issued_at=now,
        expires_at=now + dt.timedelta(hours=settings.QORGAU_ENROLMENT_CODE_HOURS),
    )
    grouped = "-".join(code[i : i + 4] for i in range(0, _ENROLMENT_LENGTH, 4))
    return IssuedCode(code=grouped, expires_at=issued.expires_at)


@transaction.atomic
def enrolment_code_redeem(*, user: User, code: str) -> TOTPDevice | None:
    """Spend a valid code of `user`: a new authenticator to set up, or None.

    Any earlier unconfirmed authenticator goes: its key may have been seen by someone
    who had only the password.
    """
    now = timezone.now()
    match = (
        EnrolmentCode.objects.select_for_update()
        .filter(user=user, code_hash=_enrolment_hash(code), used_at__isnull=True)
        .filter(expires_at__gt=now)
        .first()
    )
    if match is None:
        return None
    match.used_at = now
    match.save(update_fields=["used_at"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def key_base32(device: TOTPDevice) -> str:
    """The key as authenticator apps take it when typed in: base32, in groups of four."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def code_was_already_used(user: User, token: str) -> bool:
    """A right code of an authenticator whose time step was already used: a replay.

    django-otp refuses it like a wrong code; the person should hear the difference
    (wait for the next code, rather than check the phone's clock).
    """
    try:
        value = int(token)
    except ValueError:
        return False
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        if totp.verify(value, device.tolerance) and totp.t() <= device.last_t:
            return True
    return False


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
