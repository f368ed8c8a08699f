from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "qorgau.accounts"
    verbose_name = _("Organisations and users")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.core.management import call_command
        from django.db.models.signals import post_migrate

        from qorgau.accounts import sessions

        def start_session(sender: object, request: object, user: object, **kwargs: object) -> None:
            if request is not None:
                sessions.start(request, user)  # type: ignore[arg-type]

        user_logged_in.connect(start_session, dispatch_uid="qorgau-session-start", weak=False)

        def create_cache_table(sender: object, using: str, **kwargs: object) -> None:
            # The production cache is a database table (settings.CACHES): `migrate`
            # makes it, so no deployment can forget it. Nothing to do for other caches.
            call_command("createcachetable", database=using, verbosity=0)

        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="qorgau-cache-table")
