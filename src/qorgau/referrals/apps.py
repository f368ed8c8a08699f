from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    # "referrals", not "services": every app has a services.py (its writes), and a
    # label "services" would read as one of them in imports, migrations and admin.
    name = "qorgau.referrals"
    verbose_name = _("Services and referrals")

    def ready(self) -> None:
        from qorgau.cases import timeline
        from qorgau.referrals import definitions  # noqa: F401  (registers the indicators)
        from qorgau.referrals.entries import KINDS, LABELS

        timeline.register(KINDS, LABELS)
