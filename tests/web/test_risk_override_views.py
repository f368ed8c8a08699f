"""The risk override through the pages: the live suggestion (HTMX and without
JavaScript), the reason asked on the form, the sign-off and the supervisors' list."""

import pytest
from django.urls import reverse

from personas import all_no_answers, make_case
from qorgau.audit.models import AccessLogEntry


def _answers(**yes):
    return {**all_no_answers(), **dict.fromkeys(yes, "yes")}


def _post(case, **overrides):
    return {
        **_answers(injury=True),
        "risk_level": "low",
        "reasoning": "Синяк объяснён падением, подтверждено медсестрой.",
        "safety_decision": "safe",
        "version": case.version,
        **overrides,
    }


@pytest.fixture
def case(caseworker_pavlodar, supervisor_pavlodar):
    return make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar)


def test_the_suggestion_follows_the_answers_without_saving(client, case, caseworker_pavlodar):
    client.force_login(caseworker_pavlodar)
    url = reverse("assessment-suggestion", args=[case.pk])
    calm = client.post(url, {**all_no_answers(), "risk_level": "low"}, HTTP_HX_REQUEST="true")
    assert calm.status_code == 200
    assert 'id="suggested-level">Low<' in calm.content.decode()
    assert "below-suggestion" not in calm.content.decode()
    flagged = client.post(url, _post(case), HTTP_HX_REQUEST="true")
    assert 'id="suggested-level">High<' in flagged.content.decode()
    assert "below-suggestion" in flagged.content.decode()
    assert not case.assessments.exists()
    assert AccessLogEntry.objects.filter(
        record_id=case.pk, actor_id=caseworker_pavlodar.pk
    ).exists()


def test_the_form_wires_the_live_suggestion_and_offers_it_without_javascript(
    client, case, caseworker_pavlodar
):
    client.force_login(caseworker_pavlodar)
    url = reverse("case-action", args=[case.pk, "assess"])
    page = client.get(url).content.decode()
    assert f'hx-post="{reverse("assessment-suggestion", args=[case.pk])}"' in page
    preview = client.post(url, {**_post(case), "preview": "1"})
    assert preview.status_code == 200
    html = preview.content.decode()
    assert 'id="suggested-level">High<' in html and "below-suggestion" in html
    assert "error-summary" not in html  # nothing was saved, nothing refused
    assert not case.assessments.exists()


def test_a_lower_level_without_a_reason_is_refused_on_its_field(client, case, caseworker_pavlodar):
    client.force_login(caseworker_pavlodar)
    response = client.post(reverse("case-action", args=[case.pk, "assess"]), _post(case))
    assert response.status_code == 400
    assert "override_reason" in response.context["form"].errors
    assert not case.assessments.exists()


def test_the_override_goes_to_the_supervisor_who_signs_it_off(
    client, case, caseworker_pavlodar, supervisor_pavlodar
):
    client.force_login(caseworker_pavlodar)
    response = client.post(
        reverse("case-action", args=[case.pk, "assess"]),
        _post(case, override_reason="Медсестра видела падение."),
    )
    assert response.status_code == 302
    client.force_login(supervisor_pavlodar)
    queue = client.get(reverse("approvals")).content.decode()
    signoff_url = reverse("case-action", args=[case.pk, "risk-signoff"])
    assert signoff_url in queue
    overrides = client.get(reverse("risk-overrides"))
    assert "Медсестра видела падение." in overrides.content.decode()
    page = client.get(signoff_url)
    assert "Медсестра видела падение." in page.content.decode()
    case.refresh_from_db()
    response = client.post(
        signoff_url, {"decision": "approve", "note": "", "version": case.version}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.risk_level == "low"
    assert case.assessments.get().signoff == "approved"
    # The supervisors' list filters by sign-off: the signed-off one is no longer waiting.
    url = reverse("risk-overrides")
    waiting = client.get(url, {"overrides-signoff": "pending"}).content.decode()
    signed = client.get(url, {"overrides-signoff": "approved"}).content.decode()
    assert case.reference not in waiting and case.reference in signed


@pytest.mark.parametrize("name", ["caseworker_pavlodar", "caseworker2_pavlodar"])
def test_caseworkers_cannot_sign_off(client, personas, case, caseworker_pavlodar, name):
    client.force_login(caseworker_pavlodar)
    client.post(
        reverse("case-action", args=[case.pk, "assess"]), _post(case, override_reason="Причина.")
    )
    case.refresh_from_db()
    client.force_login(personas[name])
    url = reverse("case-action", args=[case.pk, "risk-signoff"])
    response = client.post(url, {"decision": "approve", "version": case.version})
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert case.assessments.get().signoff == "pending"
    assert client.get(reverse("risk-overrides")).status_code == 404


@pytest.mark.parametrize("name", ["caseworker2_pavlodar", "supervisor_astana", "auditor"])
def test_others_get_no_suggestion(client, personas, case, name):
    client.force_login(personas[name])
    response = client.post(reverse("assessment-suggestion", args=[case.pk]), all_no_answers())
    assert response.status_code == 404
