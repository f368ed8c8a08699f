from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "qorgau.accounts"
    verbose_name = _("Organisations and users")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from qorgau.accounts import sessions

        def start_session(sender: object, request: object, user: object, **kwargs: object) -> None:
            if request is not None:
                sessions.start(request, user)  # type: ignore[arg-type]

        user_logged_in.connect(start_session, dispatch_uid="qorgau-session-start", weak=False)
