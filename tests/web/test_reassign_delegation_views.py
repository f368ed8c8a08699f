"""Reassigning a case and delegating approvals, through the pages."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from personas import make_case
from qorgau.accounts.models import ApprovalDelegation
from qorgau.accounts.services import delegation_create


def nav_of(client):
    """The menu items (address, label) a page shows the logged-in user."""
    context = client.get(reverse("my-work")).context
    return [(url, str(label)) for url, label in context["nav"]]


@pytest.fixture
def case(caseworker_pavlodar, supervisor_pavlodar):
    return make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="active")


def test_the_supervisor_reassigns_through_the_case_page(
    client, case, supervisor_pavlodar, caseworker2_pavlodar
):
    client.force_login(supervisor_pavlodar)
    offered = [slug for slug, _ in client.get(case.get_absolute_url()).context["actions"]]
    assert "reassign" in offered
    url = reverse("case-action", args=[case.pk, "reassign"])
    refused = client.post(url, {"worker": caseworker2_pavlodar.pk, "reason": "", "version": 99})
    assert refused.status_code == 400
    response = client.post(
        url,
        {"worker": caseworker2_pavlodar.pk, "reason": "Отпуск", "version": case.version},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.worker == caseworker2_pavlodar
    timeline = client.get(case.get_absolute_url()).content.decode()
    assert "Отпуск" in timeline


def test_the_worker_is_not_offered_reassignment(client, case, caseworker_pavlodar):
    client.force_login(caseworker_pavlodar)
    offered = [slug for slug, _ in client.get(case.get_absolute_url()).context["actions"]]
    assert "reassign" not in offered
    response = client.get(reverse("case-action", args=[case.pk, "reassign"]))
    assert response.status_code == 302


def test_a_supervisor_delegates_and_ends_it(client, supervisor_pavlodar, caseworker2_pavlodar):
    client.force_login(supervisor_pavlodar)
    url = reverse("delegations")
    today = timezone.localdate()
    bad = client.post(url, {"deputy": caseworker2_pavlodar.pk, "starts_on": "", "reason": "x"})
    assert bad.status_code == 400
    response = client.post(
        url,
        {
            "deputy": caseworker2_pavlodar.pk,
            "starts_on": today.isoformat(),
            "ends_on": (today + dt.timedelta(days=7)).isoformat(),
            "reason": "Командировка",
        },
    )
    assert response.status_code == 302
    delegation = ApprovalDelegation.objects.get()
    assert (delegation.delegator, delegation.deputy) == (supervisor_pavlodar, caseworker2_pavlodar)
    assert "Командировка" in client.get(url).content.decode()
    client.post(reverse("delegation-revoke", args=[delegation.pk]))
    delegation.refresh_from_db()
    assert delegation.revoked_at is not None


def test_the_deputy_opens_the_approvals_page_while_it_lasts(
    client, supervisor_pavlodar, caseworker2_pavlodar, caseworker_pavlodar
):
    submitted = make_case(
        worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="plan_submitted"
    )
    client.force_login(caseworker2_pavlodar)
    assert client.get(reverse("approvals")).status_code == 404
    assert (reverse("approvals"), "Approvals") not in nav_of(client)
    delegation_create(
        actor=supervisor_pavlodar,
        deputy=caseworker2_pavlodar,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate(),
        reason="Больничный",
    )
    assert (reverse("approvals"), "Approvals") in nav_of(client)  # the menu leads there
    page = client.get(reverse("approvals"))
    assert page.status_code == 200
    assert reverse("case-action", args=[submitted.pk, "plan-decision"]) in page.content.decode()
    assert client.get(reverse("delegations")).status_code == 404  # not theirs to delegate


def test_another_supervisor_cannot_end_a_delegation(
    client, supervisor_pavlodar, supervisor_astana, caseworker2_pavlodar
):
    delegation = delegation_create(
        actor=supervisor_pavlodar,
        deputy=caseworker2_pavlodar,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate(),
        reason="Leave",
    )
    client.force_login(supervisor_astana)
    assert client.post(reverse("delegation-revoke", args=[delegation.pk])).status_code == 404
    delegation.refresh_from_db()
    assert delegation.revoked_at is None
