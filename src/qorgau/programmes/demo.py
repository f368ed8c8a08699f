"""The demo's programmes: the SYNTHETIC Qazaqstan Balalary plan, and a year of synthetic
progress (measure statuses, indicator values, Adal Azamat activities), some of it late.
Idempotent: nothing is added when the plan is already there."""

import datetime as dt
import io
import random
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from qorgau.accounts.models import Organisation, User
from qorgau.accounts.roles import Role
from qorgau.places.models import Place
from qorgau.programmes.models import (
    ActivityReport,
    IndicatorTarget,
    IndicatorValue,
    Measure,
    MeasureReport,
    Programme,
    ResponsibleBody,
)
from qorgau.programmes.periods import Quarter, last_due
from qorgau.programmes.plan import plan_import
from qorgau.programmes.synthetic import synthetic_plan

PLAN = "qazaqstan-balalary"
SEED = 2026
LATE_SHARE = 0.15  # bodies and schools that miss the latest due quarter


def delete_demo_progress(users: QuerySet[User]) -> None:
    """Progress reported by demo users (before the users themselves are removed)."""
    for model in (MeasureReport, IndicatorValue, ActivityReport):
        model.objects.filter(reported_by__in=users).delete()


def _quarters(first: Quarter, last: Quarter) -> list[Quarter]:
    found = []
    while first <= last:
        found.append(first)
        first = first.next()
    return found


def ensure_demo_programmes(command: BaseCommand) -> None:
    programme = Programme.objects.get(code=PLAN)
    if programme.measures.exists():
        command.stdout.write("The demo programme plan is already loaded.")
        return
    out = io.BytesIO()
    synthetic_plan(SEED).save(out)
    out.seek(0)
    result = plan_import(source=out, programme_code=PLAN)
    if not result.stored:
        raise RuntimeError(f"the synthetic plan did not load: {result.errors[:3]}")
    with transaction.atomic():
        coordinators = _link_bodies()
        today = timezone.localdate()
        rng = random.Random(SEED)  # noqa: S311  (synthetic data, not security)
        _measure_progress(programme, coordinators, today, rng)
        _indicator_values(programme, coordinators, today, rng)
        activities = _activities(today, rng)
    command.stdout.write(
        command.style.SUCCESS(
            f"Loaded the SYNTHETIC plan of {PLAN} (158 measures) with progress up to"
            f" {last_due(today)}, and {activities} Adal Azamat activity rows."
        )
    )


def _link_bodies() -> dict[int, User]:
    """Each body's reporting organisation and the coordinator who reports for it."""
    users = {
        u.organisation_id: u
        for u in User.objects.filter(role=Role.PROGRAMME_COORDINATOR).order_by("pk")
    }
    ministry = Organisation.objects.filter(kind=Organisation.Kind.MINISTRY).first()
    departments = {
        o.place.region_code: o
        for o in Organisation.objects.filter(
            kind=Organisation.Kind.CHILD_RIGHTS_DEPARTMENT, place__kind__in=["region", "city"]
        ).select_related("place")
    }
    coordinators = {}
    for body in ResponsibleBody.objects.select_related("region"):
        org = departments.get(body.region.region_code) if body.region else ministry
        if org is None or org.pk not in users:
            continue
        body.organisation = org
        body.save(update_fields=["organisation"])
        coordinators[body.pk] = users[org.pk]
    return coordinators


def _measure_progress(
    programme: Programme, coordinators: dict[int, User], today: dt.date, rng: random.Random
) -> None:
    due = last_due(today)
    quarters = _quarters(Quarter.of(programme.starts_on), due)
    late_bodies = {pk for pk in coordinators if rng.random() < LATE_SHARE}
    now = timezone.now()
    rows = []
    measures = list(programme.measures.prefetch_related("bodies"))
    for measure in measures:
        status = Measure.Status.PLANNED
        for quarter in quarters:
            # Measures move on over the quarters; those due soonest first.
            months_left = (measure.deadline - quarter.ends_on).days / 30
            if status == Measure.Status.PLANNED and rng.random() < 0.5:
                status = Measure.Status.IN_PROGRESS
            if status == Measure.Status.IN_PROGRESS and months_left < 6 and rng.random() < 0.6:
                status = Measure.Status.DONE
            if status != Measure.Status.DONE and rng.random() < 0.01:
                status = Measure.Status.CANCELLED
            for body in measure.bodies.all():
                if body.pk not in coordinators or (quarter == due and body.pk in late_bodies):
                    continue
                rows.append(
                    MeasureReport(
                        measure=measure,
                        body=body,
                        year=quarter.year,
                        quarter=quarter.quarter,
                        status=status,
                        reported_by=coordinators[body.pk],
                        reported_at=now,
                    )
                )
    MeasureReport.objects.bulk_create(rows)
    # The measures' statuses from their bodies' latest reports, as the service sets them.
    order = list(Measure.Status.values)
    latest: dict[tuple[int, int], str] = {}
    for r in sorted(rows, key=lambda r: (r.year, r.quarter)):
        latest[(r.measure_id, r.body_id)] = r.status
    for measure in measures:
        statuses = {latest.get((measure.pk, b.pk), "planned") for b in measure.bodies.all()}
        measure.status = min(statuses, key=order.index)
    Measure.objects.bulk_update(measures, ["status"])


def _indicator_values(
    programme: Programme, coordinators: dict[int, User], today: dt.date, rng: random.Random
) -> None:
    reporter = next(iter(coordinators.values()))
    by_region = {u.region_code: u for u in coordinators.values()}
    national_reporter = by_region.get("71", reporter)
    regions = list(Place.objects.filter(kind__in=["region", "city"]))
    quarters = _quarters(Quarter.of(programme.starts_on), last_due(today))
    now = timezone.now()
    rows = []
    for indicator in programme.indicators.filter(definition=""):
        target = IndicatorTarget.objects.filter(
            indicator=indicator, region__isnull=True, year=today.year
        ).first()
        goal = target.value if target else indicator.baseline_value
        estimated = "MICS" in indicator.name_en
        for place in [None, *regions]:
            spread = Decimal(str(rng.uniform(0.85, 1.2)))
            for n, quarter in enumerate(quarters, start=1):
                if estimated and quarter != quarters[-1]:
                    continue  # a survey: one estimate
                share = Decimal(n) / Decimal(len(quarters))
                value = indicator.baseline_value + (goal - indicator.baseline_value) * share
                value = (value * spread).quantize(Decimal("0.1"))
                low = high = None
                if estimated:
                    half = (value * Decimal("0.15")).quantize(Decimal("0.1"))
                    low, high = value - half, value + half
                user = by_region.get(place.region_code, national_reporter) if place else None
                rows.append(
                    IndicatorValue(
                        indicator=indicator,
                        region=place,
                        year=quarter.year,
                        quarter=quarter.quarter,
                        value=value,
                        ci_low=low,
                        ci_high=high,
                        reported_by=user or national_reporter,
                        reported_at=now,
                    )
                )
    IndicatorValue.objects.bulk_create(rows)


def _activities(today: dt.date, rng: random.Random) -> int:
    programme = Programme.objects.get(code="adal-azamat")
    quarters = _quarters(Quarter.of(programme.starts_on), last_due(today))
    reporters = {u.organisation_id: u for u in User.objects.filter(role=Role.SCHOOL_REPORTER)}
    fallback = User.objects.filter(role=Role.PROGRAMME_COORDINATOR).order_by("pk").first()
    now = timezone.now()
    rows = []
    for school in Organisation.objects.filter(kind=Organisation.Kind.SCHOOL):
        late = rng.random() < LATE_SHARE
        size = rng.randint(20, 35)
        for quarter in quarters:
            if late and quarter == quarters[-1]:
                continue
            for grade in range(0, 12):
                sessions = rng.randint(2, 6)
                rows.append(
                    ActivityReport(
                        school=school,
                        year=quarter.year,
                        quarter=quarter.quarter,
                        grade=grade,
                        sessions_held=sessions,
                        pupils_reached=size * 3 - rng.randint(0, 10),
                        reported_by=reporters.get(school.pk, fallback),
                        reported_at=now,
                    )
                )
    ActivityReport.objects.bulk_create(rows)
    return len(rows)
