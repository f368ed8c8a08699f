"""The dashboard as an XLSX workbook (the PDF is laid out from the page's template)."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from qorgau.programmes.models import Measure
from qorgau.programmes.selectors import Dashboard
from qorgau.programmes.statements import CHANGE_LABELS, TARGET_LABELS


def _number(value: object) -> object:
    return float(value) if value is not None else None  # type: ignore[arg-type]


def dashboard_xlsx(board: Dashboard) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Measures")[:31]
    statuses = Measure.Status.choices
    sheet.append([_("Direction"), *[str(label) for _v, label in statuses], _("Late")])
    for d in board.directions:
        sheet.append([f"{d.number}. {d.name}", *[d.statuses[v] for v, _l in statuses], d.late])
    sheet.append([_("Total"), *[board.totals[v] for v, _l in statuses], board.late])
    sheet = book.create_sheet(_("Indicators")[:31])
    sheet.append(
        [
            _("Indicator"),
            _("Region"),
            _("Unit"),
            _("Baseline"),
            _("Period"),
            _("Value"),
            _("Lower limit (95% CI)"),
            _("Upper limit (95% CI)"),
            _("Target"),
            _("Target year"),
            _("Against the target"),
            _("Against the baseline"),
        ]
    )
    for row in board.indicators:
        sheet.append(
            [
                f"{row.indicator.code} {row.indicator.name}",
                row.place.name if row.place else _("National"),
                row.indicator.unit,
                _number(row.indicator.baseline_value),
                row.period,
                _number(row.value),
                _number(row.ci_low),
                _number(row.ci_high),
                _number(row.target),
                row.target_year,
                str(TARGET_LABELS[row.statement]),
                str(CHANGE_LABELS[row.change]) if row.change else "",
            ]
        )
    sheet = book.create_sheet(_("Late reports")[:31])
    sheet.append([_("Responsible body"), _("Quarter"), _("Measures without a report")])
    for late in board.late_bodies:
        sheet.append([late.body.name, str(board.due_quarter), late.missing])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
