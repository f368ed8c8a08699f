"""The contact log page: paged, per child, the form only for who may record."""

import pytest
from django.urls import reverse
from django.utils import timezone

from personas import make_case
from qorgau.cases.services.contacts import contact_record


@pytest.fixture
def case(caseworker_pavlodar, supervisor_pavlodar):
    return make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="active")


def _post(**overrides):
    return {
        "kind": "meeting",
        "contacted_on": timezone.localdate().isoformat(),
        "with_whom": "Классный руководитель",
        "summary": "Посещаемость улучшилась.",
        **overrides,
    }


def test_the_worker_records_a_contact_through_the_page(client, case, caseworker_pavlodar):
    client.force_login(caseworker_pavlodar)
    url = reverse("case-contacts", args=[case.pk])
    response = client.post(url, _post())
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Классный руководитель" in page and "Посещаемость улучшилась." in page
    assert "Посещаемость улучшилась." in client.get(case.get_absolute_url()).content.decode()


def test_a_contact_without_with_whom_is_refused_on_the_form(client, case, caseworker_pavlodar):
    client.force_login(caseworker_pavlodar)
    response = client.post(reverse("case-contacts", args=[case.pk]), _post(with_whom=""))
    assert response.status_code == 400
    assert "with_whom" in response.context["form"].errors
    assert not case.contact_notes.exists()


def test_the_log_is_paged(client, case, caseworker_pavlodar):
    for n in range(27):
        contact_record(
            actor=caseworker_pavlodar,
            case=case,
            kind="call",
            contacted_on=timezone.localdate(),
            with_whom=f"Contact {n}",
            summary="Call.",
        )
    client.force_login(caseworker_pavlodar)
    url = reverse("case-contacts", args=[case.pk])
    first = client.get(url).context["notes"]
    assert (len(first), first.has_next) == (25, True)
    assert len(client.get(url, {"page": 2}).context["notes"]) == 2


def test_a_colleague_who_sees_the_case_reads_the_log_but_cannot_add(
    client, case, caseworker2_pavlodar
):
    client.force_login(caseworker2_pavlodar)
    url = reverse("case-contacts", args=[case.pk])
    page = client.get(url)
    assert page.status_code == 200 and page.context["form"] is None
    assert client.post(url, _post()).status_code == 404
    assert not case.contact_notes.exists()


@pytest.mark.parametrize("name", ["caseworker_astana", "supervisor_astana", "auditor"])
def test_others_see_no_log(client, personas, case, name):
    client.force_login(personas[name])
    url = reverse("case-contacts", args=[case.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, _post()).status_code == 404
    assert not case.contact_notes.exists()


def test_a_visit_form_records_the_child_seen_alone(client, case, caseworker_pavlodar):
    [child] = case.children.all()
    client.force_login(caseworker_pavlodar)
    response = client.post(
        reverse("case-action", args=[case.pk, "visit"]),
        {
            "kind": "home",
            "visited_on": timezone.localdate().isoformat(),
            "findings": "Ребёнок говорил наедине.",
            "children_seen": [child.pk],
            "seen_alone": [child.pk],
        },
    )
    assert response.status_code == 302
    [seen] = case.visits.get().children_seen.all()
    assert (seen.child, seen.seen_alone) == (child, True)
    assert "children-seen" in client.get(case.get_absolute_url()).content.decode()
