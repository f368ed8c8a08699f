from django.urls import reverse

from personas import make_case
from qorgau.cases.models import TimelineEntry
from qorgau.retention.models import LegalHold


def test_a_supervisor_places_and_lifts_a_hold_from_the_case_page(
    client, caseworker_pavlodar, supervisor_pavlodar
):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar)
    client.force_login(supervisor_pavlodar)
    page = client.get(case.get_absolute_url())
    assert reverse("case-hold", args=[case.pk]) in page.content.decode()

    response = client.post(reverse("case-hold", args=[case.pk]), {"reason": "Court case 2-114"})

    assert response.status_code == 302
    hold = LegalHold.objects.get(case=case)
    assert hold.is_active and hold.placed_by == supervisor_pavlodar
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Court case 2-114" in page and "Lift the hold" in page
    assert TimelineEntry.objects.filter(case=case, kind="legal_hold_placed").exists()

    client.post(reverse("case-hold-lift", args=[case.pk, hold.pk]))
    hold.refresh_from_db()
    assert not hold.is_active and hold.lifted_by == supervisor_pavlodar


def test_a_hold_needs_a_reason(client, caseworker_pavlodar, supervisor_pavlodar):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar)
    client.force_login(supervisor_pavlodar)
    response = client.post(reverse("case-hold", args=[case.pk]), {"reason": ""})
    assert response.status_code == 400 and not LegalHold.objects.exists()


def test_a_caseworker_sees_the_hold_but_cannot_place_or_lift_it(
    client, caseworker_pavlodar, supervisor_pavlodar
):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar)
    client.force_login(supervisor_pavlodar)
    client.post(reverse("case-hold", args=[case.pk]), {"reason": "Prosecutor's request"})
    hold = LegalHold.objects.get()
    client.force_login(caseworker_pavlodar)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Prosecutor&#x27;s request" in page
    assert reverse("case-hold", args=[case.pk]) not in page
    assert client.post(reverse("case-hold-lift", args=[case.pk, hold.pk])).status_code == 404
    assert client.post(reverse("case-hold", args=[case.pk]), {"reason": "x"}).status_code == 404


def test_a_supervisor_elsewhere_gets_a_404(
    client, caseworker_pavlodar, supervisor_pavlodar, supervisor_astana
):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar)
    client.force_login(supervisor_astana)
    response = client.post(reverse("case-hold", args=[case.pk]), {"reason": "Court case"})
    assert response.status_code == 404 and not LegalHold.objects.exists()
