from django.urls import reverse

from personas import make_child
from qorgau.children.models import FamilyMember
from qorgau.children.services import family_member_add


def test_a_caseworker_corrects_a_family_members_phone(client, caseworker_pavlodar, pavlodar_city):
    child = make_child(actor=caseworker_pavlodar, place=pavlodar_city)
    mother = family_member_add(
        actor=caseworker_pavlodar,
        child=child,
        relationship="mother",
        full_name="Сауле Ахметова",
        phone="+7 700 000 0001",
    )
    client.force_login(caseworker_pavlodar)
    url = reverse("family-member-edit", args=[child.pk, mother.pk])
    assert url in client.get(child.get_absolute_url()).content.decode()
    response = client.post(
        url,
        {
            "relationship": "mother",
            "full_name": "Сауле Ахметова",
            "phone": "+7 700 000 0002",
            "is_caregiver": "on",
            "lives_with_child": "on",
        },
    )
    assert response.status_code == 302
    mother.refresh_from_db()
    assert mother.phone == "+7 700 000 0002" and mother.is_caregiver


def test_a_family_member_of_another_child_is_not_reachable_through_this_child(
    client, caseworker_pavlodar, pavlodar_city
):
    child = make_child(actor=caseworker_pavlodar, place=pavlodar_city)
    other = make_child(actor=caseworker_pavlodar, place=pavlodar_city)
    stranger = family_member_add(
        actor=caseworker_pavlodar, child=other, relationship="father", full_name="Someone Else"
    )
    client.force_login(caseworker_pavlodar)
    response = client.get(reverse("family-member-edit", args=[child.pk, stranger.pk]))
    assert response.status_code == 404
    assert FamilyMember.objects.get(pk=stranger.pk).full_name == "Someone Else"
