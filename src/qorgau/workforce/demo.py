"""The demo's workforce: SYNTHETIC population denominators (unless some are imported),
posts of every child rights department, district office and guardianship body per
quarter since 2025, some regions under the 1-per-5,000 norm, and the demo's caseworkers
and supervisors recorded as specialists linked to their accounts. Idempotent."""

import csv
import io
import math
import random

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from qorgau.accounts.models import Organisation, User
from qorgau.accounts.roles import Role
from qorgau.demo.geography import REGIONS
from qorgau.monitoring.models import PopulationCount
from qorgau.monitoring.services import stats_import
from qorgau.programmes.periods import Quarter, last_due
from qorgau.workforce.models import STAFFED_KINDS, Specialist, StaffingReport

SEED = 5000
CHILDREN = 7_000_000  # about the country's children 0-17
AGE_SHARES = {"0-4": 0.30, "5-9": 0.29, "10-14": 0.26, "15-17": 0.15}
FIRST = Quarter(2025, 1)
DEPARTMENT = Organisation.Kind.CHILD_RIGHTS_DEPARTMENT


def _population_csv() -> bytes:
    total = sum(r.weight for r in REGIONS)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["year", "region", "sex", "age_group", "children"])
    for year, growth in ((2025, 1.0), (2026, 1.012)):
        for region in REGIONS:
            children = CHILDREN * region.weight / total * growth
            for sex, share in (("M", 0.513), ("F", 0.487)):
                for age, age_share in AGE_SHARES.items():
                    writer.writerow(
                        [year, region.code, sex, age, round(children * share * age_share)]
                    )
    return out.getvalue().encode()


def ensure_demo_workforce(command: BaseCommand) -> None:
    if not PopulationCount.objects.exists():
        stats_import(
            actor=None,
            kind="population",
            file_name="synthetic-population-demo.csv",
            content=_population_csv(),
        )
        command.stdout.write("Imported SYNTHETIC population denominators for 2025 and 2026.")
    if StaffingReport.objects.exists():
        command.stdout.write("The demo workforce is already recorded.")
        return
    with transaction.atomic():
        posts = _staffing()
        linked = _specialists()
    command.stdout.write(
        command.style.SUCCESS(
            f"Recorded {posts} staffing reports and {linked} specialists linked to demo accounts."
        )
    )


def _staffing() -> int:
    rng = random.Random(SEED)  # noqa: S311  (synthetic data, not security)
    children = dict(
        PopulationCount.objects.filter(year=2025)
        .order_by()
        .values_list("region")
        .annotate(n=Sum("children"))
        .values_list("region", "n")
    )
    quarters = []
    quarter = FIRST
    while quarter <= last_due(timezone.localdate()):
        quarters.append(quarter)
        quarter = quarter.next()
    now = timezone.now()
    rows = []
    organisations = Organisation.objects.filter(kind__in=STAFFED_KINDS).select_related("place")
    by_region: dict[str, list[Organisation]] = {}
    for org in organisations:
        by_region.setdefault(org.place.region_code, []).append(org)
    for region, orgs in by_region.items():
        needed = children.get(region, 0) / settings.QORGAU_CHILDREN_PER_SPECIALIST
        # About a third of the regions start under the norm; hiring closes some of the gap.
        start = rng.choice((0.55, 0.7, 0.85, 1.05, 1.15, 1.25))
        for n, quarter in enumerate(quarters):
            level = min(start + 0.03 * n, 1.3)
            filled_total = math.floor(needed * level)
            approved_total = max(math.ceil(needed * rng.uniform(1.05, 1.3)), filled_total)
            weights = [
                3 if o.kind == Organisation.Kind.CHILD_RIGHTS_DEPARTMENT else 1 for o in orgs
            ]
            for org, weight in zip(orgs, weights, strict=True):
                share = weight / sum(weights)
                approved = round(approved_total * share)
                rows.append(
                    StaffingReport(
                        organisation=org,
                        year=quarter.year,
                        quarter=quarter.quarter,
                        approved=approved,
                        filled=min(round(filled_total * share), approved),
                        reported_at=now,
                    )
                )
    StaffingReport.objects.bulk_create(rows)
    return len(rows)


def _specialists() -> int:
    staff = User.objects.filter(
        role__in=[Role.CASEWORKER, Role.SUPERVISOR], specialist__isnull=True
    ).select_related("organisation")
    rows = [
        Specialist(
            organisation=user.organisation,
            full_name=user.get_full_name() or user.username,
            position=user.get_role_display(),
            user=user,
            started_on=user.date_joined.date(),
        )
        for user in staff
        if user.organisation is not None
    ]
    Specialist.objects.bulk_create(rows)
    return len(rows)
