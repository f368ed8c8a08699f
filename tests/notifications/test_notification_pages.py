"""The notifications page: one's own only; opening one marks it read."""

from django.urls import reverse
from django.utils import timezone

from qorgau.notifications.models import Kind, Notification


def _notify(user, reference="C-2026-000001", url="/cases/1/"):
    return Notification.objects.create(
        user=user,
        kind=Kind.DEADLINE_PASSED,
        key=f"case:1:assessment:{reference}",
        reference=reference,
        step="assessment",
        url=url,
        created_at=timezone.now(),
    )


def test_a_worker_sees_their_notifications_and_the_count_in_the_menu(client, caseworker_pavlodar):
    _notify(caseworker_pavlodar)
    client.force_login(caseworker_pavlodar)
    page = client.get(reverse("notifications")).content.decode()
    assert "C-2026-000001: the risk assessment is overdue." in page
    assert 'class="nav-count">1' in page


def test_opening_one_marks_it_read_and_goes_to_the_record(client, caseworker_pavlodar):
    notification = _notify(caseworker_pavlodar)
    client.force_login(caseworker_pavlodar)
    response = client.post(reverse("notification-open", args=[notification.pk]))
    assert response.status_code == 302 and response["Location"] == "/cases/1/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_another_persons_notification_is_a_404(client, caseworker_pavlodar, caseworker_astana):
    notification = _notify(caseworker_pavlodar)
    client.force_login(caseworker_astana)
    assert client.post(reverse("notification-open", args=[notification.pk])).status_code == 404
    assert "C-2026-000001" not in client.get(reverse("notifications")).content.decode()
    notification.refresh_from_db()
    assert notification.read_at is None


def test_a_stored_link_elsewhere_is_not_followed(client, caseworker_pavlodar):
    notification = _notify(caseworker_pavlodar, url="https://evil.example/")
    client.force_login(caseworker_pavlodar)
    response = client.post(reverse("notification-open", args=[notification.pk]))
    assert response["Location"] == reverse("notifications")


def test_mark_all_read(client, caseworker_pavlodar):
    _notify(caseworker_pavlodar, "C-1")
    _notify(caseworker_pavlodar, "C-2")
    client.force_login(caseworker_pavlodar)
    client.post(reverse("notifications-all-read"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()
