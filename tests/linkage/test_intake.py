"""At intake: likely existing records first, a recorded confirmation to register anyway,
and a child of another territory found without its record being shown."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from personas import make_child, make_report
from qorgau.audit.models import AccessLogEntry
from qorgau.children.models import Child, Sex
from qorgau.children.services import family_member_add
from qorgau.linkage.models import AccessRequest, DistinctConfirmation
from qorgau.linkage.scoring import Entered
from qorgau.linkage.selectors import intake_candidates
from qorgau.linkage.services import (
    LikelyDuplicates,
    access_request_create,
    access_request_decide,
    child_register_checked,
    request_token,
)

BORN = dt.date(2014, 12, 4)
IIN = "061211600012"  # a girl born 11 December 2006
IIN_BORN = dt.date(2006, 12, 11)


def maria(**fields):
    return {
        "last_name": "Михайлова",
        "first_name": "Мария",
        "middle_name": "Юрьевна",
        "birth_date": BORN,
        "sex": Sex.FEMALE,
        **fields,
    }


@pytest.fixture
def existing(caseworker_pavlodar, pavlodar_city):
    return make_child(actor=caseworker_pavlodar, place=pavlodar_city, **maria())


def test_registering_the_same_child_again_shows_the_existing_record_first(
    existing, caseworker_pavlodar, pavlodar_city
):
    with pytest.raises(LikelyDuplicates) as refused:
        child_register_checked(actor=caseworker_pavlodar, place=pavlodar_city, **maria())
    assert refused.value.code == "likely_duplicate"
    first = refused.value.candidates[0]
    assert first.child == existing and first.visible
    assert "same date of birth" in first.reasons
    assert Child.objects.count() == 1


def test_a_latin_spelling_with_swapped_names_finds_the_record(existing, caseworker_pavlodar):
    entered = Entered(last_name="Mariya", first_name="Mikhailova", birth_date=BORN)
    found = intake_candidates(actor=caseworker_pavlodar, entered=entered)
    assert [c.child for c in found] == [existing]


def test_registering_anyway_needs_the_confirmation_and_records_it(
    existing, caseworker_pavlodar, pavlodar_city
):
    child = child_register_checked(
        actor=caseworker_pavlodar, place=pavlodar_city, confirmed_new=True, **maria()
    )
    confirmation = DistinctConfirmation.objects.get(child=child)
    assert confirmation.confirmed_by == caseworker_pavlodar
    assert confirmation.candidates[0]["child"] == existing.pk


def test_a_child_unlike_any_registered_needs_no_confirmation(
    existing, caseworker_pavlodar, pavlodar_city
):
    child = child_register_checked(
        actor=caseworker_pavlodar,
        place=pavlodar_city,
        **maria(first_name="Ерлан", last_name="Сейтказин", birth_date=dt.date(2010, 1, 2)),
    )
    assert not DistinctConfirmation.objects.filter(child=child).exists()


def test_the_same_iin_cannot_be_registered_even_when_confirmed(caseworker_pavlodar, pavlodar_city):
    make_child(actor=caseworker_pavlodar, place=pavlodar_city, iin=IIN, birth_date=IIN_BORN)
    with pytest.raises(LikelyDuplicates) as refused:
        child_register_checked(
            actor=caseworker_pavlodar,
            place=pavlodar_city,
            confirmed_new=True,
            first_name="Другая",
            iin=IIN,
            birth_date=IIN_BORN,
            sex=Sex.FEMALE,
        )
    assert refused.value.code == "same_iin"


def test_a_shared_caregiver_is_a_reason(existing, caseworker_pavlodar, pavlodar_city):
    family_member_add(
        actor=caseworker_pavlodar,
        child=existing,
        relationship="mother",
        full_name="Михайлова Елена Петровна",
    )
    entered = Entered(
        last_name="Михайлова",
        first_name="Мария",
        birth_date=BORN,
        caregiver_name="Mikhailova Elena Petrovna",
    )
    found = intake_candidates(actor=caseworker_pavlodar, entered=entered)
    assert "shared caregiver" in found[0].reasons


def test_a_match_in_another_territory_is_named_by_its_office_only(
    caseworker_astana, caseworker_pavlodar, pavlodar_city, astana, dept_astana
):
    theirs = make_child(actor=caseworker_astana, place=astana, **maria())
    with pytest.raises(LikelyDuplicates) as refused:
        child_register_checked(actor=caseworker_pavlodar, place=pavlodar_city, **maria())
    found = refused.value.candidates[0]
    assert found.child == theirs and not found.visible
    assert found.office == dept_astana


def test_the_lookup_is_one_search_in_the_access_log(existing, caseworker_pavlodar):
    before = AccessLogEntry.objects.count()
    entered = Entered(last_name="Михайлова", first_name="Мария", birth_date=BORN)
    intake_candidates(actor=caseworker_pavlodar, entered=entered)
    entry = AccessLogEntry.objects.order_by("-seq").first()
    assert AccessLogEntry.objects.count() == before + 1
    assert entry.action == "search" and entry.result_count == 1


def test_the_register_page_shows_the_likely_record_before_registering(
    client, existing, caseworker_pavlodar, pavlodar_city
):
    client.force_login(caseworker_pavlodar)
    data = {**maria(), "birth_date": "2014-12-04", "place": pavlodar_city.pk}
    response = client.post(reverse("child-new"), data)
    assert response.status_code == 200
    assert existing.get_absolute_url() in response.content.decode()
    assert "register as a new child" in response.content.decode()
    response = client.post(reverse("child-new"), {**data, "confirmed_new": "1"})
    assert response.status_code == 302
    assert DistinctConfirmation.objects.count() == 1


def test_the_register_page_hides_the_record_of_another_territory(
    client, caseworker_astana, caseworker_pavlodar, pavlodar_city, astana, dept_astana
):
    theirs = make_child(actor=caseworker_astana, place=astana, **maria(), address="ул. Секретная 5")
    client.force_login(caseworker_pavlodar)
    data = {**maria(), "birth_date": "2014-12-04", "place": pavlodar_city.pk}
    page = client.post(reverse("child-new"), data).content.decode()
    assert f"registered with {dept_astana.name}" in page
    assert 'name="token"' in page
    assert theirs.get_absolute_url() not in page
    assert "Секретная" not in page


def test_a_request_reaches_the_owning_office_and_accepting_links_the_report(
    caseworker_astana,
    caseworker_pavlodar,
    supervisor_astana,
    supervisor_pavlodar,
    astana,
    pavlodar_city,
    dept_astana,
):
    theirs = make_child(actor=caseworker_astana, place=astana, **maria())
    report = make_report(actor=caseworker_pavlodar, place=pavlodar_city)
    link = report.children.get()
    asked = access_request_create(actor=caseworker_pavlodar, child=theirs, report_child=link)
    assert asked.organisation == dept_astana
    with pytest.raises(ValidationError):
        access_request_decide(actor=supervisor_pavlodar, request=asked, accept=True)
    access_request_decide(actor=supervisor_astana, request=asked, accept=True)
    link.refresh_from_db()
    assert link.child == theirs
    assert AccessRequest.objects.get().status == "accepted"


def test_a_request_needs_a_token_the_candidate_list_gave(
    client, caseworker_astana, caseworker_pavlodar, caseworker2_pavlodar, astana
):
    theirs = make_child(actor=caseworker_astana, place=astana, **maria())
    token = request_token(actor=caseworker_pavlodar, child=theirs)
    client.force_login(caseworker2_pavlodar)  # someone else's token: refused
    client.post(reverse("access-request-new"), {"token": token})
    assert not AccessRequest.objects.exists()
    client.force_login(caseworker_pavlodar)
    response = client.post(reverse("access-request-new"), {"token": token, "note": "Same girl?"})
    assert response.status_code == 302
    assert AccessRequest.objects.get().requested_by == caseworker_pavlodar


def test_the_office_supervisor_sees_and_answers_requests_others_do_not(
    client, caseworker_astana, caseworker_pavlodar, supervisor_astana, supervisor_pavlodar, astana
):
    theirs = make_child(actor=caseworker_astana, place=astana, **maria())
    asked = access_request_create(actor=caseworker_pavlodar, child=theirs, note="Same girl?")
    client.force_login(supervisor_astana)
    assert "Same girl?" in client.get(reverse("access-requests")).content.decode()
    client.force_login(supervisor_pavlodar)
    assert "Same girl?" not in client.get(reverse("access-requests")).content.decode()
    url = reverse("access-request-answer", args=[asked.pk])
    assert client.post(url, {"decision": "accept"}).status_code == 404
    client.force_login(supervisor_astana)
    assert client.post(url, {"decision": "decline"}).status_code == 302
    assert AccessRequest.objects.get().status == "declined"
