"""Adal Azamat: a school's short form, a district's file, the reach indicator, lateness."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from personas import make_organisation
from qorgau.accounts.models import Organisation
from qorgau.monitoring.indicators import Dim
from qorgau.programmes.definitions import pupils_reached
from qorgau.programmes.models import ActivityReport
from qorgau.programmes.periods import Quarter
from qorgau.programmes.selectors import schools_late
from qorgau.programmes.services import GradeActivity, activity_report

pytestmark = pytest.mark.django_db


def test_a_school_reports_its_quarter_grade_by_grade(client, school_reporter, school_pavlodar):
    client.force_login(school_reporter)
    url = reverse("activity-report")
    assert client.get(url).status_code == 200
    data = {
        "quarter": "2026-1",
        "sessions_5": "4",
        "pupils_5": "52",
        "sessions_6": "3",
        "pupils_6": "48",
    }
    assert client.post(url, data).status_code == 302
    rows = ActivityReport.objects.filter(school=school_pavlodar).order_by("grade")
    assert [(r.grade, r.sessions_held, r.pupils_reached) for r in rows] == [(5, 4, 52), (6, 3, 48)]


def test_pupils_reached_without_a_session_is_refused(client, school_reporter):
    client.force_login(school_reporter)
    response = client.post(reverse("activity-report"), {"quarter": "2026-1", "pupils_3": "20"})
    assert response.status_code == 400
    assert "without a session" in str(response.context["form"].errors)
    assert not ActivityReport.objects.exists()


def test_a_school_reporter_cannot_report_for_another_school(client, school_reporter, astana):
    other = make_organisation(
        name="School No. 1, Astana", kind=Organisation.Kind.SCHOOL, place=astana
    )
    client.force_login(school_reporter)
    url = reverse("activity-report") + f"?school={other.pk}"
    assert client.get(url).status_code == 404
    assert client.post(url, {"quarter": "2026-1", "sessions_1": "1"}).status_code == 404
    assert not ActivityReport.objects.exists()


def _file(rows) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.title = "activities"
    sheet.append(["school_id", "grade", "sessions_held", "pupils_reached"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "district.xlsx"
    return out


def test_a_district_file_with_bad_rows_is_reported_row_by_row_and_stores_nothing(
    client, coordinator_pavlodar, school_pavlodar, astana
):
    outside = make_organisation(
        name="School No. 1, Astana", kind=Organisation.Kind.SCHOOL, place=astana
    )
    client.force_login(coordinator_pavlodar)
    rows = [
        [school_pavlodar.pk, 1, 2, 30],
        [school_pavlodar.pk, 12, 2, 30],  # row 3: no grade 12
        [outside.pk, 1, 2, 30],  # row 4: not a school of the region
        [school_pavlodar.pk, 2, 0, 5],  # row 5: pupils without a session
        [school_pavlodar.pk, 1, 1, 1],  # row 6: grade 1 twice
    ]
    response = client.post(reverse("activity-upload"), {"quarter": "2026-1", "file": _file(rows)})
    assert response.status_code == 400
    errors = {(e.row, e.column) for e in response.context["result"].errors}
    assert errors == {(3, "grade"), (4, "school_id"), (5, "sessions_held"), (6, "grade")}
    assert not ActivityReport.objects.exists()
    response = client.post(
        reverse("activity-upload"), {"quarter": "2026-1", "file": _file(rows), "keep_good": "on"}
    )
    assert response.status_code == 200
    assert list(ActivityReport.objects.values_list("grade", "pupils_reached")) == [(1, 30)]


def test_the_reach_counts_a_pupil_once_a_year_not_once_a_quarter(school_reporter, school_pavlodar):
    for quarter, pupils in ((1, 40), (2, 45)):
        activity_report(
            actor=school_reporter,
            school=school_pavlodar,
            quarter=Quarter(2026, quarter),
            grades=[GradeActivity(grade=5, sessions_held=3, pupils_reached=pupils)],
        )
    assert pupils_reached({Dim.YEAR: 2026}, (Dim.REGION,)) == {("55",): 45}
    assert pupils_reached({Dim.YEAR: 2026}, (Dim.QUARTER,)) == {(1,): 40, (2,): 45}


def test_late_schools_are_those_without_a_report_for_the_quarter(
    school_reporter, school_pavlodar, pavlodar_city
):
    silent = make_organisation(
        name="School No. 9", kind=Organisation.Kind.SCHOOL, place=pavlodar_city
    )
    activity_report(
        actor=school_reporter,
        school=school_pavlodar,
        quarter=Quarter(2026, 1),
        grades=[GradeActivity(grade=1, sessions_held=1, pupils_reached=20)],
    )
    schools = Organisation.objects.filter(kind=Organisation.Kind.SCHOOL)
    assert list(schools_late(schools, Quarter(2026, 1))) == [silent]
