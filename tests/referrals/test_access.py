"""The referral-scoped rule of the access gate, and what the provider's pages show."""

import pytest
from django.http import Http404
from django.urls import reverse

from personas import make_case, make_referral, make_user
from qorgau.access import access_referral, referrals_visible_to
from qorgau.accounts.models import Organisation
from qorgau.accounts.roles import Role
from qorgau.audit.models import AccessLogEntry
from qorgau.referrals.models import Provider, ServiceType
from qorgau.referrals.services import Consent, Shared, referral_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(personas):
    return make_case(worker=personas.caseworker_pavlodar, supervisor=personas.supervisor_pavlodar)


@pytest.fixture
def other_provider(personas):
    """A second provider in the same region, with its own staff member."""
    organisation = Organisation.objects.create(
        name="Pavlodar crisis centre", kind=Organisation.Kind.CRISIS_NGO, place=personas.pavlodar
    )
    entry = Provider.objects.create(organisation=organisation, maintained_by=personas.dept_pavlodar)
    entry.services.set(ServiceType.objects.filter(code="family_support"))
    entry.coverage.set([personas.pavlodar])
    user = make_user("provider_crisis", role=Role.SERVICE_PROVIDER, organisation=organisation)
    return organisation, user


def test_a_provider_sees_exactly_the_referrals_sent_to_it(personas, case, other_provider):
    organisation, other_staff = other_provider
    ours = make_referral(case, actor=personas.caseworker_pavlodar)
    theirs = make_referral(case, actor=personas.caseworker_pavlodar, provider=organisation)
    assert list(referrals_visible_to(personas.provider_pavlodar)) == [ours]
    assert list(referrals_visible_to(other_staff)) == [theirs]
    with pytest.raises(Http404):
        access_referral(personas.provider_pavlodar, theirs.pk)


def test_case_staff_see_the_referrals_of_the_cases_they_see(personas, case):
    referral = make_referral(case, actor=personas.caseworker_pavlodar)
    assert access_referral(personas.caseworker2_pavlodar, referral.pk) == referral
    for outsider in ("caseworker_astana", "supervisor_astana", "operator_111", "auditor"):
        with pytest.raises(Http404):
            access_referral(personas[outsider], referral.pk)


def test_a_restricted_cases_referrals_are_restricted_like_the_case(personas):
    restricted = make_case(
        worker=personas.caseworker_pavlodar,
        supervisor=personas.supervisor_pavlodar,
        concerns=("sexual",),
    )
    assert restricted.restricted
    referral = make_referral(restricted, actor=personas.caseworker_pavlodar)
    with pytest.raises(Http404):
        access_referral(personas.caseworker2_pavlodar, referral.pk)
    assert access_referral(personas.supervisor_pavlodar, referral.pk) == referral
    # The provider it was sent to still sees what was shared with it.
    assert access_referral(personas.provider_pavlodar, referral.pk) == referral


def test_every_look_at_a_referral_is_in_the_access_log(personas, case, client):
    referral = make_referral(case, actor=personas.caseworker_pavlodar)
    client.force_login(personas.provider_pavlodar)
    assert client.get(reverse("referral-detail", args=[referral.pk])).status_code == 200
    entry = AccessLogEntry.objects.filter(record_kind="referral").latest("seq")
    assert (entry.actor_id, entry.record_id, entry.action) == (
        personas.provider_pavlodar.pk,
        referral.pk,
        "view",
    )


def test_the_provider_reads_only_what_was_shared(personas, case, client):
    child = case.children.get()
    referral = referral_send(
        actor=personas.caseworker_pavlodar,
        case=case,
        child=child,
        service=ServiceType.objects.get(code="family_support"),
        provider=personas.family_centre_pavlodar.provider,
        consent=Consent(basis="consent", child=True, caregiver=True),
        shared=Shared(reason="Parenting support.", name=False, contact="+7 700 111 2233"),
    )
    client.force_login(personas.provider_pavlodar)
    page = client.get(reverse("referral-detail", args=[referral.pk])).content.decode()
    assert "Parenting support." in page and "+7 700 111 2233" in page
    assert child.last_name not in page
    assert case.reference not in page
    assert reverse("case-detail", args=[case.pk]) not in page
    # Nor is the case, the child or its report one step away.
    for url in (
        reverse("case-detail", args=[case.pk]),
        reverse("child-detail", args=[child.pk]),
        reverse("report-detail", args=[case.reports.get().pk]),
        reverse("api-case-detail", args=[case.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_the_api_gives_a_provider_its_referrals_with_only_what_was_shared(
    personas, case, client, other_provider
):
    ours = make_referral(case, actor=personas.caseworker_pavlodar)
    theirs = make_referral(case, actor=personas.caseworker_pavlodar, provider=other_provider[0])
    client.force_login(personas.provider_pavlodar)
    listed = client.get(reverse("api-referral-list")).json()["results"]
    assert [row["id"] for row in listed] == [ours.pk]
    detail = client.get(reverse("api-referral-detail", args=[ours.pk])).json()
    assert detail["reason"] == "Parenting support after neglect."
    assert "case" not in detail and "child" not in detail
    assert client.get(reverse("api-referral-detail", args=[theirs.pk])).status_code == 404
