"""Reads: staffing against the norm by region, and one region's organisations.

Specialists per 5,000 children = filled posts / children 0-17 x 5,000, the children from
the population denominators (qorgau.monitoring) of the latest year up to the period's.
The norm (QORGAU_CHILDREN_PER_SPECIALIST, 5,000 by default) is met at 1.0 or more.
"""

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, QuerySet
from django.db.models.functions import Substr

from qorgau.accounts.models import Organisation
from qorgau.cases.models import Case, Report
from qorgau.monitoring.disclosure import suppress_column
from qorgau.monitoring.indicators import Dim
from qorgau.monitoring.models import PopulationCount
from qorgau.monitoring.selectors import children
from qorgau.places.models import Place
from qorgau.programmes.periods import Quarter
from qorgau.workforce.definitions import filled_posts
from qorgau.workforce.models import STAFFED_KINDS, Specialist, StaffingReport

HUNDREDTH = Decimal("0.01")


def _ratio(numerator: float, denominator: float, scale: int = 1) -> Decimal | None:
    if not denominator:
        return None
    value = Decimal(numerator) * scale / Decimal(denominator)
    return value.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class RegionStaffing:
    region: Place
    approved: int
    filled: int
    children: int | None
    per_norm: Decimal | None  # specialists per 5,000 children
    needed: int | None  # specialists the norm asks for
    vacancy_rate: Decimal | None  # percent of approved posts vacant
    open_cases_per_specialist: Decimal | None
    new_reports_per_specialist: Decimal | None
    # The count under a ratio was hidden by the disclosure step (too few to publish).
    open_cases_hidden: bool = False
    new_reports_hidden: bool = False

    @property
    def vacant(self) -> int:
        return self.approved - self.filled

    @property
    def below_norm(self) -> bool:
        return self.per_norm is not None and self.per_norm < 1

    @property
    def shortfall(self) -> int:
        return max((self.needed or 0) - self.filled, 0)


def latest_period() -> Quarter | None:
    row = StaffingReport.objects.order_by("-year", "-quarter").values("year", "quarter").first()
    return Quarter(row["year"], row["quarter"]) if row else None


def population_year(up_to: int) -> int | None:
    return (
        PopulationCount.objects.filter(year__lte=up_to)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )


def norm_ratio(*, specialists: int, children_count: int | None) -> Decimal | None:
    """Specialists per QORGAU_CHILDREN_PER_SPECIALIST children (1.00 = the norm)."""
    if not children_count:
        return None
    return _ratio(specialists, children_count, settings.QORGAU_CHILDREN_PER_SPECIALIST)


def staffing_by_region(regions: QuerySet[Place], period: Quarter) -> list[RegionStaffing]:
    """Every region of `regions`, those below the norm first (the furthest below first)."""
    region_list = list(regions)
    codes = [r.iso_code for r in region_list]
    posts = filled_posts(period.year, period.quarter)
    year = population_year(period.year)
    kids = children({Dim.YEAR: year, Dim.REGION: codes}, (Dim.REGION,)) if year else {}
    open_cases = dict(
        Case.objects.exclude(status=Case.Status.CLOSED)
        .filter(region__iso_code__in=codes)
        .order_by()
        .values_list("region__iso_code")
        .annotate(n=Count("pk"))
    )
    new_reports = dict(
        Report.objects.filter(
            received_at__date__gte=period.starts_on, received_at__date__lte=period.ends_on
        )
        .annotate(code=Substr("place__kato", 1, 2))
        .filter(code__in=codes)
        .order_by()
        .values_list("code")
        .annotate(n=Count("pk"))
    )
    # Case counts leave the system only through the monitoring disclosure step: a
    # ratio over a hidden count would give the count back (ratio x specialists).
    shown_cases, _ = suppress_column([open_cases.get(c, 0) for c in codes], total=False)
    shown_reports, _ = suppress_column([new_reports.get(c, 0) for c in codes], total=False)
    rows = []
    for region, cases, reports in zip(region_list, shown_cases, shown_reports, strict=True):
        code = region.iso_code
        filled = posts.get(code, {}).get("filled", 0)
        approved = posts.get(code, {}).get("approved", 0)
        found = kids.get((code,))
        count = int(found) if found else None
        rows.append(
            RegionStaffing(
                region=region,
                approved=approved,
                filled=filled,
                children=count,
                per_norm=norm_ratio(specialists=filled, children_count=count),
                needed=math.ceil(count / settings.QORGAU_CHILDREN_PER_SPECIALIST)
                if count
                else None,
                vacancy_rate=_ratio(approved - filled, approved, 100),
                open_cases_per_specialist=_ratio(cases, filled) if cases is not None else None,
                new_reports_per_specialist=_ratio(reports, filled) if reports is not None else None,
                open_cases_hidden=cases is None,
                new_reports_hidden=reports is None,
            )
        )
    return sorted(
        rows,
        key=lambda r: (not r.below_norm, r.per_norm if r.below_norm else 0, r.region.kato),
    )


def organisations_of(region: Place) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        kind__in=STAFFED_KINDS, place__kato__startswith=region.territory_prefix
    ).select_related("place")


def history_of(organisations: list[Organisation], periods: int = 8) -> dict[int, list]:
    """Each organisation's last `periods` staffing reports, newest first."""
    found: dict[int, list] = {o.pk: [] for o in organisations}
    for row in StaffingReport.objects.filter(organisation__in=organisations).order_by(
        "organisation_id", "-year", "-quarter"
    ):
        if len(found[row.organisation_id]) < periods:
            found[row.organisation_id].append(row)
    return found


def specialists_of(region: Place) -> QuerySet[Specialist]:
    return (
        Specialist.objects.filter(
            organisation__place__kato__startswith=region.territory_prefix, left_on__isnull=True
        )
        .select_related("organisation", "user")
        .order_by("organisation__name", "full_name")
    )
