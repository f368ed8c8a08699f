import datetime as dt

from django.urls import reverse
from django.utils import timezone

from personas import all_no_answers, make_case
from qorgau.cases.models import Case


def _assessment_post(case, **overrides):
    data = {
        **all_no_answers(),
        "risk_level": "medium",
        "reasoning": "Повторные эпизоды, мать готова сотрудничать.",
        "safety_decision": "safe",
        "version": case.version,
    }
    data.update(overrides)
    return data


def test_the_case_page_offers_only_the_actions_allowed_now(
    client, caseworker_pavlodar, supervisor_pavlodar
):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar)
    client.force_login(caseworker_pavlodar)
    page = client.get(case.get_absolute_url())
    offered = [slug for slug, _ in page.context["actions"]]
    assert "assess" in offered
    assert "close" not in offered, "no closure before the assessment"
    assert "plan-decision" not in offered


def test_a_caseworker_assesses_a_case_through_the_form(
    client, caseworker_pavlodar, supervisor_pavlodar
):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar)
    client.force_login(caseworker_pavlodar)
    url = reverse("case-action", args=[case.pk, "assess"])
    response = client.post(url, _assessment_post(case))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.PLANNING and case.risk_level == "medium"
    timeline = client.get(case.get_absolute_url()).context["timeline"]
    assert any(entry.kind == "assessed" for entry, _ in timeline)


def test_a_second_save_on_a_stale_version_is_refused_with_a_message(
    client, caseworker_pavlodar, supervisor_pavlodar
):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar)
    stale = case.version
    client.force_login(supervisor_pavlodar)
    client.post(reverse("case-action", args=[case.pk, "assess"]), _assessment_post(case))
    client.force_login(caseworker_pavlodar)
    response = client.post(
        reverse("case-action", args=[case.pk, "assess"]),
        _assessment_post(case, risk_level="low", version=stale),
    )
    assert response.status_code == 400
    assert "Someone else changed this case" in response.content.decode()
    case.refresh_from_db()
    assert case.risk_level == "medium", "the first save stands"


def test_a_supervisor_cannot_approve_a_plan_they_submitted(
    client, supervisor_pavlodar, caseworker_pavlodar
):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="planning")
    client.force_login(supervisor_pavlodar)
    client.post(
        reverse("case-action", args=[case.pk, "plan"]),
        {
            "version": case.version,
            "summary": "Plan",
            "goal_1": "Safety",
            "action_1": "Psychologist",
            "responsible_1": case.organisation_id,
            "due_1": (timezone.localdate() + dt.timedelta(days=60)).isoformat(),
        },
    )
    case.refresh_from_db()
    assert case.status == Case.Status.PLAN_SUBMITTED
    response = client.get(reverse("case-action", args=[case.pk, "plan-decision"]))
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("submitted yourself" in m for m in messages)


def test_an_unknown_action_is_404(client, caseworker_pavlodar, supervisor_pavlodar):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar)
    client.force_login(caseworker_pavlodar)
    assert client.get(reverse("case-action", args=[case.pk, "delete"])).status_code == 404


def test_the_worker_records_the_outcome_of_a_planned_service(
    client, caseworker_pavlodar, supervisor_pavlodar
):
    from qorgau.cases.models import PlanAction

    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="active")
    item = PlanAction.objects.filter(plan__case=case).first()
    client.force_login(caseworker_pavlodar)
    url = reverse("plan-action", args=[case.pk, item.pk])
    client.post(url, {"status": "done", "outcome_note": "", "version": case.version})
    item.refresh_from_db()
    assert item.status == "planned", "done without an outcome is refused"
    done = {"status": "done", "outcome_note": "Attended 4 sessions with the psychologist"}
    client.post(url, {**done, "version": case.version - 1})
    item.refresh_from_db()
    assert item.status == "planned", "an update made on an older page is refused"
    client.post(url, {**done, "version": case.version})
    item.refresh_from_db()
    assert item.status == "done" and item.outcome_note.startswith("Attended")
    assert case.timeline.filter(kind="action_updated").count() == 1


def test_the_case_timeline_starts_with_its_report_being_received(
    client, caseworker_pavlodar, supervisor_pavlodar
):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar)
    client.force_login(caseworker_pavlodar)
    kinds = [entry.kind for entry, _ in client.get(case.get_absolute_url()).context["timeline"]]
    assert kinds[0] == "report_received"
    assert {"case_opened", "report_screened_in"} <= set(kinds)
