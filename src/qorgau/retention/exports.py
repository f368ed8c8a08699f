"""Exports of personal data: a CSV of the actor's visible cases in an AES-encrypted ZIP.

The cases come from the access gate (`cases_visible_to`), every export is written to
the access log with its reason, and the archive waits in the database, encrypted,
until its one download or EXPORT_TTL, whichever comes first.
"""

import csv
import datetime as dt
import io
import secrets
import uuid

import pyzipper
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qorgau import limits
from qorgau.access import cases_visible_to
from qorgau.accounts.models import User
from qorgau.accounts.roles import Perm
from qorgau.audit import log as audit
from qorgau.audit.models import Action
from qorgau.audit.models import RecordKind as LogKind
from qorgau.cases.models import Case
from qorgau.limits import text_problems
from qorgau.retention.models import PersonalDataExport

MIN_PASSWORD_LENGTH = 12
EXPORT_TTL = dt.timedelta(minutes=15)
CSV_NAME = "cases.csv"
CSV_COLUMNS = (
    "case_reference",
    "case_id",
    "status",
    "risk_level",
    "region",
    "opened",
    "closed",
    "caseworker",
    "child_id",
    "last_name",
    "first_name",
    "patronymic",
    "birth_date",
    "sex",
)
# No 0/O, 1/l/I: the password is read off the screen and typed.
_ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def generate_password(groups: int = 5, size: int = 5) -> str:
    """25 characters from 57 (about 145 bits), in groups of five to be read aloud."""
    return "-".join("".join(secrets.choice(_ALPHABET) for _ in range(size)) for _ in range(groups))


def _csv_safe(value: object) -> str:
    """Spreadsheets run a cell that starts like a formula: make it text."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _day(value: dt.datetime | dt.date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localdate(value)
    return value.isoformat()


def cases_csv(cases: list[Case]) -> bytes:
    """One row per case and child; a BOM so that spreadsheets read Kazakh and Russian."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for case in cases:
        for child in case.children.all():
            row = (
                case.reference,
                case.pk,
                case.status,
                case.risk_level,
                case.region.kato,
                _day(case.opened_at),
                _day(case.closed_at),
                case.worker.get_username(),
                child.pk,
                child.last_name,
                child.first_name,
                child.middle_name,
                _day(child.birth_date),
                child.sex,
            )
            writer.writerow([_csv_safe(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def encrypted_zip(*, name: str, content: bytes, password: str) -> bytes:
    """A ZIP whose entry is AES-256 encrypted (WinZip AE-2): 7-Zip and others open it."""
    buffer = io.BytesIO()
    with pyzipper.AESZipFile(
        buffer, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES
    ) as archive:
        archive.setpassword(password.encode())
        archive.setencryption(pyzipper.WZ_AES, nbits=256)
        archive.writestr(name, content)
    return buffer.getvalue()


@transaction.atomic
def personal_data_export_create(*, actor: User, reason: str, password: str) -> PersonalDataExport:
    """Build the archive of the actor's visible cases and log the export with its reason."""
    if not actor.has_perm_code(Perm.EXPORT_PERSONAL_DATA):
        raise ValidationError(_("Your role cannot export personal data."), code="forbidden")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the export.")})
    if problems := text_problems(reason=(reason, limits.NOTE)):
        raise ValidationError(problems)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            {
                "password": _("The password needs at least %(n)d characters.")
                % {"n": MIN_PASSWORD_LENGTH}
            }
        )
    cases = list(
        cases_visible_to(actor)
        .select_related("region", "worker")
        .prefetch_related("children")
        .order_by("pk")
    )
    archive = encrypted_zip(name=CSV_NAME, content=cases_csv(cases), password=password)
    audit.record(
        actor=actor,
        action=Action.EXPORT,
        kind=LogKind.CASE,
        reason=reason,
        result_count=len(cases),
    )
    # Each case gets its own entry too: "who opened case no. N" shows the export.
    for case in cases:
        audit.record(
            actor=actor, action=Action.EXPORT, kind=LogKind.CASE, record_id=case.pk, reason=reason
        )
    return PersonalDataExport.objects.create(
        created_by=actor,
        created_at=timezone.now(),
        reason=reason,
        row_count=len(cases),
        archive=archive,
    )


def personal_data_exports_purge(*, now: dt.datetime | None = None) -> int:
    """Drop the archives nobody downloaded in time."""
    now = now or timezone.now()
    stale = PersonalDataExport.objects.filter(
        archive__isnull=False, created_at__lt=now - EXPORT_TTL
    )
    return stale.update(archive=None)


@transaction.atomic
def personal_data_export_take(*, actor: User, export_id: uuid.UUID) -> bytes | None:
    """The archive, once, for the user who made it and within EXPORT_TTL; else None."""
    export = (
        PersonalDataExport.objects.select_for_update()
        .filter(
            pk=export_id,
            created_by=actor,
            archive__isnull=False,
            created_at__gte=timezone.now() - EXPORT_TTL,
        )
        .first()
    )
    if export is None or export.archive is None:
        return None
    content = bytes(export.archive)
    export.archive = None
    export.downloaded_at = timezone.now()
    export.save(update_fields=["archive", "downloaded_at"])
    return content
