"""Each form names every mistake at once, in the summary and next to its field."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from personas import make_case
from qorgau.cases.models import PlanAction, Visit
from qorgau.children.models import Child


def _summary(response) -> str:
    page = response.content.decode()
    start = page.index("error-summary")
    return page[start : page.index("</div>", start)]


def test_a_future_birth_date_does_not_hide_a_wrong_iin_check_digit(
    client, caseworker_pavlodar, personas
):
    client.force_login(caseworker_pavlodar)
    response = client.post(
        reverse("child-new"),
        {
            "first_name": "Әсел",
            "birth_date": (timezone.localdate() + dt.timedelta(days=1)).isoformat(),
            "sex": "F",
            "iin": "061211600013",  # check digit should be 2
            "place": personas.pavlodar_city.pk,
        },
    )
    errors = response.context["form"].errors
    assert set(errors) == {"birth_date", "iin"}
    summary = _summary(response)
    assert "The date of birth is in the future." in summary
    assert str(errors["iin"][0]) in summary
    assert not Child.objects.exists()


def test_a_visit_before_the_case_opened_is_shown_on_the_date_with_the_other_errors(
    client, caseworker_pavlodar, supervisor_pavlodar
):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar)
    client.force_login(caseworker_pavlodar)
    response = client.post(
        reverse("case-action", args=[case.pk, "visit"]),
        {"kind": "home", "visited_on": "2020-01-01", "findings": ""},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    opened = timezone.localdate(case.opened_at)
    assert errors["visited_on"] == [
        f"The case was opened on {opened:%d.%m.%Y}: a visit cannot be earlier."
    ]
    assert "findings" in errors
    assert not Visit.objects.exists()


def test_a_plan_due_date_in_the_past_is_shown_on_its_own_field(
    client, caseworker_pavlodar, supervisor_pavlodar
):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="planning")
    client.force_login(caseworker_pavlodar)
    response = client.post(
        reverse("case-action", args=[case.pk, "plan"]),
        {
            "version": case.version,
            "summary": "",
            "goal_1": "Safety",
            "action_1": "Visits",
            "responsible_1": case.organisation_id,
            "due_1": "2020-01-01",
        },
    )
    errors = response.context["form"].errors
    assert errors["due_1"] == ["The due date is in the past."]
    assert "summary" in errors and not errors.get("__all__")


def test_a_plan_action_without_an_outcome_shows_the_error_on_its_row(
    client, caseworker_pavlodar, supervisor_pavlodar
):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="active")
    item = PlanAction.objects.filter(plan__case=case).first()
    client.force_login(caseworker_pavlodar)
    response = client.post(
        reverse("plan-action", args=[case.pk, item.pk]), {"status": "done", "outcome_note": " "}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="outcome-{item.pk}-error"' in page and "Say what came of it." in page
    assert f'aria-describedby="outcome-{item.pk}-error"' in page
    item.refresh_from_db()
    assert item.status == PlanAction.Status.PLANNED


def test_a_return_without_a_note_is_refused_on_the_note(
    client, caseworker_pavlodar, supervisor_pavlodar
):
    case = make_case(
        worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="plan_submitted"
    )
    client.force_login(supervisor_pavlodar)
    response = client.post(
        reverse("case-action", args=[case.pk, "plan-decision"]),
        {"version": case.version, "decision": "return", "note": ""},
    )
    assert response.context["form"].errors == {"note": ["Say what must change in the plan."]}
