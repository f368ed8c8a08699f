"""Reads of the access log, for auditors."""

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from qorgau.audit.models import AccessLogEntry


def _in_period(
    entries: QuerySet[AccessLogEntry], since: dt.date | None, until: dt.date | None
) -> QuerySet[AccessLogEntry]:
    """Both days included, in the local time zone."""
    tz = timezone.get_current_timezone()
    if since is not None:
        entries = entries.filter(at__gte=dt.datetime.combine(since, dt.time.min, tzinfo=tz))
    if until is not None:
        next_day = until + dt.timedelta(days=1)
        entries = entries.filter(at__lt=dt.datetime.combine(next_day, dt.time.min, tzinfo=tz))
    return entries


def accesses_to_record(
    *, kind: str, record_id: int, since: dt.date | None = None, until: dt.date | None = None
) -> QuerySet[AccessLogEntry]:
    """Who opened this record, newest first."""
    entries = AccessLogEntry.objects.filter(record_kind=kind, record_id=record_id)
    return _in_period(entries, since, until).order_by("-id")


def accesses_by_user(
    *, username: str, since: dt.date | None = None, until: dt.date | None = None
) -> QuerySet[AccessLogEntry]:
    """What this user opened and searched, newest first."""
    entries = AccessLogEntry.objects.filter(actor_username=username)
    return _in_period(entries, since, until).order_by("-id")
