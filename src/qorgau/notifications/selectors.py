from django.db.models import F, QuerySet

from qorgau.accounts.models import User
from qorgau.notifications.models import Notification


def notifications_of(*, actor: User) -> QuerySet[Notification]:
    """One's own notifications: unread first, then the most recently read; newest first."""
    return Notification.objects.filter(user=actor).order_by(
        F("read_at").desc(nulls_first=True), "-created_at", "-pk"
    )


def unread_count(*, actor: User, cap: int = 99) -> int:
    """How many are unread, counted up to `cap` (the badge shows "99+")."""
    return len(
        Notification.objects.filter(user=actor, read_at__isnull=True).values_list("pk")[: cap + 1]
    )
