"""The referral journey through the pages: refer, answer, see the outcome."""

import pytest
from django.urls import reverse
from django.utils import timezone

from personas import make_case, make_referral
from qorgau.referrals.models import Referral, ServiceType

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(personas):
    return make_case(worker=personas.caseworker_pavlodar, supervisor=personas.supervisor_pavlodar)


def test_a_caseworker_refers_a_child_from_the_case(personas, case, client):
    client.force_login(personas.caseworker_pavlodar)
    url = reverse("referral-new", args=[case.pk])
    service = ServiceType.objects.get(code="family_support")
    page = client.get(url, {"service": service.pk}).content.decode()
    assert "Pavlodar family support centre" in page
    response = client.post(
        url,
        {
            "child": case.children.get().pk,
            "service": service.pk,
            "provider": personas.family_centre_pavlodar.provider.pk,
            "consent_basis": "consent",
            "caregiver_consent": "on",
            "child_consent": "on",
            "reason": "Parenting support after neglect.",
            "share_name": "on",
            "share_age": "on",
            "contact": "+7 700 000 0000",
        },
    )
    assert response.status_code == 302
    assert Referral.objects.get(case=case).status == Referral.Status.SENT


def test_a_refused_referral_names_the_field(personas, case, client):
    client.force_login(personas.caseworker_pavlodar)
    response = client.post(
        reverse("referral-new", args=[case.pk]),
        {
            "child": case.children.get().pk,
            "service": ServiceType.objects.get(code="family_support").pk,
            "provider": personas.family_centre_pavlodar.provider.pk,
            "consent_basis": "consent",
            "reason": "Support.",
            "contact": "x",
        },
    )
    assert response.status_code == 400
    assert "caregiver" in response.content.decode()
    assert not Referral.objects.exists()


def test_the_provider_answers_and_the_case_page_shows_its_report(personas, case, client):
    referral = make_referral(case, actor=personas.caseworker_pavlodar)
    client.force_login(personas.provider_pavlodar)
    assert referral.reference in client.get(reverse("my-work")).content.decode()
    step = "referral-step"
    client.post(reverse(step, args=[referral.pk, "accept"]))
    client.post(
        reverse(step, args=[referral.pk, "session"]),
        {"held_on": timezone.localdate().isoformat(), "attended": "on"},
    )
    client.post(
        reverse(step, args=[referral.pk, "outcome"]),
        {
            "completed": "yes",
            "outcome": "Parents finished the programme.",
            "ended_on": timezone.localdate().isoformat(),
        },
    )
    referral.refresh_from_db()
    assert referral.status == Referral.Status.COMPLETED
    client.logout()
    client.force_login(personas.caseworker_pavlodar)
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert "Parents finished the programme." in page
    assert "Referral to Pavlodar family support centre completed" in page


def test_the_supervisor_sees_the_offices_declined_referrals(personas, case, client):
    referral = make_referral(case, actor=personas.caseworker_pavlodar)
    client.force_login(personas.provider_pavlodar)
    client.post(reverse("referral-step", args=[referral.pk, "decline"]), {"reason": "Full"})
    client.logout()
    client.force_login(personas.supervisor_pavlodar)
    page = client.get(reverse("referral-office")).content.decode()
    assert referral.reference in page and "Full" in page
    client.logout()
    client.force_login(personas.supervisor_astana)
    assert referral.reference not in client.get(reverse("referral-office")).content.decode()


def test_the_directory_finds_providers_by_need_and_place(personas, client):
    client.force_login(personas.caseworker_astana)
    url = reverse("provider-directory")
    family = ServiceType.objects.get(code="family_support").pk
    legal = ServiceType.objects.get(code="legal_aid").pk
    name = "Pavlodar family support centre"
    assert (
        name
        in client.get(url, {"service": family, "place": personas.pavlodar_city.pk}).content.decode()
    )
    assert name not in client.get(url, {"service": legal}).content.decode()
    assert name not in client.get(url, {"place": personas.astana.pk}).content.decode()


def test_the_maintaining_department_edits_the_entry(personas, client):
    entry = personas.family_centre_pavlodar.provider
    client.force_login(personas.supervisor_pavlodar)
    response = client.post(
        reverse("provider-edit", args=[entry.pk]),
        {
            "services": [s.pk for s in entry.services.all()],
            "coverage": [personas.pavlodar.pk],
            "waiting_days": 12,
            "languages": ["kk", "ru"],
            "active": "on",
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.waiting_days == 12
