"""A likely match registered in another territory, end to end through the pages: the
caseworker learns only that it exists and where, asks that office, and its answer
either opens the record and links the report, or is told on the report."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from personas import make_child, make_report
from qorgau.access import children_visible_to
from qorgau.cases.models import TimelineEntry
from qorgau.linkage.models import AccessRequest

BORN = dt.date(2014, 12, 4)
MARIA = {"last_name": "Михайлова", "first_name": "Мария", "middle_name": "Юрьевна"}


@pytest.fixture
def theirs(caseworker_astana, astana):
    return make_child(
        actor=caseworker_astana, place=astana, birth_date=BORN, address="ул. Секретная 5", **MARIA
    )


@pytest.fixture
def asked(client, theirs, caseworker_pavlodar, pavlodar_city):
    """The caseworker registers the report's child, is shown the match elsewhere and asks."""
    report = make_report(actor=caseworker_pavlodar, place=pavlodar_city)
    link = report.children.get()
    client.force_login(caseworker_pavlodar)
    url = reverse("child-new") + f"?report={report.pk}&link={link.pk}"
    data = {**MARIA, "birth_date": "2014-12-04", "sex": "F", "place": pavlodar_city.pk}
    page = client.post(url, data).content.decode()
    assert "Секретная" not in page and theirs.get_absolute_url() not in page
    token = page.split('name="token" value="')[1].split('"')[0]
    response = client.post(
        reverse("access-request-new"),
        {"token": token, "report": report.pk, "link": link.pk, "note": "Same girl?"},
    )
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    return AccessRequest.objects.get()


def answer(client, request, supervisor, decision):
    client.force_login(supervisor)
    url = reverse("access-request-answer", args=[request.pk])
    assert client.post(url, {"decision": decision}).status_code == 302


def test_accepting_links_the_report_and_opens_the_record_not_its_cases(
    client, asked, theirs, caseworker_pavlodar, supervisor_astana
):
    sent = reverse("access-requests-sent")
    assert "Михайлова" not in client.get(sent).content.decode()  # pending: no name, no link
    assert client.get(theirs.get_absolute_url()).status_code == 404
    answer(client, asked, supervisor_astana, "accept")
    asked.report_child.refresh_from_db()
    assert asked.report_child.child == theirs
    client.force_login(caseworker_pavlodar)
    assert theirs.get_absolute_url() in client.get(sent).content.decode()
    assert client.get(theirs.get_absolute_url()).status_code == 200


def test_a_declined_request_is_told_on_the_report_and_opens_nothing(
    client, asked, theirs, caseworker_pavlodar, supervisor_astana, dept_astana
):
    answer(client, asked, supervisor_astana, "decline")
    report = asked.report_child.report
    entry = TimelineEntry.objects.get(report=report, kind="access_request_declined")
    assert entry.details == {"office": dept_astana.name}
    client.force_login(caseworker_pavlodar)
    page = client.get(reverse("access-requests-sent")).content.decode()
    assert "Declined" in page and theirs.get_absolute_url() not in page
    assert client.get(theirs.get_absolute_url()).status_code == 404


def test_the_record_closes_again_after_the_days_an_acceptance_opens_it(
    client, asked, theirs, caseworker_pavlodar, supervisor_astana, caseworker2_pavlodar
):
    answer(client, asked, supervisor_astana, "accept")
    assert children_visible_to(caseworker_pavlodar).filter(pk=theirs.pk).exists()
    assert not children_visible_to(caseworker2_pavlodar).filter(pk=theirs.pk).exists()
    long_ago = timezone.now() - dt.timedelta(days=AccessRequest.OPEN_DAYS + 1)
    AccessRequest.objects.filter(pk=asked.pk).update(decided_at=long_ago)
    assert not children_visible_to(caseworker_pavlodar).filter(pk=theirs.pk).exists()
