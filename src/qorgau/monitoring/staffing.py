"""Staffing against the norm: child protection specialists per children, by region.

The norm (2025) is at least one specialist per 5,000 children: QORGAU_STAFFING_NORM
children per specialist. Specialists are the active caseworkers and supervisors of the
region's child rights departments and offices; children from the population file.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import Substr

from qorgau.accounts.models import User
from qorgau.accounts.roles import Role
from qorgau.cases.models import Case
from qorgau.monitoring.disclosure import suppress_count
from qorgau.monitoring.indicators import Counts, Dim, Filters, measure
from qorgau.monitoring.regions import region_codes, region_name
from qorgau.monitoring.selectors import children, population_years


def norm() -> int:
    return int(getattr(settings, "QORGAU_STAFFING_NORM", 5000))


@measure("staff.specialists", {Dim.REGION})
def specialists(filters: Filters, by: tuple[Dim, ...] = ()) -> Counts:
    rows = (
        User.objects.filter(
            is_active=True,
            role__in=(Role.CASEWORKER, Role.SUPERVISOR),
            organisation__isnull=False,
        )
        .annotate(region=Substr("organisation__place__kato", 1, 2))
        .values("region")
        .annotate(n=Count("pk"))
    )
    if Dim.REGION in filters:
        rows = rows.filter(region=filters[Dim.REGION])
    counts = {row["region"]: row["n"] for row in rows}
    if by == (Dim.REGION,):
        return {(code,): n for code, n in counts.items()}
    return {(): sum(counts.values())}


@dataclass(frozen=True)
class StaffingRow:
    code: str
    name: str
    specialists: int
    children: int | None
    needed: int | None  # specialists the norm asks for
    open_cases: int | None  # suppressed when small
    cases_per_specialist: float | None

    @property
    def below_norm(self) -> bool:
        return self.needed is not None and self.specialists < self.needed


def staffing(scope: str) -> list[StaffingRow]:
    """One row per region of the scope ("" for all). Staff counts are not about
    children and are not suppressed; open cases are."""
    years = population_years()
    pops = children({Dim.YEAR: years[-1]}, (Dim.REGION,)) if years else {}
    staff = specialists({}, (Dim.REGION,))
    open_cases = dict(
        Case.objects.filter(~Q(status=Case.Status.CLOSED), region__kato__startswith=scope)
        .values_list("region__kato")
        .annotate(n=Count("pk"))
    )
    rows = []
    for code in region_codes():
        if scope and code != scope:
            continue
        n = int(staff.get((code,), 0))
        kids = pops.get((code,))
        needed = -(-int(kids) // norm()) if kids else None  # ceiling
        cases = open_cases.get(f"{code}0000000", 0)
        rows.append(
            StaffingRow(
                code,
                region_name(code),
                n,
                int(kids) if kids else None,
                needed,
                suppress_count(cases),
                cases / n if n and suppress_count(cases) else None,
            )
        )
    return rows
