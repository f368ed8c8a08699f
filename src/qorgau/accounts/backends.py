"""Logging in by password, and the user of each request read with what every page needs."""

from typing import Any

from django.contrib.auth.backends import ModelBackend

from qorgau.accounts.models import User


class StaffBackend(ModelBackend):
    """Django's ModelBackend; each request's user comes with their organisation and its
    place, which the access gate reads on every page (the territory), in one query
    instead of three."""

    def get_user(self, user_id: Any) -> User | None:
        try:
            user = User._default_manager.select_related("organisation__place").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
