"""Field history: old -> new, who, when; shown to whoever may see the record, and to
auditors without the values."""

from django.urls import reverse

from personas import assess
from qorgau.audit.models import AccessLogEntry


def test_a_change_to_a_child_shows_field_old_and_new(client, caseworker_pavlodar, child):
    child.address = "Toraighyrov 12"
    child.save()
    client.force_login(caseworker_pavlodar)
    response = client.get(reverse("child-history", args=[child.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Address" in page
    assert "Lenin 1" in page and "Toraighyrov 12" in page
    assert "Zhaksylykova" in page  # staff see the file, its name included


def test_a_family_member_added_on_the_page_shows_who_added_it(client, caseworker_pavlodar, child):
    client.force_login(caseworker_pavlodar)
    response = client.post(
        reverse("family-member-new", args=[child.pk]),
        {"relationship": "mother", "full_name": "Gulmira Zhaksylykova", "lives_with_child": "on"},
    )
    assert response.status_code == 302
    page = client.get(reverse("child-history", args=[child.pk])).content.decode()
    assert "Family member" in page
    assert "Gulmira Zhaksylykova" in page
    assert "Aliya Bekova" in page, "people by their name, not their user name"


def test_the_case_history_shows_status_and_assessment_changes(client, caseworker_pavlodar, case):
    assess(case, actor=caseworker_pavlodar, risk_level="high")
    client.force_login(caseworker_pavlodar)
    page = client.get(reverse("case-history", args=[case.pk])).content.decode()
    assert "Awaiting assessment" in page and "Case plan in preparation" in page
    assert "Assessment" in page and "High" in page


def test_opening_a_history_page_goes_through_the_gate_and_is_logged(
    client, caseworker_pavlodar, child
):
    client.force_login(caseworker_pavlodar)
    client.get(reverse("child-history", args=[child.pk]))
    entry = AccessLogEntry.objects.exclude(record_kind="account").get()
    assert (entry.record_kind, entry.record_id) == ("child", child.pk)
    assert entry.url_name == "child-history"


def test_someone_outside_the_region_gets_a_404_logged_as_refused(
    client, caseworker_astana, child, case
):
    client.force_login(caseworker_astana)
    assert client.get(reverse("child-history", args=[child.pk])).status_code == 404
    assert client.get(reverse("case-history", args=[case.pk])).status_code == 404
    logged = AccessLogEntry.objects.exclude(record_kind="account").order_by("id")
    assert [(e.action, e.record_kind, e.record_id) for e in logged] == [
        ("refused", "child", child.pk),
        ("refused", "case", case.pk),
    ]


def test_an_auditor_sees_which_fields_changed_but_no_values(client, auditor, child):
    child.address = "Toraighyrov 12"
    child.save()
    client.force_login(auditor)
    response = client.get(reverse("child-history", args=[child.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Address" in page
    assert "Toraighyrov" not in page and "Lenin 1" not in page
    assert "Zhaksylykova" not in page and "Aruzhan" not in page
    entry = AccessLogEntry.objects.exclude(record_kind="account").get()
    assert (entry.actor_username, entry.record_id) == ("auditor", child.pk)


def test_an_auditor_gets_a_404_for_a_record_that_never_existed(client, auditor):
    client.force_login(auditor)
    assert client.get(reverse("child-history", args=[999_999])).status_code == 404
    assert client.get(reverse("case-history", args=[999_999])).status_code == 404
