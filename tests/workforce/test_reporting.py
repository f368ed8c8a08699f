"""A department's posts per quarter and its specialists, reported through the web forms."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from personas import make_organisation, make_user
from qorgau.accounts.models import Organisation
from qorgau.accounts.roles import Role
from qorgau.programmes.periods import Quarter
from qorgau.workforce import services
from qorgau.workforce.models import Specialist, StaffingReport

pytestmark = pytest.mark.django_db
Q = Quarter(2026, 1)
POSTS = reverse("workforce-posts") + "?quarter=2026-1"


@pytest.fixture
def guardianship(personas):
    return make_organisation(
        name="Pavlodar city guardianship",
        kind=Organisation.Kind.GUARDIANSHIP,
        place=personas.pavlodar_city,
    )


def _rows(response) -> dict[str, object]:
    return {o.name: form for o, form in response.context["rows"]}


def test_a_supervisor_reports_the_posts_of_their_department_only(client, personas, guardianship):
    client.force_login(personas.supervisor_pavlodar)
    response = client.get(POSTS)
    assert response.status_code == 200
    assert list(_rows(response)) == ["Pavlodar child rights department"]
    dept = personas.dept_pavlodar.pk
    response = client.post(POSTS, {f"o{dept}-approved": "12", f"o{dept}-filled": "9"})
    assert response.status_code == 302
    report = StaffingReport.objects.get()
    assert (report.organisation_id, report.year, report.quarter) == (dept, 2026, 1)
    assert (report.approved, report.filled, report.reported_by) == (
        12,
        9,
        personas.supervisor_pavlodar,
    )


def test_a_coordinator_reports_every_department_of_the_region_and_bad_rows_store_nothing(
    client, personas, guardianship
):
    client.force_login(personas.coordinator_pavlodar)
    response = client.get(POSTS)
    assert set(_rows(response)) == {"Pavlodar child rights department", guardianship.name}
    dept = personas.dept_pavlodar.pk
    bad = {
        f"o{dept}-approved": "10",
        f"o{dept}-filled": "4",
        f"o{guardianship.pk}-approved": "3",
        f"o{guardianship.pk}-filled": "5",
    }
    response = client.post(POSTS, bad)
    assert response.status_code == 400
    assert not StaffingReport.objects.exists()
    rows = _rows(response)
    assert not rows["Pavlodar child rights department"].errors
    assert "more than the 3 approved" in str(rows[guardianship.name].errors["filled"])
    assert "1 row has errors; nothing was saved." in response.content.decode()
    half = {f"o{dept}-approved": "10"}
    response = client.post(POSTS, half)
    assert "or neither" in str(_rows(response)["Pavlodar child rights department"].errors)
    bad[f"o{guardianship.pk}-filled"] = "3"
    assert client.post(POSTS, bad).status_code == 302
    assert StaffingReport.objects.count() == 2


def test_a_correction_keeps_the_earlier_report_in_history(client, personas):
    client.force_login(personas.supervisor_pavlodar)
    dept = personas.dept_pavlodar.pk
    client.post(POSTS, {f"o{dept}-approved": "12", f"o{dept}-filled": "9"})
    client.post(POSTS, {f"o{dept}-approved": "12", f"o{dept}-filled": "11"})
    report = StaffingReport.objects.get()
    assert report.filled == 11
    assert [h.filled for h in report.history.order_by("history_date")] == [9, 11]
    assert report.history.first().history_user == personas.supervisor_pavlodar


def test_filled_cannot_exceed_approved_in_the_service_either(personas):
    with pytest.raises(ValidationError, match="more than"):
        services.report_posts(
            actor=personas.supervisor_pavlodar,
            quarter=Q,
            rows=[services.Posts(personas.dept_pavlodar, approved=2, filled=3)],
        )
    assert not StaffingReport.objects.exists()


@pytest.mark.parametrize("persona", ["supervisor_astana", "coordinator_pavlodar"])
def test_others_cannot_post_for_a_department_that_is_not_theirs(client, personas, persona):
    """Astana's supervisor and coordinator_pavlodar get no Astana row: its fields are ignored."""
    client.force_login(personas[persona])
    other = (
        personas.dept_astana.pk if persona == "coordinator_pavlodar" else personas.dept_pavlodar.pk
    )
    client.post(POSTS, {f"o{other}-approved": "5", f"o{other}-filled": "5"})
    assert not StaffingReport.objects.filter(organisation_id=other).exists()


@pytest.mark.parametrize(
    "persona", ["caseworker_pavlodar", "regional_analyst_pavlodar", "national_analyst"]
)
def test_readers_and_caseworkers_do_not_report_posts(client, personas, persona):
    client.force_login(personas[persona])
    assert client.get(POSTS).status_code == 404


def test_a_specialist_is_added_and_linked_to_an_account_of_the_department(client, personas):
    client.force_login(personas.coordinator_pavlodar)
    url = reverse("workforce-specialists", kwargs={"pk": personas.dept_pavlodar.pk})
    data = {
        "full_name": "Dana Seitova",
        "position": "Chief specialist",
        "started_on": "2025-09-01",
        "user": personas.caseworker_astana.pk,
    }
    response = client.post(url, data)
    assert response.status_code == 400  # Astana's caseworker is not on offer
    assert "user" in response.context["form"].errors
    data["user"] = personas.caseworker_pavlodar.pk
    assert client.post(url, data).status_code == 302
    specialist = Specialist.objects.get()
    assert (specialist.user, specialist.organisation) == (
        personas.caseworker_pavlodar,
        personas.dept_pavlodar,
    )
    edit = reverse("workforce-specialist", kwargs={"pk": specialist.pk})
    change = {"position": "Head of unit", "user": "", "left_on": "2025-08-01"}
    response = client.post(edit, change)
    assert response.status_code == 400
    assert "left_on" in response.context["form"].errors
    change["left_on"] = "2026-02-01"
    assert client.post(edit, change).status_code == 302
    specialist.refresh_from_db()
    assert (specialist.position, specialist.user, specialist.left_on) == (
        "Head of unit",
        None,
        dt.date(2026, 2, 1),
    )
    history = list(specialist.history.order_by("history_date"))
    assert [h.user_id for h in history] == [personas.caseworker_pavlodar.pk, None]
    assert {h.history_user for h in history} == {personas.coordinator_pavlodar}


def test_an_account_is_linked_to_one_specialist_only(personas):
    user = personas.caseworker_pavlodar
    first = services.specialist_add(
        actor=user, organisation=personas.dept_pavlodar, full_name="A", position="p",
        started_on=dt.date(2025, 1, 1), user=user,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="already linked"):
        services.specialist_add(
            actor=user, organisation=personas.dept_pavlodar, full_name="B", position="p",
            started_on=dt.date(2025, 1, 1), user=user,
        )  # fmt: skip
    other = make_user("guardian_x", role=Role.CASEWORKER, organisation=personas.dept_astana)
    with pytest.raises(ValidationError, match="another organisation"):
        services.specialist_change(
            actor=user, specialist=first, position="p", user=other, left_on=None
        )


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("supervisor_pavlodar", 200),
        ("coordinator_ministry", 200),
        ("supervisor_astana", 404),
        ("regional_analyst_pavlodar", 404),
        ("caseworker_pavlodar", 404),
    ],
)
def test_who_sees_a_departments_specialists(client, personas, persona, status):
    specialist = Specialist.objects.create(
        organisation=personas.dept_pavlodar,
        full_name="A",
        position="p",
        started_on=dt.date(2025, 1, 1),
    )
    client.force_login(personas[persona])
    pages = [
        reverse("workforce-specialists", kwargs={"pk": personas.dept_pavlodar.pk}),
        reverse("workforce-specialist", kwargs={"pk": specialist.pk}),
    ]
    assert [client.get(p).status_code for p in pages] == [status, status]


def test_the_overview_leads_those_who_report_to_the_form(client, personas):
    client.force_login(personas.supervisor_pavlodar)
    assert reverse("workforce-posts") in client.get(reverse("workforce-overview")).content.decode()
    client.force_login(personas.national_analyst)
    assert (
        reverse("workforce-posts") not in client.get(reverse("workforce-overview")).content.decode()
    )
