"""Writes: quarterly progress on measures and indicators, and schools' Adal Azamat
activities. Who may write for which body, region or school is decided by the caller
through qorgau.access; these functions check what the data itself must satisfy.
Each report's earlier versions are kept by its history table, in the same transaction.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qorgau.accounts.models import Organisation, User
from qorgau.places.models import Place
from qorgau.programmes.models import (
    ActivityReport,
    Indicator,
    IndicatorValue,
    Measure,
    MeasureReport,
    ResponsibleBody,
)
from qorgau.programmes.periods import Quarter


def _reportable(quarter: Quarter) -> None:
    if quarter.starts_on > timezone.localdate():
        raise ValidationError({"quarter": _("A quarter that has not begun cannot be reported.")})


@transaction.atomic
def measure_report(
    *,
    actor: User,
    measure: Measure,
    body: ResponsibleBody,
    quarter: Quarter,
    status: str,
    comment: str = "",
) -> MeasureReport:
    """A body's status of a measure for a quarter (a second report corrects the first)."""
    _reportable(quarter)
    if not measure.bodies.filter(pk=body.pk).exists():
        raise ValidationError({"measure": _("This body is not responsible for this measure.")})
    if status not in Measure.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    report, _created = MeasureReport.objects.update_or_create(
        measure=measure,
        body=body,
        year=quarter.year,
        quarter=quarter.quarter,
        defaults={
            "status": status,
            "comment": comment,
            "reported_by": actor,
            "reported_at": timezone.now(),
        },
    )
    # The measure's status is the least advanced of its bodies' latest reports (a body
    # that never reported counts as planned): done only when every body says done.
    locked = Measure.objects.select_for_update().get(pk=measure.pk)
    latest: dict[int, str] = {}
    for body_id, reported in locked.reports.order_by("year", "quarter").values_list(
        "body_id", "status"
    ):
        latest[body_id] = reported  # in time order: the latest wins
    statuses = {
        latest.get(pk, Measure.Status.PLANNED) for pk in locked.bodies.values_list("pk", flat=True)
    }
    order = [
        Measure.Status.PLANNED,
        Measure.Status.IN_PROGRESS,
        Measure.Status.DONE,
        Measure.Status.CANCELLED,
    ]
    locked.status = next(s for s in order if s in statuses)
    locked.save(update_fields=["status"])
    return report


@transaction.atomic
def indicator_value_report(
    *,
    actor: User,
    indicator: Indicator,
    region: Place | None,
    quarter: Quarter,
    value: Decimal,
    ci_low: Decimal | None = None,
    ci_high: Decimal | None = None,
) -> IndicatorValue:
    """An indicator's value for a region (None: national) as of a quarter."""
    _reportable(quarter)
    if (ci_low is None) != (ci_high is None):
        raise ValidationError({"ci_low": _("Give both ends of the interval, or neither.")})
    if ci_low is not None and ci_high is not None and not ci_low <= value <= ci_high:
        raise ValidationError({"ci_low": _("The interval must contain the value.")})
    row, _created = IndicatorValue.objects.update_or_create(
        indicator=indicator,
        region=region,
        year=quarter.year,
        quarter=quarter.quarter,
        defaults={
            "value": value,
            "ci_low": ci_low,
            "ci_high": ci_high,
            "reported_by": actor,
            "reported_at": timezone.now(),
        },
    )
    return row


@dataclass(frozen=True)
class GradeActivity:
    grade: int  # 0 is the pre-school class, then 1 to 11
    sessions_held: int
    pupils_reached: int


@transaction.atomic
def activity_report(
    *, actor: User, school: Organisation, quarter: Quarter, grades: list[GradeActivity]
) -> list[ActivityReport]:
    """A school's Adal Azamat sessions and pupils reached in a quarter, grade by grade."""
    _reportable(quarter)
    if school.kind != Organisation.Kind.SCHOOL:
        raise ValidationError({"school": _("Only a school reports Adal Azamat activities.")})
    rows = []
    for item in grades:
        if not 0 <= item.grade <= 11:
            raise ValidationError({"grade": _("A grade is 0 to 11.")})
        if item.pupils_reached > 0 and item.sessions_held == 0:
            raise ValidationError(
                {
                    "sessions_held": _("Pupils were reached in grade %(grade)s without a session.")
                    % {"grade": item.grade}
                }
            )
        row, _created = ActivityReport.objects.update_or_create(
            school=school,
            year=quarter.year,
            quarter=quarter.quarter,
            grade=item.grade,
            defaults={
                "sessions_held": item.sessions_held,
                "pupils_reached": item.pupils_reached,
                "reported_by": actor,
                "reported_at": timezone.now(),
            },
        )
        rows.append(row)
    return rows
