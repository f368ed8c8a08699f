"""A district's Adal Azamat activities for one quarter from one XLSX file: sheet
"activities", columns school_id, grade, sessions_held, pupils_reached (one row per
school and grade; docs/programmes-plan-layout.md). Bad rows are reported with their
row, column and why; nothing is stored unless every row is good or `keep_good`.
"""

from dataclasses import dataclass, field
from typing import IO, Any

from django.db import transaction
from django.db.models import QuerySet
from openpyxl import load_workbook

from qorgau.accounts.models import Organisation, User
from qorgau.programmes.periods import Quarter
from qorgau.programmes.plan import BadCell, RowError, cell_int, read_rows
from qorgau.programmes.services import GradeActivity, activity_report

COLUMNS = ("school_id*", "grade*", "sessions_held*", "pupils_reached*")
SHEET = "activities"


@dataclass
class ActivityImport:
    errors: list[RowError] = field(default_factory=list)
    stored_rows: int = 0
    schools: int = 0


def activity_file_import(
    *,
    actor: User,
    source: IO[bytes],
    quarter: Quarter,
    schools: QuerySet[Organisation],
    keep_good: bool = False,
) -> ActivityImport:
    """`schools`: those the actor may report for (access.schools_reportable_by)."""
    result = ActivityImport()
    try:
        book = load_workbook(source, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is no workbook
        result.errors.append(RowError("-", 0, "-", f"not an XLSX workbook: {error}"))
        return result
    allowed = set(schools.values_list("pk", flat=True))
    by_school: dict[int, dict[int, GradeActivity]] = {}
    for number, row in read_rows(book, SHEET, COLUMNS, result.errors):
        try:
            item = _row(row, allowed)
        except BadCell as bad:
            result.errors.append(RowError(SHEET, number, bad.column, bad.message))
            continue
        school_id, activity = item
        if activity.grade in by_school.setdefault(school_id, {}):
            result.errors.append(
                RowError(SHEET, number, "grade", "this school's grade appears twice")
            )
            continue
        by_school[school_id][activity.grade] = activity
    book.close()
    if result.errors and not keep_good:
        return result
    with transaction.atomic():
        for school in Organisation.objects.filter(pk__in=by_school):
            grades = list(by_school[school.pk].values())
            activity_report(actor=actor, school=school, quarter=quarter, grades=grades)
            result.stored_rows += len(grades)
            result.schools += 1
    return result


def _row(row: dict[str, Any], allowed: set[int]) -> tuple[int, GradeActivity]:
    school = cell_int(row, "school_id", 1, 2**62)
    if school not in allowed:
        # The same words for a school that does not exist and one outside the district.
        raise BadCell("school_id", f"no school {school} among those you report for")
    activity = GradeActivity(
        grade=cell_int(row, "grade", 0, 11),
        sessions_held=cell_int(row, "sessions_held", 0, 10_000),
        pupils_reached=cell_int(row, "pupils_reached", 0, 100_000),
    )
    if activity.pupils_reached and not activity.sessions_held:
        raise BadCell("sessions_held", "pupils reached without a session held")
    return school, activity
