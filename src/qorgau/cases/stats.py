"""Aggregate counts for analysts: no names, small cells suppressed.

A count of 1 to SUPPRESS_BELOW-1 children in one cell could identify a child in a
small district, so it leaves the system as "suppressed" (None). Zero stays zero:
it identifies nobody.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils import timezone

from qorgau.accounts.models import User
from qorgau.accounts.roles import Perm, Role
from qorgau.cases.choices import Concern
from qorgau.cases.models import Case, Report, ReportConcern
from qorgau.places.models import Place
from qorgau.places.ordering import region_order

SUPPRESS_BELOW = 5


def suppress(count: int) -> int | None:
    return None if 0 < count < SUPPRESS_BELOW else count


@dataclass(frozen=True)
class RegionRow:
    region: Place
    reports: int | None
    opened: int | None
    open_now: int | None
    closed: int | None


@dataclass(frozen=True)
class Overview:
    since: dt.date
    national: bool
    regions: list[RegionRow]
    concerns: list[tuple[str, int | None]]


def stats_scope(actor: User) -> str | None:
    """The KATO prefix the actor may aggregate over: '' for national, None for nothing."""
    if not actor.has_perm_code(Perm.STATS_VIEW):
        return None
    if actor.role in (Role.NATIONAL_ANALYST, Role.AUDITOR):
        return ""
    return actor.region_code


def overview(*, actor: User, days: int = 365) -> Overview | None:
    prefix = stats_scope(actor)
    if prefix is None:
        return None
    since = timezone.now() - dt.timedelta(days=days)
    regions = Place.objects.filter(parent__isnull=True, kato__startswith=prefix)
    reports = (
        Report.objects.filter(received_at__gte=since, place__kato__startswith=prefix)
        .annotate(region=Substr("place__kato", 1, 2))
        .values("region")
        .annotate(n=Count("pk"))
    )
    cases = (
        Case.objects.filter(region__kato__startswith=prefix)
        .values("region__kato")
        .annotate(
            opened=Count("pk", filter=Q(opened_at__gte=since)),
            open_now=Count("pk", filter=~Q(status=Case.Status.CLOSED)),
            closed=Count("pk", filter=Q(closed_at__gte=since)),
        )
    )
    report_counts = {row["region"]: row["n"] for row in reports}
    case_counts = {row["region__kato"]: row for row in cases}
    rows = []
    for region in sorted(regions, key=lambda r: region_order(r.region_code, r.name)):
        c = case_counts.get(region.kato, {})
        rows.append(
            RegionRow(
                region=region,
                reports=suppress(report_counts.get(region.region_code, 0)),
                opened=suppress(c.get("opened", 0)),
                open_now=suppress(c.get("open_now", 0)),
                closed=suppress(c.get("closed", 0)),
            )
        )
    concern_counts = dict(
        ReportConcern.objects.filter(
            report__received_at__gte=since, report__place__kato__startswith=prefix
        )
        .values_list("concern")
        .annotate(n=Count("pk"))
    )
    concerns = [
        (str(label), suppress(concern_counts.get(code, 0))) for code, label in Concern.choices
    ]
    return Overview(
        since=since.date(),
        national=prefix == "",
        regions=rows,
        concerns=concerns,
    )
