"""Housing needs on a case: recorded and resolved by who works on the case, in the
timeline, restricted and logged like the case; a referral to the akimat's housing
support prefilled from a need."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from personas import make_case, make_housing_department
from qorgau.audit.models import AccessLogEntry
from qorgau.cases.models import TimelineEntry
from qorgau.referrals.models import HousingNeed, Referral, ServiceType
from qorgau.referrals.services import (
    Consent,
    Shared,
    housing_need_record,
    housing_need_resolve,
    referral_answer,
    referral_close,
    referral_send,
)

pytestmark = pytest.mark.django_db
H = HousingNeed.Kind


@pytest.fixture
def case(personas):
    return make_case(worker=personas.caseworker_pavlodar, supervisor=personas.supervisor_pavlodar)


@pytest.fixture
def housing(personas):
    return make_housing_department(personas)


def _record(case, actor, kind=H.EVICTION_RISK, **kw):
    return housing_need_record(
        actor=actor,
        case=case,
        child=kw.pop("child", case.children.get()),
        kind=kind,
        identified_on=kw.pop("identified_on", timezone.localdate()),
        note=kw.pop("note", "Rent unpaid for three months; the landlord wants them out."),
    )


def test_the_taxonomy_and_the_directory_kinds_have_housing_and_family_programmes():
    codes = set(ServiceType.objects.values_list("code", flat=True))
    assert {"housing_support", "parenting_programme", "mediation"} <= codes
    from qorgau.accounts.models import Organisation

    assert Organisation.Kind.HOUSING_DEPARTMENT == "housing_dept"


def test_a_caseworker_records_a_housing_need_in_the_timeline(personas, case):
    need = _record(case, personas.caseworker_pavlodar)
    assert need.status == HousingNeed.Status.OPEN
    entry = TimelineEntry.objects.filter(case=case).latest("pk")
    assert entry.kind == "housing_need_recorded"
    assert entry.details == {"need": "eviction_risk"}  # the note stays out of the timeline


def test_the_note_is_encrypted_at_rest(personas, case):
    from django.db import connection

    need = _record(case, personas.caseworker_pavlodar, note="Sleeps at a neighbour's")
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM referrals_housingneed WHERE id = %s", [need.pk])
        (stored,) = cursor.fetchone()
    assert "neighbour" not in stored


@pytest.mark.parametrize(
    ("field", "kwargs", "message"),
    [
        ("identified_on", {"identified_on": dt.date(2099, 1, 1)}, "ahead"),
        ("identified_on", {"identified_on": dt.date(2001, 1, 1)}, "year before the case"),
        ("kind", {"kind": "flood"}, "kind of housing need"),
        ("note", {"note": "x" * 20_000}, ""),
    ],
)
def test_a_bad_need_is_refused_by_field(personas, case, field, kwargs, message):
    with pytest.raises(ValidationError) as error:
        _record(case, personas.caseworker_pavlodar, **kwargs)
    assert field in error.value.message_dict
    assert message in " ".join(error.value.message_dict[field])
    assert not HousingNeed.objects.exists()


def test_a_child_of_another_case_is_refused(personas, case):
    other = make_case(worker=personas.caseworker_pavlodar, supervisor=personas.supervisor_pavlodar)
    with pytest.raises(ValidationError) as error:
        _record(case, personas.caseworker_pavlodar, child=other.children.get())
    assert "child" in error.value.message_dict


def test_the_same_need_twice_open_is_refused_but_another_kind_is_not(personas, case):
    _record(case, personas.caseworker_pavlodar)
    with pytest.raises(ValidationError, match="already has this housing need open"):
        _record(case, personas.caseworker_pavlodar)
    _record(case, personas.caseworker_pavlodar, kind=H.UNSAFE_HOUSING)
    assert case.housing_needs.count() == 2


def test_only_who_works_on_the_case_records_it(personas, case):
    with pytest.raises(ValidationError):
        _record(case, personas.caseworker2_pavlodar)
    assert not HousingNeed.objects.exists()


def test_resolving_needs_an_outcome_and_a_sound_date(personas, case):
    worker = personas.caseworker_pavlodar
    need = _record(case, worker, identified_on=timezone.localdate() - dt.timedelta(days=3))
    with pytest.raises(ValidationError) as error:
        housing_need_resolve(actor=worker, need=need, outcome=" ", resolved_on=timezone.localdate())
    assert "outcome" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        housing_need_resolve(
            actor=worker,
            need=need,
            outcome="Housed",
            resolved_on=timezone.localdate() - dt.timedelta(days=10),
        )
    assert "resolved_on" in error.value.message_dict
    housing_need_resolve(
        actor=worker, need=need, outcome="Rent arrears paid by the akimat.",
        resolved_on=timezone.localdate(),
    )  # fmt: skip
    need.refresh_from_db()
    assert (need.status, need.outcome) == ("resolved", "Rent arrears paid by the akimat.")
    assert TimelineEntry.objects.filter(case=case).latest("pk").kind == "housing_need_resolved"
    with pytest.raises(ValidationError, match="already resolved"):
        housing_need_resolve(
            actor=worker, need=need, outcome="Again", resolved_on=timezone.localdate()
        )


def test_a_housing_referral_carries_its_need_through_to_the_outcome(personas, case, housing):
    department, staff = housing
    worker = personas.caseworker_pavlodar
    need = _record(case, worker)
    referral = referral_send(
        actor=worker,
        case=case,
        child=need.child,
        service=ServiceType.objects.get(code="housing_support"),
        provider=department.provider,
        consent=Consent(basis="consent", child=True, caregiver=True),
        shared=Shared(reason="Eviction risk", contact="+7 700 000 0000"),
        housing_need=need,
    )
    referral_answer(actor=staff, referral=referral, accept=True)
    referral_close(
        actor=staff, referral=referral, completed=True, outcome="Social rental flat given.",
        ended_on=timezone.localdate(),
    )  # fmt: skip
    assert list(need.referrals.values_list("status", flat=True)) == ["completed"]


def test_a_referral_names_only_an_open_need_of_its_child(personas, case, housing):
    department, _staff = housing
    worker = personas.caseworker_pavlodar
    need = _record(case, worker)
    housing_need_resolve(actor=worker, need=need, outcome="Moved", resolved_on=timezone.localdate())
    with pytest.raises(ValidationError) as error:
        referral_send(
            actor=worker,
            case=case,
            child=need.child,
            service=ServiceType.objects.get(code="housing_support"),
            provider=department.provider,
            consent=Consent(basis="consent", child=True, caregiver=True),
            shared=Shared(reason="Eviction risk", contact="+7 700 000 0000"),
            housing_need=need,
        )
    assert "housing_need" in error.value.message_dict


# Pages ---------------------------------------------------------------------------------


def test_the_case_page_shows_the_needs_and_the_way_to_record_one(personas, case, client):
    _record(case, personas.caseworker_pavlodar, note="Sleeps at a neighbour's")
    client.force_login(personas.caseworker_pavlodar)
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert "Risk of eviction" in page
    assert "Sleeps at a neighbour&#x27;s" in page
    assert reverse("housing-need-new", args=[case.pk]) in page
    assert "?housing=" in page


def test_recording_without_javascript_goes_back_to_the_case(personas, case, client):
    client.force_login(personas.caseworker_pavlodar)
    url = reverse("housing-need-new", args=[case.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "child": case.children.get().pk,
            "kind": "homelessness",
            "identified_on": timezone.localdate().isoformat(),
            "note": "Living in a car.",
        },
    )
    assert response.status_code == 302
    assert response["Location"].startswith(case.get_absolute_url())
    assert case.housing_needs.get().kind == "homelessness"


def test_with_htmx_the_form_comes_alone_and_errors_stay_in_it(personas, case, client):
    client.force_login(personas.caseworker_pavlodar)
    url = reverse("housing-need-new", args=[case.pk])
    form = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert form.startswith("<form") and "<html" not in form
    bad = client.post(
        url,
        {"child": case.children.get().pk, "kind": "homelessness", "identified_on": "2099-01-01"},
        headers={"HX-Request": "true"},
    )
    assert bad.status_code == 200  # htmx swaps a 200: the errors show in place
    assert "ahead" in bad.content.decode()
    good = client.post(
        url,
        {
            "child": case.children.get().pk,
            "kind": "homelessness",
            "identified_on": timezone.localdate().isoformat(),
        },
        headers={"HX-Request": "true"},
    )
    assert good["HX-Refresh"] == "true"  # the case page again, with its timeline
    assert case.housing_needs.count() == 1


def test_resolving_through_the_page(personas, case, client):
    need = _record(case, personas.caseworker_pavlodar)
    client.force_login(personas.caseworker_pavlodar)
    url = reverse("housing-need-resolve", args=[case.pk, need.pk])
    assert client.post(url, {"outcome": "", "resolved_on": ""}).status_code == 400
    response = client.post(
        url, {"outcome": "Arrears paid.", "resolved_on": timezone.localdate().isoformat()}
    )
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.status == "resolved"


def test_a_need_of_another_case_is_not_found_through_this_one(personas, case, client):
    other = make_case(worker=personas.caseworker_pavlodar, supervisor=personas.supervisor_pavlodar)
    need = _record(other, personas.caseworker_pavlodar)
    client.force_login(personas.caseworker_pavlodar)
    url = reverse("housing-need-resolve", args=[case.pk, need.pk])
    assert client.get(url).status_code == 404


def test_other_offices_get_a_404_and_the_refusal_is_logged(personas, case, client):
    client.force_login(personas.caseworker_astana)
    assert client.get(reverse("housing-need-new", args=[case.pk])).status_code == 404
    assert AccessLogEntry.objects.filter(
        actor_id=personas.caseworker_astana.pk,
        action="refused",
        record_kind="case",
        record_id=case.pk,
    ).exists()


def test_opening_the_form_is_logged_as_a_look_at_the_case(personas, case, client):
    client.force_login(personas.caseworker_pavlodar)
    client.get(reverse("housing-need-new", args=[case.pk]))
    assert AccessLogEntry.objects.filter(
        actor_id=personas.caseworker_pavlodar.pk,
        action="view",
        record_kind="case",
        record_id=case.pk,
        url_name="housing-need-new",
    ).exists()


def test_the_referral_form_is_prefilled_from_the_need(personas, case, housing, client):
    department, _staff = housing
    need = _record(case, personas.caseworker_pavlodar)
    client.force_login(personas.caseworker_pavlodar)
    url = reverse("referral-new", args=[case.pk])
    response = client.get(url, {"housing": need.pk})
    form = response.context["form"]
    housing_support = ServiceType.objects.get(code="housing_support")
    assert form.initial["service"] == housing_support
    assert form.initial["housing_need"] == need.pk
    assert form.initial["child"] == need.child_id
    assert "Risk of eviction" in form.initial["reason"]
    # Only the providers of housing support covering the child's place are offered.
    assert list(form.fields["provider"].queryset) == [department.provider]
    response = client.post(
        url,
        {
            "child": need.child_id,
            "service": housing_support.pk,
            "provider": department.provider.pk,
            "housing_need": need.pk,
            "consent_basis": "consent",
            "caregiver_consent": "on",
            "child_consent": "on",
            "reason": form.initial["reason"],
            "contact": "+7 700 000 0000",
        },
    )
    assert response.status_code == 302
    assert Referral.objects.get(case=case).housing_need == need


def test_the_provider_never_sees_the_need(personas, case, housing, client):
    department, staff = housing
    need = _record(case, personas.caseworker_pavlodar, note="Sleeps at a neighbour's")
    referral = referral_send(
        actor=personas.caseworker_pavlodar,
        case=case,
        child=need.child,
        service=ServiceType.objects.get(code="housing_support"),
        provider=department.provider,
        consent=Consent(basis="consent", child=True, caregiver=True),
        shared=Shared(reason="Eviction risk", contact="+7 700 000 0000"),
        housing_need=need,
    )
    client.force_login(staff)
    page = client.get(reverse("referral-detail", args=[referral.pk])).content.decode()
    assert "Eviction risk" in page
    assert "neighbour" not in page
    assert client.get(reverse("housing-need-new", args=[case.pk])).status_code == 404


@pytest.mark.parametrize("service", ["parenting_programme", "mediation"])
def test_family_programmes_are_referred_and_their_completion_counted(personas, case, service):
    from qorgau.monitoring.indicators import Dim, compute

    entry = personas.family_centre_pavlodar.provider
    entry.services.add(ServiceType.objects.get(code="mediation"))
    referral = make_referral_to(case, personas, service)
    staff = personas.provider_pavlodar
    referral_answer(actor=staff, referral=referral, accept=True)
    referral_close(
        actor=staff, referral=referral, completed=True, outcome="8 of 8 sessions.",
        ended_on=timezone.localdate(),
    )  # fmt: skip
    assert compute("referrals.completed_share", {Dim.SERVICE: service}) == {(): (1, 1, 100.0)}
    assert TimelineEntry.objects.filter(case=case, kind="referral_completed").exists()


def make_referral_to(case, personas, service):
    return referral_send(
        actor=personas.caseworker_pavlodar,
        case=case,
        child=case.children.get(),
        service=ServiceType.objects.get(code=service),
        provider=personas.family_centre_pavlodar.provider,
        consent=Consent(basis="consent", child=True, caregiver=True),
        shared=Shared(reason="Parents ask for help", contact="+7 700 000 0000"),
    )
