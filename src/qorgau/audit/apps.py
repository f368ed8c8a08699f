from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "qorgau.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        # Who was logged in, from where and when belongs in the same tamper-evident log
        # as what they opened (ASVS V16). Failed attempts are django-axes' records.
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from qorgau.accounts.models import User
        from qorgau.audit import log
        from qorgau.audit.models import Action, RecordKind

        def record(action: str, user: User | None) -> None:
            if user is not None:
                log.record(actor=user, action=action, kind=RecordKind.ACCOUNT, record_id=user.pk)

        def logged_in(sender: object, user: User, **kwargs: object) -> None:
            record(Action.LOGIN, user)

        def logged_out(sender: object, user: User | None, **kwargs: object) -> None:
            record(Action.LOGOUT, user)

        user_logged_in.connect(logged_in, dispatch_uid="qorgau-audit-login", weak=False)
        user_logged_out.connect(logged_out, dispatch_uid="qorgau-audit-logout", weak=False)
