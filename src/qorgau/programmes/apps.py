from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "qorgau.programmes"
    verbose_name = _("Prevention programmes")

    def ready(self) -> None:
        # Registers the programme indicators with the monitoring definitions.
        from qorgau.programmes import definitions  # noqa: F401
