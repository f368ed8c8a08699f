from django.urls import reverse

from personas import make_child
from qorgau.retention.models import LegalHold


def test_a_supervisor_holds_and_releases_a_child_from_the_childs_page(
    client, supervisor_pavlodar, caseworker_pavlodar, pavlodar_city
):
    child = make_child(actor=caseworker_pavlodar, place=pavlodar_city)
    client.force_login(supervisor_pavlodar)
    page = client.get(child.get_absolute_url()).content.decode()
    assert reverse("child-hold", args=[child.pk]) in page

    client.post(reverse("child-hold", args=[child.pk]), {"reason": "Custody case in court"})
    hold = LegalHold.objects.active().get(child=child)
    assert "Custody case in court" in client.get(child.get_absolute_url()).content.decode()

    client.post(reverse("child-hold-lift", args=[child.pk, hold.pk]))
    assert not LegalHold.objects.active().filter(child=child).exists()


def test_a_hold_without_a_reason_is_not_placed(
    client, supervisor_pavlodar, caseworker_pavlodar, pavlodar_city
):
    child = make_child(actor=caseworker_pavlodar, place=pavlodar_city)
    client.force_login(supervisor_pavlodar)
    client.post(reverse("child-hold", args=[child.pk]), {"reason": ""})
    assert not LegalHold.objects.filter(child=child).exists()


def test_a_caseworker_sees_the_hold_but_cannot_place_one(
    client, supervisor_pavlodar, caseworker_pavlodar, pavlodar_city
):
    from qorgau.retention.holds import legal_hold_place

    child = make_child(actor=caseworker_pavlodar, place=pavlodar_city)
    legal_hold_place(actor=supervisor_pavlodar, child=child, reason="Adoption appeal")
    client.force_login(caseworker_pavlodar)
    page = client.get(child.get_absolute_url()).content.decode()
    assert "Adoption appeal" in page
    assert reverse("child-hold", args=[child.pk]) not in page
