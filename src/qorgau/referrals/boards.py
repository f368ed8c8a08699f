"""The referral indicators page's figures for one scope, every one already suppressed.

The national scope is shown by region, a region (a regional analyst, a regional
department's supervisor) by district, a district office by its district. Nothing here
reads a referral row: the figures come from the monitoring definitions
(referrals.definitions) through qorgau.monitoring.published.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from qorgau.monitoring import published, regions
from qorgau.monitoring.disclosure import Suppressed, threshold
from qorgau.monitoring.indicators import Dim, Filters, Unit, compute, memoised
from qorgau.places.models import Place
from qorgau.referrals.models import HousingNeed, ServiceType

# The columns of the two referral tables, in order.
COLUMNS = (
    "referrals.sent",
    "referrals.accepted_share",
    "referrals.completed_share",
    "referrals.acceptance_hours_p50",
    "referrals.acceptance_hours_p90",
)


_SIGN = {Unit.COUNT: "", Unit.PERCENT: "%", Unit.HOURS: "h"}


@dataclass(frozen=True)
class Row:
    label: str
    # (value, unit sign) per COLUMNS; a value None is hidden to protect small counts.
    cells: list[tuple[float | None, str]]

    @property
    def values(self) -> list[float | None]:
        return [value for value, _sign in self.cells]


@dataclass(frozen=True)
class HousingTable:
    kinds: list[str]  # column labels
    rows: list[tuple[str, list[int | None], int | None]]  # area, cells, row total
    totals: list[int | None]
    total: int | None


@dataclass(frozen=True)
class Board:
    scope: str
    year: int | None
    area_heading: str  # the column heading: region or district
    area_title: str  # the table's title: referrals by region or by district
    by_service: list[Row]
    by_area: list[Row]
    service_total: Row
    area_total: Row
    housing: HousingTable
    threshold: int


def scope_filters(scope: str) -> Filters:
    if not scope:
        return {}
    if len(scope) <= 2:
        return {Dim.REGION: scope}
    return {Dim.REGION: scope[:2], Dim.DISTRICT: scope[:4]}


def _areas(scope: str) -> tuple[Dim, list[tuple[str, str]], str]:
    """The dimension the page breaks the scope down by, its (code, name) keys, heading."""
    if not scope:
        keys = [(c, regions.region_name(c)) for c in regions.region_codes()]
        return Dim.REGION, keys, _("Region")
    names: dict[str, str] = {}
    for place in Place.objects.filter(
        kind=Place.Kind.DISTRICT, kato__startswith=scope[:4]
    ).order_by("kato"):
        names.setdefault(place.kato[:4], place.name)
    # A district the figures name that is no district place here (a child living in
    # another region than the case's) still gets its row: the rows add up to the total.
    filters = scope_filters(scope)
    for code in ("referrals.sent", "housing.open_needs"):
        for (district,), _row in compute(code, filters, (Dim.DISTRICT,)).items():
            names.setdefault(str(district), str(district))
    keys = sorted(
        ((code, name) for code, name in names.items() if code),
        key=lambda key: key[0],
    )
    if len(scope) <= 2:
        keys.append(("", _("District not recorded")))
    return Dim.DISTRICT, keys, _("District")


def _rows(
    filters: Filters, by: Dim, keys: list[tuple[str, str]], total_label: str
) -> tuple[list[Row], Row]:
    codes = [code for code, _label in keys]
    columns = [published.column(code, filters, by, codes) for code in COLUMNS]
    rows = [Row(label, [(c.values[code], _SIGN[c.unit]) for c in columns]) for code, label in keys]
    return rows, Row(total_label, [(c.total, _SIGN[c.unit]) for c in columns])


def _housing(filters: Filters, by: Dim, keys: list[tuple[str, str]]) -> HousingTable:
    kinds = list(HousingNeed.Kind)
    result = published.table(
        "housing.open_needs",
        filters,
        (by, [code for code, _label in keys]),
        (Dim.HOUSING_NEED, [k.value for k in kinds]),
    )
    table: Suppressed = result.table
    row_totals = table.row_totals or [None] * len(keys)
    return HousingTable(
        kinds=[str(k.label) for k in kinds],
        rows=[
            (label, cells, row_totals[i])
            for i, ((_code, label), cells) in enumerate(zip(keys, table.cells, strict=True))
        ],
        totals=list(table.col_totals or []),
        total=table.total,
    )


def build(*, scope: str, year: int | None) -> Board:
    with memoised():  # each measure read once per breakdown
        return _build(scope, year)


def _build(scope: str, year: int | None) -> Board:
    filters = scope_filters(scope)
    period: Filters = {**filters, Dim.YEAR: year} if year else filters
    services = [(s.code, s.name) for s in ServiceType.objects.all()]
    by_service, service_total = _rows(period, Dim.SERVICE, services, _("All services"))
    by, areas, heading = _areas(scope)
    by_area, area_total = _rows(period, by, areas, _("Total"))
    title = _("Referrals by region") if by == Dim.REGION else _("Referrals by district")
    return Board(
        scope=scope,
        year=year,
        area_heading=heading,
        area_title=title,
        by_service=by_service,
        by_area=by_area,
        service_total=service_total,
        area_total=area_total,
        housing=_housing(filters, by, areas),
        threshold=threshold(),
    )
